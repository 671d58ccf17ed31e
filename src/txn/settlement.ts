// Settlement and batch upload: the 0500 with the batch totals, and when the acquirer's totals
// differ, one 0320 per approved transaction and a closing 0320; the batch closes on agreement.
import { TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, REV_PENDING, ST_APPROVED, ST_PENDING } from "../journal/api";
import { HostMessage } from "../host/codec";
import { RX_OK, Verdict } from "../host/exchange";
import { FX_PRINT } from "./types";
import { batchEndRequest, reversalBase, saleRequest, settleRequest, uploadRequest, voidRequest } from "./messages";
import { RC_RECONCILE_ERROR, Totals, addToTotals, isUploadItem, refundsOf, settleBalanced, totalsField48 } from "./settle";
import { unresolvedState } from "../money/rules";
import { settlementLines } from "./receipt";
import { pad } from "../text/digits";
import { EngineState, REASON_NO_REPLY, X_BATCH_END, X_SETTLE, X_UPLOAD, display, financialInput, finishOp, send, storedCard, storedReversal } from "./engine-state";

/** Before settlement: a new round of refund repeats, and failed reversals armed again. */
export function prepareSettle(s: EngineState): string {
  s.repStans = [];
  s.repSent = [];
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, ST_PENDING);
    if (t !== undefined && t.kind !== KIND_REFUND && s.j.reversalStateOf(t.batch, t.stan) !== REV_PENDING) rearm(s, t);
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
 * nothing twice. The batch is read one transaction at a time; the index is saved once.
 */
function keepSettled(s: EngineState): void {
  const index = s.settled;
  if (index === undefined) return;
  const batch = s.j.batch();
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, ST_APPROVED);
    // the first approved refund of each original counts them all
    if (t === undefined || t.kind !== KIND_REFUND || refundsOf(s.j, t.origRrn, ST_APPROVED, i) > 0) continue;
    const orig = s.j.findByRrn(t.origRrn);
    if (orig === undefined || orig.batch !== batch) index.countRefunds(t.origRrn, batch, refundsOf(s.j, t.origRrn, ST_APPROVED, n));
  }
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, ST_APPROVED);
    if (t !== undefined && t.kind === KIND_SALE && t.rrn !== "") {
      index.add({ batch: t.batch, stan: t.stan, rrn: t.rrn, date: t.time.substring(0, 4), amount_minor: t.amount_minor, refunded_minor: t.refunded_minor, refundBatch: 0, refundBatch_minor: 0 });
    }
  }
  index.save();
}

/** Totals and transactions without outcome in one pass over the batch, one record at a time. */
export function startSettle(s: EngineState): void {
  const totals: Totals = { debitCount: 0, debit_minor: 0, creditCount: 0, credit_minor: 0 };
  let open = 0;
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, 0);
    if (t === undefined) continue;
    if (unresolvedState(t.state)) open++;
    addToTotals(totals, t);
  }
  if (open > 0) return finishOp(s, false, "", open + " transaction(s) without outcome — contact acquirer before settling");
  s.totals = totals;
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
  let count = 0;
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, ST_APPROVED);
    if (t !== undefined && isUploadItem(t)) count++;
  }
  s.upStan = 0;
  s.upSlot = 0;
  display(s, "totals differ — uploading " + count + " transaction(s)");
}

/**
 * One 0320 per approved sale and refund in STAN order, each read (and its PAN opened) only when
 * it is sent; then the batch end. The walk goes on from the slot after the last item sent (a walk
 * from the first slot per item read n²/2 records for n items: minutes on Espruino for 100).
 */
function sendUpload(s: EngineState): void {
  const n = s.j.txnSlots();
  for (let i = s.upSlot; i < n; i++) {
    const t = s.j.txnAt(i, ST_APPROVED);
    if (t === undefined || t.stan <= s.upStan || !isUploadItem(t)) continue;
    s.upStan = t.stan;
    s.upSlot = i + 1;
    send(s, uploadRequest(s.cfg, s.j.nextStan(), t, s.sm.openPan(t.panSealed), t.kind === KIND_SALE), X_UPLOAD, true);
    return;
  }
  send(s, batchEndRequest(s.cfg, s.j.nextStan(), s.j.batch(), totalsField48(s.totals as Totals)), X_BATCH_END, true);
}

function closeBatch(s: EngineState, how: string): void {
  const batch = s.j.batch();
  const totals = s.totals as Totals;
  keepSettled(s);
  s.j.closeBatch();
  s.upStan = 0;
  s.upSlot = 0;
  s.fx.push({ k: FX_PRINT, lines: settlementLines(s.cfg, batch, totals, how) });
  display(s, "batch " + pad(batch, 6) + " settled — " + how);
  finishOp(s, true, "00", "settled: " + how);
}
