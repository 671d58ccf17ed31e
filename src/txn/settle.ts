// Settlement arithmetic from the journal, in the project's cup conventions (shared with the
// acquirer simulator): field 48 of 0500/0510 and of the batch-end 0320 is 31 digits — debit
// count n3, debit amount n12, credit count n3, credit amount n12, flag n1 ("0" in requests,
// "1" balanced / "2" unbalanced in the 0510, which then answers 39 = 95). Batch upload sends
// one approved transaction per 0320 (its PAN, amount, RRN and original batch/trace in 61).
import { Journal, TxnRecord, KIND_REFUND } from "../journal/api";
import { settlementSign } from "../money/rules";
import { RC, TOTALS48_DIGITS, TOTALS_FLAG, buildTotals48 } from "../acquirer/protocol";

/** Position of the settlement flag in field 48. */
const FLAG_AT = 30;
/** ISO 8583 response code for a reconciliation error (totals differ). */
export const RC_RECONCILE_ERROR = RC.reconcileError;

export interface Totals {
  debitCount: number;
  debit_minor: number;
  creditCount: number;
  credit_minor: number;
}

/** Counts `x` into `t` when it is an approved sale or refund (not voided, not reversed). */
export function addToTotals(t: Totals, x: TxnRecord): void {
  const sign = settlementSign(x.kind, x.state);
  if (sign > 0) {
    t.debitCount++;
    t.debit_minor += x.amount_minor;
  } else if (sign < 0) {
    t.creditCount++;
    t.credit_minor += x.amount_minor;
  }
}

/** Sales and refunds approved (not voided, not reversed) in `txns`. */
export function batchTotals(txns: TxnRecord[]): Totals {
  const t: Totals = { debitCount: 0, debit_minor: 0, creditCount: 0, credit_minor: 0 };
  for (let i = 0; i < txns.length; i++) addToTotals(t, txns[i]);
  return t;
}

/** True when the acquirer must see `x` in a batch upload (an approved sale or refund). */
export function isUploadItem(x: TxnRecord): boolean {
  return settlementSign(x.kind, x.state) !== 0;
}

/** Field 48 of the 0500 (and of the batch-end 0320). Counts above 999 wrap: the field has three digits. */
export function totalsField48(t: Totals): string {
  const shared = { debit_count: t.debitCount % 1000, debit_minor: t.debit_minor, credit_count: t.creditCount % 1000, credit_minor: t.credit_minor };
  return buildTotals48(shared, TOTALS_FLAG.request);
}

/** True when the 0510 says the totals agree: 39 = 00 and, when field 48 is there, flag 1. */
export function settleBalanced(code39: string, reply48: string | undefined): boolean {
  if (code39 !== "00") return false;
  if (reply48 === undefined || reply48.length !== TOTALS48_DIGITS) return true;
  return reply48.charAt(FLAG_AT) === TOTALS_FLAG.balanced;
}

/** The current batch's refunds of the original `rrn` in `state` in index slots below `end`, added up (read one at a time, only slots whose original may be `rrn`). */
export function refundsOf(j: Journal, rrn: string, state: number, end: number): number {
  let sum_minor = 0;
  if (rrn === "") return 0;
  for (let i = 0; i < end; i++) {
    if (!j.mayRefer(i, rrn, true)) continue;
    const t = j.txnAt(i, state);
    if (t !== undefined && t.kind === KIND_REFUND && t.origRrn === rrn) sum_minor += t.amount_minor;
  }
  return sum_minor;
}

/** The first refund of the original `rrn` in `state` whose STAN is not `notStan`, or undefined. */
export function refundIn(j: Journal, rrn: string, state: number, notStan: number): TxnRecord | undefined {
  const n = j.txnSlots();
  for (let i = 0; i < n; i++) {
    if (!j.mayRefer(i, rrn, true)) continue;
    const t = j.txnAt(i, state);
    if (t !== undefined && t.kind === KIND_REFUND && t.origRrn === rrn && t.stan !== notStan) return t;
  }
  return undefined;
}
