// Settlement and batch upload: the 0500 with the batch totals, and when the acquirer's totals
// differ, one 0320 per approved transaction and a closing 0320; the batch closes on agreement.
import { TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_PENDING } from "../journal/api";
import { HostMessage } from "../host/codec";
import { RX_OK, Verdict } from "../host/exchange";
import { FX_PRINT, SettledSale } from "./types";
import { batchEndRequest, reversalBase, saleRequest, settleRequest, uploadRequest, voidRequest } from "./messages";
import { RC_RECONCILE_ERROR, Totals, batchTotals, settleBalanced, totalsField48, unresolved, uploadItems } from "./settle";
import { settlementLines } from "./receipt";
import { pad } from "../text/digits";
import { EngineState, REASON_NO_REPLY, X_BATCH_END, X_SETTLE, X_UPLOAD, display, financialInput, finishOp, send, storedCard, storedReversal } from "./engine-state";

/** Before settlement: a new round of refund repeats, and failed reversals armed again. */
export function prepareSettle(s: EngineState): string {
  s.repStans = [];
  s.repSent = [];
  const pending = s.j.pendingReversals();
  const txns = s.j.txns();
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.state !== ST_PENDING || t.kind === KIND_REFUND) continue;
    let armed = false;
    for (let k = 0; k < pending.length; k++) if (pending[k].stan === t.stan && pending[k].batch === t.batch) armed = true;
    if (!armed) rearm(s, t);
  }
  return "";
}

/** Arms a fresh reversal for a transaction whose reversal failed, rebuilt from its record. */
function rearm(s: EngineState, t: TxnRecord): void {
  const card = storedCard(s, t);
  const input = financialInput(s, t.stan, t.amount_minor, card);
  let req: HostMessage;
  if (t.kind === KIND_VOID) {
    const sale = s.j.getTxn(t.batch, t.origStan);
    req = voidRequest(input, { batch: t.batch, stan: t.origStan, rrn: sale === undefined ? "" : sale.rrn, authCode: sale === undefined ? "" : sale.authCode });
  } else req = saleRequest(input);
  req.fields["60"] = req.fields["60"].substring(0, 2) + pad(t.batch, 6) + req.fields["60"].substring(8);
  s.j.armReversal(t.batch, t.stan, REASON_NO_REPLY, storedReversal(s, reversalBase(req)));
}

/**
 * Before the journal drops the batch: its approved sales go into the index of settled sales,
 * and its approved refunds of sales the open batch does not hold (settled ones) are counted
 * there, per original as this batch's share. Both are idempotent, so a power cut between this
 * and the journal's close (the batch is settled again later, maybe with more refunds) counts
 * nothing twice.
 */
function keepSettled(s: EngineState): void {
  const index = s.settled;
  if (index === undefined) return;
  const txns = s.j.txns();
  const batch = s.j.batch();
  const sales: SettledSale[] = [];
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.kind === KIND_SALE && t.state === ST_APPROVED && t.rrn !== "") {
      sales.push({ batch: t.batch, stan: t.stan, rrn: t.rrn, date: t.time.substring(0, 4), amount_minor: t.amount_minor, refunded_minor: t.refunded_minor, refundBatch: 0, refundBatch_minor: 0 });
    }
  }
  const done: string[] = [];
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.kind !== KIND_REFUND || t.state !== ST_APPROVED || done.indexOf(t.origRrn) >= 0) continue;
    done.push(t.origRrn);
    const orig = s.j.findByRrn(t.origRrn);
    if (orig === undefined || orig.batch !== batch) index.countRefunds(t.origRrn, batch, approvedRefundsOf(txns, t.origRrn));
  }
  index.add(sales);
}

/** The approved refunds in `txns` of the original `rrn`. */
function approvedRefundsOf(txns: TxnRecord[], rrn: string): number {
  let n = 0;
  for (let i = 0; i < txns.length; i++) {
    if (txns[i].kind === KIND_REFUND && txns[i].state === ST_APPROVED && txns[i].origRrn === rrn) n = n + txns[i].amount_minor;
  }
  return n;
}

export function startSettle(s: EngineState): void {
  const txns = s.j.txns();
  const open = unresolved(txns);
  if (open > 0) return finishOp(s, false, "", open + " transaction(s) without outcome — contact acquirer before settling");
  s.totals = batchTotals(txns);
  send(s, settleRequest(s.cfg, s.j.nextStan(), s.j.batch(), totalsField48(s.totals)), X_SETTLE, true);
}

/** The reply to a 0500 (X_SETTLE) or to a batch-upload 0320 (X_UPLOAD, X_BATCH_END). */
export function settleReplied(s: EngineState, kind: number, v: Verdict, code: string): void {
  if (v.k !== RX_OK) return finishOp(s, false, "", "settlement failed: " + v.why + " — settle again");
  const m = v.msg as HostMessage;
  if (kind === X_SETTLE && settleBalanced(code, m.fields["48"])) return closeBatch(s, "totals agree");
  if (kind === X_SETTLE && code !== "00" && code !== RC_RECONCILE_ERROR) return finishOp(s, false, code, "settlement declined (" + code + ")");
  if (kind !== X_SETTLE && code !== "00") return finishOp(s, false, code, "batch upload refused (" + code + ") — settle again");
  if (kind === X_BATCH_END) return closeBatch(s, "totals differed: batch uploaded");
  if (kind === X_SETTLE) beginUpload(s);
  sendUpload(s);
}

function beginUpload(s: EngineState): void {
  s.upItems = uploadItems(s.j.txns());
  s.upPans = [];
  for (let i = 0; i < s.upItems.length; i++) s.upPans.push(s.sm.openPan(s.upItems[i].panSealed));
  s.upFrom = 0;
  display(s, "totals differ — uploading " + s.upItems.length + " transaction(s)");
}

function sendUpload(s: EngineState): void {
  const batch = s.j.batch();
  if (s.upFrom < s.upItems.length) {
    const t = s.upItems[s.upFrom];
    const pan = s.upPans[s.upFrom];
    s.upFrom++;
    send(s, uploadRequest(s.cfg, s.j.nextStan(), t, pan, t.kind === KIND_SALE), X_UPLOAD, true);
    return;
  }
  send(s, batchEndRequest(s.cfg, s.j.nextStan(), batch, totalsField48(s.totals as Totals)), X_BATCH_END, true);
}

function closeBatch(s: EngineState, how: string): void {
  const batch = s.j.batch();
  const totals = s.totals as Totals;
  keepSettled(s);
  s.j.closeBatch();
  s.upItems = [];
  s.upPans = [];
  s.fx.push({ k: FX_PRINT, lines: settlementLines(s.cfg, batch, totals, how) });
  display(s, "batch " + pad(batch, 6) + " settled — " + how);
  finishOp(s, true, "00", "settled: " + how);
}
