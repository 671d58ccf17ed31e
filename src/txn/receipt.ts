// Receipt and slip text: masked PAN only, amounts in major units with two decimals.
import { TxnRecord, KIND_SALE, KIND_VOID } from "../journal/api";
import { TxnConfig } from "./types";
import { Totals } from "./settle";
import { pad } from "../text/digits";
import { formatAmount } from "../money/format";

const CURRENCY_CODES = ["156", "840", "978", "344"];
const CURRENCY_NAMES = ["CNY", "USD", "EUR", "HKD"];

export function currencyName(code: string): string {
  const at = CURRENCY_CODES.indexOf(code);
  return at < 0 ? code : CURRENCY_NAMES[at];
}

function kindName(kind: number): string {
  return kind === KIND_SALE ? "SALE" : kind === KIND_VOID ? "VOID" : "REFUND";
}

function stamp(time: string): string {
  if (time.length !== 10) return time;
  return time.substring(0, 2) + "/" + time.substring(2, 4) + " " + time.substring(4, 6) + ":" + time.substring(6, 8) + ":" + time.substring(8, 10);
}

/** Customer receipt of an approved transaction. */
export function receiptLines(cfg: TxnConfig, t: TxnRecord, note: string): string[] {
  const out = [cfg.merchantName, "MERCHANT " + cfg.merchantId, "TERMINAL " + cfg.terminalId, kindName(t.kind), "CARD " + t.panMasked];
  out.push("BATCH " + pad(t.batch, 6) + "  TRACE " + pad(t.stan, 6));
  out.push("RRN " + t.rrn + "  AUTH " + t.authCode);
  if (t.kind === KIND_VOID) out.push("VOIDED TRACE " + pad(t.origStan, 6));
  if (t.origRrn.length > 0) out.push("ORIGINAL RRN " + t.origRrn + " " + t.origDate);
  out.push("DATE " + stamp(t.time));
  out.push("AMOUNT " + currencyName(t.currency) + " " + (t.kind === KIND_SALE ? "" : "-") + formatAmount(t.amount_minor));
  out.push(note.length > 0 ? "APPROVED — " + note : "APPROVED");
  return out;
}

/** Settlement slip. */
export function settlementLines(cfg: TxnConfig, batch: number, t: Totals, how: string): string[] {
  const cur = currencyName(cfg.currency);
  return [
    cfg.merchantName,
    "SETTLEMENT  BATCH " + pad(batch, 6),
    "SALES   " + t.debitCount + "  " + cur + " " + formatAmount(t.debit_minor),
    "REFUNDS " + t.creditCount + "  " + cur + " -" + formatAmount(t.credit_minor),
    how,
  ];
}
