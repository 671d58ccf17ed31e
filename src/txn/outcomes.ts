// Writing an outcome into the journal: an approval (then the reversal is disarmed, then the
// receipt), a refund's reply (the original's refunded total first), a completed reversal.
import { HostMessage } from "../host/codec";
import {
  ReversalRecord, TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED, refundKey, refundedByOf,
} from "../journal/api";
import { fail } from "../errors";
import { FX_PRINT } from "./types";
import { refundIn } from "./settle";
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

/**
 * A refund's reply, in two journal writes: the original's refunded total first (with, in the
 * same record, which refund it counted last: `refundedBy`), then the refund itself. A power cut
 * between the two leaves the refund pending; it is repeated at power-up, the acquirer answers
 * the repeat with its first answer, and the original, already naming this refund, is not
 * counted again. Remembering only the last counted refund is enough because the refunds of one
 * original are sequential: a refund is refused while another refund of the same original is
 * pending (src/txn/checks.ts `refundCheck`), so when one is counted every other refund of that
 * original is answered and its approval fully written — only this one can have been counted
 * without its own record saying so. That is asserted here (a breach is a defect).
 */
export function settleRefund(s: EngineState, t: TxnRecord, reply: HostMessage, code: string): void {
  keepReply(t, reply, code);
  if (code === "00") {
    const orig = s.j.findByRrn(t.origRrn);
    const key = refundKey(t.batch, t.stan);
    if (orig !== undefined && orig.kind === KIND_SALE && refundedByOf(orig) !== key) {
      assertSequential(s, t);
      orig.refunded_minor = orig.refunded_minor + t.amount_minor;
      orig.refundedBy = key;
      s.j.putTxn(orig);
    }
  }
  t.state = code === "00" ? ST_APPROVED : ST_DECLINED;
  s.j.putTxn(t);
  forgetSent(s, t.stan);
}

/** No other refund of `t`'s original may be pending while `t` is counted (see `settleRefund`). */
function assertSequential(s: EngineState, t: TxnRecord): void {
  const o = refundIn(s.j, t.origRrn, ST_PENDING, t.stan);
  if (o === undefined) return;
  s.crashCount = s.crashCount + 1;
  fail("txn", "defect: refund " + t.stan + " counted while refund " + o.stan + " of the same original is pending");
}

/** Approved and complete: the journal says so and disarms the reversal in one record, then the receipt. */
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
  s.j.putTxnDisarm(t, s.curRev);
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
