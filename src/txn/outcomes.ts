// Writing an outcome into the journal: an approval (then the reversal is disarmed, then the
// receipt), a refund's reply (the original's refunded total first), a completed reversal.
import { HostMessage } from "../host/codec";
import { ReversalRecord, TxnRecord, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../journal/api";
import { FX_PRINT } from "./types";
import { receiptLines } from "./receipt";
import { EngineState, PH_IDLE, display, finishOp } from "./engine-state";
import { forgetSent } from "./refund-repeats";

/** Keeps the reply's code, RRN and authorisation code on the record (not yet written). */
export function keepReply(t: TxnRecord, reply: HostMessage, code: string): void {
  t.respCode = code;
  const rrn = reply.fields["37"];
  const auth = reply.fields["38"];
  if (rrn !== undefined) t.rrn = rrn;
  if (auth !== undefined) t.authCode = auth;
}

/** A refund's reply: the original's refunded total first (conservative), then the refund itself. */
export function settleRefund(s: EngineState, t: TxnRecord, reply: HostMessage, code: string): void {
  keepReply(t, reply, code);
  if (code === "00") {
    const orig = s.j.findByRrn(t.origRrn);
    if (orig !== undefined && orig.kind === KIND_SALE) {
      orig.refunded_minor = orig.refunded_minor + t.amount_minor;
      s.j.putTxn(orig);
    }
  }
  t.state = code === "00" ? ST_APPROVED : ST_DECLINED;
  s.j.putTxn(t);
  forgetSent(s, t.stan);
}

/** Approved and complete: journal says so first, then the reversal is disarmed, then the receipt. */
export function approve(s: EngineState, t: TxnRecord): void {
  s.ph = PH_IDLE;
  t.state = ST_APPROVED;
  if (t.kind === KIND_VOID) {
    const sale = s.j.getTxn(t.batch, t.origStan);
    if (sale !== undefined) {
      sale.state = ST_VOIDED;
      s.j.putTxn(sale);
    }
  }
  s.j.putTxn(t);
  s.j.disarmReversal(s.curRev);
  s.fx.push({ k: FX_PRINT, lines: receiptLines(s.cfg, t, "") });
  display(s, s.j.nearlyFull() ? "approved — journal " + s.j.fillPercent() + " % full: settle soon" : "approved");
  finishOp(s, true, "00", "approved");
}

/** The transaction a completed reversal undid: reversed; a reversed void gives its sale back. */
export function markReversed(s: EngineState, r: ReversalRecord): void {
  const t = s.j.getTxn(r.batch, r.stan);
  if (t === undefined) return;
  if (t.state !== ST_REVERSED) {
    t.state = ST_REVERSED;
    s.j.putTxn(t);
  }
  if (t.kind !== KIND_VOID) return;
  const sale = s.j.getTxn(t.batch, t.origStan);
  if (sale !== undefined && sale.state === ST_VOIDED) {
    sale.state = ST_APPROVED;
    s.j.putTxn(sale);
  }
}

/** While its reversal is out, a transaction's outcome is unknown: an approved one goes back to pending. */
export function unsettle(s: EngineState, r: ReversalRecord): void {
  const t = s.j.getTxn(r.batch, r.stan);
  if (t === undefined || t.state !== ST_APPROVED) return;
  t.state = ST_PENDING;
  s.j.putTxn(t);
}
