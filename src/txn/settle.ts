// Settlement arithmetic from the journal: debit/credit counts and totals (field 48 of the
// 0500), the reconciliation verdict of the 0510, and batch-upload (0320) field 48 chunks.
import { KIND_REFUND, KIND_SALE, ST_APPROVED, ST_PENDING, TxnRecord } from "../journal/api";
import { pad } from "./time";

/** Items per batch-upload message. */
export const UPLOAD_ITEMS_PER_MESSAGE = 8;
/** 48 of 0500: domestic debit amount n12, count n3, credit amount n12, count n3, code n1, then foreign the same. */
const FOREIGN_EMPTY = "000000000000000000000000000000" + "0";
/** Settle code digit in the 0510's field 48: 1 balanced, 2 mismatch, 3 error. */
const SETTLE_CODE_AT = 30;
export const SETTLE_BALANCED = "1";
/** ISO 8583 response code for a reconciliation error. */
export const RC_RECONCILE_ERROR = "95";

export interface Totals {
  debitCount: number;
  debit_minor: number;
  creditCount: number;
  credit_minor: number;
}

/** Sales and refunds approved (not voided, not reversed) in `txns`. */
export function batchTotals(txns: TxnRecord[]): Totals {
  const t: Totals = { debitCount: 0, debit_minor: 0, creditCount: 0, credit_minor: 0 };
  for (let i = 0; i < txns.length; i++) {
    const x = txns[i];
    if (x.state !== ST_APPROVED) continue;
    if (x.kind === KIND_SALE) {
      t.debitCount++;
      t.debit_minor += x.amount_minor;
    } else if (x.kind === KIND_REFUND) {
      t.creditCount++;
      t.credit_minor += x.amount_minor;
    }
  }
  return t;
}

/** Field 48 of the 0500. Counts above 999 wrap as the field allows only three digits. */
export function totalsField48(t: Totals): string {
  return pad(t.debit_minor, 12) + pad(t.debitCount % 1000, 3) + pad(t.credit_minor, 12) + pad(t.creditCount % 1000, 3) + "0" + FOREIGN_EMPTY;
}

/** True when the 0510 says the totals agree (39 = 00 and settle code 1). */
export function settleBalanced(code39: string, reply48: string | undefined): boolean {
  if (code39 !== "00") return false;
  if (reply48 === undefined || reply48.length <= SETTLE_CODE_AT) return true;
  return reply48.charAt(SETTLE_CODE_AT) === SETTLE_BALANCED;
}

/** Left-pads a digit string with zeros to `width`. */
export function padDigits(s: string, width: number): string {
  const parts: string[] = [];
  for (let i = s.length; i < width; i++) parts.push("0");
  parts.push(s);
  return parts.join("");
}

/** Transactions the acquirer must see in a batch upload: approved sales and refunds. */
export function uploadItems(txns: TxnRecord[]): TxnRecord[] {
  const out: TxnRecord[] = [];
  for (let i = 0; i < txns.length; i++) {
    const x = txns[i];
    if (x.state === ST_APPROVED && (x.kind === KIND_SALE || x.kind === KIND_REFUND)) out.push(x);
  }
  return out;
}

/** Field 48 of one 0320: count n2, then per item kind n2 (22 sale, 25 refund), trace n6, PAN n20, amount n12. */
export function uploadField48(items: TxnRecord[], pans: string[], from: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = from; i < items.length && n < UPLOAD_ITEMS_PER_MESSAGE; i++) {
    const x = items[i];
    parts.push((x.kind === KIND_SALE ? "22" : "25") + pad(x.stan, 6) + padDigits(pans[i], 20) + pad(x.amount_minor, 12));
    n++;
  }
  return pad(n, 2) + parts.join("");
}

/** Transactions still waiting for an outcome (settlement must wait for them). */
export function unresolved(txns: TxnRecord[]): number {
  let n = 0;
  for (let i = 0; i < txns.length; i++) if (txns[i].state === ST_PENDING) n++;
  return n;
}
