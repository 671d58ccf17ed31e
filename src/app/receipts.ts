// Receipt contents as ESC/POS lines: merchant and customer copies, duplicates, the
// settlement report with the batch's cancellations, and the transaction list.
import { Journal, TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../journal/api";
import { TxnConfig } from "../txn/types";
import { currencyName } from "../txn/receipt";
import { pad } from "../txn/time";
import { PrintLine } from "../escpos/encode";
import { AuditEntry } from "./store";
import { money } from "./screen";

export const COPY_MERCHANT = "MERCHANT COPY";
export const COPY_CUSTOMER = "CUSTOMER COPY";

export function kindWord(kind: number): string {
  return kind === KIND_SALE ? "SALE" : kind === KIND_VOID ? "VOID" : kind === KIND_REFUND ? "REFUND" : "?";
}

export function stateWord(state: number): string {
  if (state === ST_APPROVED) return "approved";
  if (state === ST_DECLINED) return "declined";
  if (state === ST_PENDING) return "pending";
  if (state === ST_VOIDED) return "voided";
  if (state === ST_REVERSED) return "reversed";
  return "?";
}

function stamp(time: string): string {
  if (time.length !== 10) return time;
  return time.substring(0, 2) + "/" + time.substring(2, 4) + " " + time.substring(4, 6) + ":" + time.substring(6, 8) + ":" + time.substring(8, 10);
}

function head(cfg: TxnConfig, operator: string): PrintLine[] {
  return [
    { t: cfg.merchantName, b: true, d: true, c: true },
    { t: "MERCHANT " + cfg.merchantId },
    { t: "TERMINAL " + cfg.terminalId + "  OP " + operator },
  ];
}

/**
 * A transaction receipt; `copy` names the copy, `duplicate` marks a reprint. `issuer` (the
 * issuer's name from field 63 of the approval, GBK allowed) is printed on the customer copy,
 * through the printer's Chinese mode when it holds Chinese.
 */
export function txnReceipt(cfg: TxnConfig, t: TxnRecord, operator: string, copy: string, duplicate: boolean, issuer?: string): PrintLine[] {
  const out = head(cfg, operator);
  out.push({ t: copy, b: true });
  if (duplicate) out.push({ t: "*** DUPLICATE ***", b: true, c: true });
  out.push({ t: kindWord(t.kind), b: true, d: true });
  out.push({ t: "CARD " + t.panMasked });
  if (copy === COPY_CUSTOMER && issuer !== undefined && issuer.length > 0) out.push({ t: "ISSUER " + issuer, g: true });
  out.push({ t: "BATCH " + pad(t.batch, 6) + " TRACE " + pad(t.stan, 6) });
  out.push({ t: "RRN " + t.rrn + " AUTH " + t.authCode });
  if (t.kind === KIND_VOID) out.push({ t: "VOIDED TRACE " + pad(t.origStan, 6) });
  if (t.origRrn.length > 0) out.push({ t: "ORIG RRN " + t.origRrn + " " + t.origDate });
  out.push({ t: "DATE " + stamp(t.time) });
  out.push({ t: "AMOUNT " + currencyName(t.currency) + " " + (t.kind === KIND_SALE ? "" : "-") + money(t.amount_minor), b: true, d: true });
  out.push({ t: t.state === ST_APPROVED || t.state === ST_VOIDED ? "APPROVED" : stateWord(t.state).toUpperCase() });
  if (copy === COPY_MERCHANT) {
    out.push({ t: "" });
    out.push({ t: "SIGNATURE ____________________" });
  }
  return out;
}

export interface ReportTotals {
  sales: number;
  sales_minor: number;
  voids: number;
  voids_minor: number;
  refunds: number;
  refunds_minor: number;
}

/** The open batch's report totals, in one pass over the journal (one record at a time). */
export function reportTotals(j: Journal): ReportTotals {
  const r: ReportTotals = { sales: 0, sales_minor: 0, voids: 0, voids_minor: 0, refunds: 0, refunds_minor: 0 };
  const n = j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = j.txnAt(i, 0);
    if (t === undefined) continue;
    if (t.kind === KIND_SALE && (t.state === ST_APPROVED || t.state === ST_VOIDED)) {
      r.sales++;
      r.sales_minor += t.amount_minor;
    } else if (t.kind === KIND_VOID && t.state === ST_APPROVED) {
      r.voids++;
      r.voids_minor += t.amount_minor;
    } else if (t.kind === KIND_REFUND && t.state === ST_APPROVED) {
      r.refunds++;
      r.refunds_minor += t.amount_minor;
    }
  }
  return r;
}

/** Settlement report: totals by type, net, then every cancellation of the batch from the audit trail. */
export function settlementReport(cfg: TxnConfig, operator: string, batch: number, tot: ReportTotals, how: string, cancels: AuditEntry[], dropped: number): PrintLine[] {
  const cur = currencyName(cfg.currency);
  const out = head(cfg, operator);
  out.push({ t: "SETTLEMENT REPORT", b: true, d: true });
  out.push({ t: "BATCH " + pad(batch, 6) });
  out.push({ t: "SALES   " + pad(tot.sales, 3) + " " + cur + " " + money(tot.sales_minor) });
  out.push({ t: "VOIDS   " + pad(tot.voids, 3) + " " + cur + " -" + money(tot.voids_minor) });
  out.push({ t: "REFUNDS " + pad(tot.refunds, 3) + " " + cur + " -" + money(tot.refunds_minor) });
  out.push({ t: "NET         " + cur + " " + money(tot.sales_minor - tot.voids_minor - tot.refunds_minor), b: true });
  out.push({ t: how });
  out.push({ t: "CANCELLATIONS " + cancels.length, b: true });
  for (let i = 0; i < cancels.length; i++) {
    const e = cancels[i];
    out.push({ t: e.kind.toUpperCase() + " T" + pad(e.stan, 6) + " " + money(e.amount_minor) + " OP " + e.operator });
    out.push({ t: "  " + e.reason + ": " + e.outcome });
  }
  if (dropped > 0) out.push({ t: "(" + dropped + " older audit entries dropped)" });
  return out;
}

/** Transaction list of the batch. */
export function listReport(cfg: TxnConfig, operator: string, batch: number, rows: string[]): PrintLine[] {
  const out = head(cfg, operator);
  out.push({ t: "TRANSACTIONS BATCH " + pad(batch, 6), b: true });
  for (let i = 0; i < rows.length; i++) out.push({ t: rows[i] });
  out.push({ t: rows.length + " transaction(s)" });
  return out;
}

/** One list row: trace, kind, amount, state. */
export function listRow(t: TxnRecord): string {
  return pad(t.stan, 6) + " " + kindWord(t.kind).substring(0, 3) + " " + money(t.amount_minor) + " " + stateWord(t.state).substring(0, 3);
}
