// The transaction engine: a deterministic state machine. Events in (operator action, bytes
// received, timer fired, power-up, completion from the app/EMV layer), effects out (send
// bytes, start/cancel the timer, print, display, results). Everything that must survive a
// power cut is in the journal, written before the bytes leave: RAM holds only the exchange
// in flight, so after a cut the engine rebuilds its obligations from the journal alone.
//
// This file is the public face and the event dispatch; the work is done by checks.ts (may an
// operation start), operations.ts (start it), queue.ts (reversals and refund repeats first),
// replies.ts (what a reply means), outcomes.ts (journal writes of an outcome) and
// settlement.ts (settlement and batch upload), all over the RAM state of engine-state.ts.
import { Bytes } from "../bytes/index";
import { errorText, fail, isPosrtError } from "../errors";
import { SecurityModule } from "../../hal/security";
import { Journal } from "../journal/api";
import { HostCodec } from "../host/codec";
import { Effect, Operation, SettledSales, TxnConfig, TxnEvent, EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER, FX_CANCEL_TIMER, FX_RESULT, OP_SIGNIN } from "./types";
import { pad } from "../text/digits";
import { EngineState, PH_IDLE, PH_WAIT, abort, display, emptyResult, finishOp, newState } from "./engine-state";
import { precheck } from "./checks";
import { startSignIn } from "./operations";
import { repeatBeforeNextRequest } from "./refund-repeats";
import { proceed, sendableReversals } from "./queue";
import { RX_TIMEOUT, cardFinished, judged } from "./replies";
import { ParamStore } from "../params/store";

export { PH_IDLE, PH_WAIT, PH_COMPLETE, REASON_NO_REPLY, REASON_BAD_MAC, REASON_MISMATCH, MSG_REVERSAL_FAILED, MSG_SIGN_IN_AGAIN } from "./engine-state";
export { MAX_PASSWORD_CHARS, sameSecret } from "./checks";
export { MAX_STEPS_PER_EVENT } from "./queue";

export interface EngineOptions {
  journal: Journal;
  security: SecurityModule;
  codec: HostCodec;
  config: TxnConfig;
  /** The index of settled sales (refund caps after settlement); without it such refunds are capped by config.refundMax_minor only. */
  settled?: SettledSales;
  /** Where chip parameters and CA keys downloaded after sign-in are kept; without it no download runs. */
  params?: ParamStore;
}

export class TxnEngine {
  private s: EngineState;

  constructor(o: EngineOptions) {
    this.s = newState(o.journal, o.security, o.codec, o.config, o.settled, o.params);
  }

  /** True when the terminal must sign in before going online (no keys, or keys out of step). */
  needsSignIn(): boolean {
    return this.s.keysStale || !this.s.sm.hasWorkingKeys();
  }

  /** Defects caught so far (anything thrown that was not a PosrtError). */
  crashes(): number {
    return this.s.crashCount;
  }

  /** Entries held in RAM collections (bounded by the batch size and the retry count). */
  footprint(): number {
    return this.s.repStans.length;
  }

  phase(): number {
    return this.s.ph;
  }

  idle(): boolean {
    return this.s.ph === PH_IDLE;
  }

  /** Runs one event; returns the effects it produced, in order. */
  handle(ev: TxnEvent): Effect[] {
    const s = this.s;
    s.fx = [];
    s.now_ms = ev.t_ms;
    try {
      dispatch(s, ev);
    } catch (e) {
      if (!isPosrtError(e)) s.crashCount++;
      abort(s, errorText(e));
    }
    return s.fx;
  }
}

function dispatch(s: EngineState, ev: TxnEvent): void {
  if (ev.k === EV_OP) onOperation(s, ev.op);
  else if (ev.k === EV_BYTES) onBytes(s, ev.data);
  else if (ev.k === EV_TIMER) onTimer(s, ev.id === undefined ? -1 : ev.id);
  else if (ev.k === EV_POWER_UP) onPowerUp(s);
  else if (ev.k === EV_COMPLETED) cardFinished(s, true, undefined);
  else if (ev.k === EV_CANNOT_COMPLETE) cardFinished(s, false, ev.data);
  else fail("txn", "unknown event kind " + ev.k);
}

function onPowerUp(s: EngineState): void {
  s.ph = PH_IDLE;
  const revs = s.j.pendingReversals();
  const held = revs.length - sendableReversals(s).length;
  display(s, "ready — batch " + pad(s.j.batch(), 6) + ", " + revs.length + " reversal(s) pending" + (held > 0 ? ", " + held + " outcome(s) unknown — ask the acquirer" : ""));
  if (s.sm.hasWorkingKeys()) proceed(s);
}

function onOperation(s: EngineState, op: Operation | undefined): void {
  if (op === undefined) fail("txn", "operation event without an operation");
  if (s.ph !== PH_IDLE || s.op !== undefined) {
    const r = emptyResult(op.op);
    r.text = "busy — try again";
    s.fx.push({ k: FX_RESULT, result: r });
    return;
  }
  s.op = op;
  s.issuer = "";
  s.cur = undefined;
  const refused = precheck(s, op);
  if (refused !== "") {
    display(s, refused);
    finishOp(s, false, "", refused);
    return;
  }
  if (op.op === OP_SIGNIN) return startSignIn(s);
  repeatBeforeNextRequest(s);
  proceed(s);
}

function onBytes(s: EngineState, data: Bytes | undefined): void {
  if (data === undefined || s.ph !== PH_WAIT) return;
  const v = s.x.receive(data);
  if (v === undefined) return;
  s.fx.push({ k: FX_CANCEL_TIMER, id: s.timerId });
  judged(s, v);
}

function onTimer(s: EngineState, id: number): void {
  if (id !== s.timerId || s.ph !== PH_WAIT) return;
  judged(s, { k: RX_TIMEOUT, why: "no reply within " + s.cfg.timeout_ms + " ms" });
}
