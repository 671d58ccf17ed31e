// Unanswered refunds are never reversed: they are repeated with the same trace number. This
// keeps, per power cycle, how often each was sent (bounded by the batch size).
import { TxnRecord, KIND_REFUND, ST_PENDING } from "../journal/api";
import { EngineState } from "./engine-state";

/** The first pending refund not yet sent `reversalAttempts` times in this power cycle. */
export function unansweredRefund(s: EngineState): TxnRecord | undefined {
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, ST_PENDING);
    if (t !== undefined && t.kind === KIND_REFUND && sentCount(s, t.stan) < s.cfg.reversalAttempts) return t;
  }
  return undefined;
}

/**
 * A new online operation: every unanswered refund whose sends in this power cycle ran out gets
 * one more, ahead of the operation (the queue repeats refunds before new requests, as it sends
 * pending reversals first), instead of waiting for the next power-up.
 */
export function repeatBeforeNextRequest(s: EngineState): void {
  for (let i = 0; i < s.repSent.length; i++) if (s.repSent[i] >= s.cfg.reversalAttempts) s.repSent[i] = s.cfg.reversalAttempts - 1;
}

/** Times the refund with this STAN was sent in this power cycle (0 if never). */
export function sentCount(s: EngineState, stan: number): number {
  const at = s.repStans.indexOf(stan);
  return at < 0 ? 0 : s.repSent[at];
}

export function setSent(s: EngineState, stan: number, n: number): void {
  const at = s.repStans.indexOf(stan);
  if (at >= 0) {
    s.repSent[at] = n;
    return;
  }
  s.repStans.push(stan);
  s.repSent.push(n);
}

export function forgetSent(s: EngineState, stan: number): void {
  const at = s.repStans.indexOf(stan);
  if (at < 0) return;
  s.repStans.splice(at, 1);
  s.repSent.splice(at, 1);
}
