// The order of online work: pending reversals first (oldest first), then unanswered refunds
// (repeated with the same trace number), then the operator's operation. Replies to reversals
// and repeats come back here and the queue moves on.
import { errorText } from "../errors";
import { len } from "../bytes/index";
import { HostMessage } from "../host/codec";
import { RX_OK, Verdict } from "../host/exchange";
import { ReversalRecord, TxnRecord } from "../journal/api";
import { FX_PRINT } from "./types";
import { refundRequest, reversalRequest } from "./messages";
import { receiptLines } from "./receipt";
import { pad } from "../text/digits";
import { EngineState, MSG_REVERSAL_FAILED, MSG_SIGN_IN_AGAIN, PH_IDLE, X_REPEAT, X_REVERSAL, display, financialInput, finishOp, send, storedCard } from "./engine-state";
import { markReversed, settleRefund, unsettle } from "./outcomes";
import { sentCount, setSent, unansweredRefund } from "./refund-repeats";
import { startOperation } from "./operations";

/** Bound on scheduling steps taken in one event (skipped or failed queue entries). */
export const MAX_STEPS_PER_EVENT = 64;
/** Codes that complete a reversal. */
const REVERSAL_DONE_CODES = ["00", "12", "25"];

/** Starts the next exchange: the oldest pending reversal, an unanswered refund, or the operation. */
export function proceed(s: EngineState): void {
  if (s.keysStale) {
    s.ph = PH_IDLE;
    finishOp(s, false, "", MSG_SIGN_IN_AGAIN);
    return;
  }
  for (let step = 0; step < MAX_STEPS_PER_EVENT; step++) {
    const revs = sendableReversals(s);
    if (revs.length > 0) {
      if (sendReversal(s, revs[0])) return;
      finishOp(s, false, "", MSG_REVERSAL_FAILED);
      s.ph = PH_IDLE;
      return;
    }
    const refund = unansweredRefund(s);
    if (refund !== undefined) {
      if (sendRepeat(s, refund)) return;
      continue;
    }
    s.ph = PH_IDLE;
    if (s.op !== undefined) startOperation(s, s.op);
    return;
  }
  finishOp(s, false, "", "too many queued items — try again");
}

/** Pending reversals the terminal sends by itself: not those whose outcome the journal may have lost (outcome unknown — ask the acquirer). */
export function sendableReversals(s: EngineState): ReversalRecord[] {
  const revs = s.j.pendingReversals();
  const out: ReversalRecord[] = [];
  for (let i = 0; i < revs.length; i++) if (!s.j.outcomeUnknown(revs[i].batch, revs[i].stan)) out.push(revs[i]);
  return out;
}

/** Sends reversal `r`; false when its attempts are used up (it is then marked failed). */
function sendReversal(s: EngineState, r: ReversalRecord): boolean {
  if (r.attempts >= s.cfg.reversalAttempts) {
    s.j.failReversal(r.id);
    display(s, MSG_REVERSAL_FAILED + " (trace " + pad(r.stan, 6) + ")");
    return false;
  }
  let msg: HostMessage;
  try {
    msg = reversalRequest(s.codec.unpackBare(r.request), r.reason);
    restorePan(s, msg, r);
  } catch (e) {
    s.j.failReversal(r.id);
    display(s, MSG_REVERSAL_FAILED + ": stored request unreadable (" + errorText(e) + ")");
    return false;
  }
  unsettle(s, r);
  s.j.recordAttempt(r.id);
  s.rev = r;
  send(s, msg, X_REVERSAL, true);
  return true;
}

/** Puts field 2 back into a reversal from the transaction's sealed PAN. */
function restorePan(s: EngineState, msg: HostMessage, r: ReversalRecord): void {
  const t = s.j.getTxn(r.batch, r.stan);
  if (t !== undefined && len(t.panSealed) > 0) msg.fields["2"] = s.sm.openPan(t.panSealed);
}

/** Repeats an unanswered refund with the same trace number; false if it cannot be rebuilt. */
function sendRepeat(s: EngineState, t: TxnRecord): boolean {
  setSent(s, t.stan, sentCount(s, t.stan) + 1);
  let msg: HostMessage;
  try {
    msg = refundRequest(financialInput(s, t.stan, t.amount_minor, storedCard(s, t)), t.origRrn, t.origDate);
  } catch (e) {
    setSent(s, t.stan, s.cfg.reversalAttempts);
    display(s, "refund " + pad(t.stan, 6) + " cannot be repeated: " + errorText(e));
    return false;
  }
  s.cur = t;
  send(s, msg, X_REPEAT, true);
  return true;
}

export function reversalReplied(s: EngineState, v: Verdict, code: string): void {
  const r = s.rev as ReversalRecord;
  s.rev = undefined;
  if (v.k === RX_OK && REVERSAL_DONE_CODES.indexOf(code) >= 0) {
    markReversed(s, r);
    s.j.completeReversal(r.id);
    display(s, "reversal of trace " + pad(r.stan, 6) + " done (" + code + ")");
  } else {
    display(s, "reversal of trace " + pad(r.stan, 6) + " not confirmed: " + (v.k === RX_OK ? "code " + code : v.why));
  }
  proceed(s);
}

export function repeatReplied(s: EngineState, v: Verdict, code: string): void {
  const t = s.cur as TxnRecord;
  if (v.k === RX_OK) {
    settleRefund(s, t, v.msg as HostMessage, code);
    if (code === "00") s.fx.push({ k: FX_PRINT, lines: receiptLines(s.cfg, t, "confirmed late") });
    display(s, "refund " + pad(t.stan, 6) + (code === "00" ? " confirmed" : " declined (" + code + ")"));
  } else {
    display(s, "refund " + pad(t.stan, 6) + " still unanswered: " + v.why);
  }
  s.cur = undefined;
  proceed(s);
}
