// Settlement and batch upload: the 0500 with the batch totals, and when the acquirer's totals
// differ, one 0320 per approved transaction and a closing 0320; the batch closes on agreement.
import { TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, REV_PENDING, ST_APPROVED, ST_PENDING } from "../journal/api";
import { HostMessage } from "../host/codec";
import { RX_OK, Verdict } from "../host/exchange";
import { FX_PRINT, SettledSales } from "./types";
import { batchEndRequest, reversalBase, saleRequest, settleRequest, uploadRequest, voidRequest } from "./messages";
import { RC_RECONCILE_ERROR, Totals, addToTotals, isUploadItem, noTotals, settleBalanced, totalsField48 } from "./settle";
import { unresolvedState } from "../money/rules";
import { settlementLines } from "./receipt";
import { pad } from "../text/digits";
import { EngineState, REASON_NO_REPLY, X_BATCH_END, X_SETTLE, X_UPLOAD, display, financialInput, finishOp, send, storedCard, storedReversal } from "./engine-state";

/** Before settlement: a new round of refund repeats, and failed reversals armed again (one at a time: the walk does not write). */
export function prepareSettle(s: EngineState): string {
  s.repStans = [];
  s.repSent = [];
  const most = s.j.countTxns(ST_PENDING);
  for (let k = 0; k < most; k++) {
    const t = s.j.eachTxn(s, needsRearm, false, ST_PENDING);
    if (t === undefined) break;
    rearm(s, t);
  }
  return "";
}

/** A transaction without outcome whose reversal is no longer pending (refunds are repeated, never reversed). */
function needsRearm(this: void, s: EngineState, t: TxnRecord): boolean {
  return t.kind !== KIND_REFUND && s.j.reversalStateOf(t.batch, t.stan) !== REV_PENDING;
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

/** What the walks of `keepSettled` carry: the index, the batch, the refund being summed. */
interface KeepWalk {
  s: EngineState;
  index: SettledSales;
  batch: number;
  rrn: string;
  stan: number;
  sum_minor: number;
}

/**
 * Before the journal drops the batch: its approved sales go into the index of settled sales,
 * and its approved refunds of sales the open batch does not hold (settled ones) are counted
 * there, per original as this batch's share. Both are idempotent, so a power cut between this
 * and the journal's close (the batch is settled again later, maybe with more refunds) counts
 * nothing twice. The batch is walked one transaction at a time; the index is saved once.
 */
function keepSettled(s: EngineState): void {
  const index = s.settled;
  if (index === undefined) return;
  const w: KeepWalk = { s: s, index: index, batch: s.j.batch(), rrn: "", stan: 0, sum_minor: 0 };
  s.j.eachTxn(w, countSettledRefunds, false, ST_APPROVED);
  s.j.eachTxn(w, keepSale, false, ST_APPROVED);
  index.save();
}

/** The first approved refund of each original the open batch does not hold: the batch's share counted in the index. */
function countSettledRefunds(this: void, w: KeepWalk, t: TxnRecord): boolean {
  if (t.kind !== KIND_REFUND) return false;
  w.rrn = t.origRrn;
  w.stan = t.stan;
  w.sum_minor = 0;
  if (w.s.j.eachTxn(w, earlierRefund, false, ST_APPROVED) !== undefined) return false;
  w.s.j.eachTxn(w, sumRefund, false, ST_APPROVED);
  const orig = w.s.j.findByRrn(t.origRrn);
  if (orig === undefined || orig.batch !== w.batch) w.index.countRefunds(t.origRrn, w.batch, w.sum_minor);
  return false;
}

/** An approved refund of the same original before the one at `w.stan` (that one counted them all). */
function earlierRefund(this: void, w: KeepWalk, t: TxnRecord): boolean {
  return t.stan < w.stan && t.kind === KIND_REFUND && t.origRrn === w.rrn;
}

function sumRefund(this: void, w: KeepWalk, t: TxnRecord): boolean {
  if (t.kind === KIND_REFUND && t.origRrn === w.rrn) w.sum_minor = w.sum_minor + t.amount_minor;
  return false;
}

function keepSale(this: void, w: KeepWalk, t: TxnRecord): boolean {
  if (t.kind === KIND_SALE && t.rrn !== "") {
    w.index.add({ batch: t.batch, stan: t.stan, rrn: t.rrn, date: t.time.substring(0, 4), amount_minor: t.amount_minor, refunded_minor: t.refunded_minor, refundBatch: 0, refundBatch_minor: 0 });
  }
  return false;
}

/** One pass over the batch before the 0500: transactions without outcome, and the totals. */
interface SettleWalk {
  open: number;
  totals: Totals;
}

function tally(this: void, w: SettleWalk, t: TxnRecord): boolean {
  if (unresolvedState(t.state)) w.open++;
  addToTotals(w.totals, t);
  return false;
}

export function startSettle(s: EngineState): void {
  const w: SettleWalk = { open: 0, totals: noTotals() };
  s.j.eachTxn(w, tally, false, 0);
  if (w.open > 0) return finishOp(s, false, "", w.open + " transaction(s) without outcome — contact acquirer before settling");
  s.totals = w.totals;
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

function countUpload(this: void, s: EngineState, t: TxnRecord): boolean {
  if (isUploadItem(t)) s.upCount++;
  return false;
}

/** The next transaction to upload: approved sales and refunds in STAN order, after the last one sent. */
function nextUpload(this: void, s: EngineState, t: TxnRecord): boolean {
  return t.stan > s.upStan && isUploadItem(t);
}

function beginUpload(s: EngineState): void {
  s.upStan = 0;
  s.upCount = 0;
  s.j.eachTxn(s, countUpload, false, 0);
  display(s, "totals differ — uploading " + s.upCount + " transaction(s)");
}

/** One 0320 per upload item, each read from the journal (and its PAN opened) only when it is sent; then the batch end. */
function sendUpload(s: EngineState): void {
  const batch = s.j.batch();
  const t = s.j.eachTxn(s, nextUpload, false, 0);
  if (t !== undefined) {
    s.upStan = t.stan;
    send(s, uploadRequest(s.cfg, s.j.nextStan(), t, s.sm.openPan(t.panSealed), t.kind === KIND_SALE), X_UPLOAD, true);
    return;
  }
  send(s, batchEndRequest(s.cfg, s.j.nextStan(), batch, totalsField48(s.totals as Totals)), X_BATCH_END, true);
}

function closeBatch(s: EngineState, how: string): void {
  const batch = s.j.batch();
  const totals = s.totals as Totals;
  keepSettled(s);
  s.j.closeBatch();
  s.upStan = 0;
  s.upCount = 0;
  s.fx.push({ k: FX_PRINT, lines: settlementLines(s.cfg, batch, totals, how) });
  display(s, "batch " + pad(batch, 6) + " settled — " + how);
  finishOp(s, true, "00", "settled: " + how);
}
