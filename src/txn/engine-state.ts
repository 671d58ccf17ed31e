// What the transaction engine holds in RAM between events, and the small steps every part of
// it shares: effects out (display, result, send), and request inputs rebuilt from the journal.
// Only the exchange in flight lives here; everything that must survive a cut is in the journal.
import { Bytes } from "../bytes/index";
import { SecurityModule } from "../../hal/security";
import { Journal, ReversalRecord, TxnRecord } from "../journal/api";
import { HostCodec, HostMessage } from "../host/codec";
import { Exchange } from "../host/exchange";
import { Card, Effect, Operation, OpResult, SettledSales, TxnConfig, FX_CANCEL_TIMER, FX_DISPLAY, FX_RESULT, FX_SEND, FX_START_TIMER } from "./types";
import { FinancialInput, reversalForStorage } from "./messages";
import { Totals } from "./settle";
import { ParamStore } from "../params/store";
import { Download } from "../params/download";

/** Engine phases. */
export const PH_IDLE = 0;
/** A request is in flight. */
export const PH_WAIT = 1;
/** The host approved a chip sale; waiting for the card to finish. */
export const PH_COMPLETE = 2;

/** What the request in flight is. */
export const X_NONE = 0;
export const X_REVERSAL = 1;
export const X_REPEAT = 2;
export const X_SIGNIN = 3;
export const X_BALANCE = 4;
export const X_FINANCIAL = 5;
export const X_SETTLE = 6;
export const X_UPLOAD = 7;
export const X_BATCH_END = 8;
/** A parameter or CA-key download exchange after sign-in (src/txn/downloads.ts). */
export const X_DOWNLOAD = 9;

/** Reversal reasons (field 39 of the 0400). */
export const REASON_NO_REPLY = "98";
export const REASON_BAD_MAC = "A0";
export const REASON_MISMATCH = "06";
export const MSG_REVERSAL_FAILED = "reversal failed — contact acquirer";
export const MSG_SIGN_IN_AGAIN = "MAC keys out of step with the acquirer — sign in again";

/** The engine's RAM: fixed set of fields, collections bounded by the batch size and retry count. */
export interface EngineState {
  j: Journal;
  sm: SecurityModule;
  codec: HostCodec;
  cfg: TxnConfig;
  /** The index of settled sales, when the terminal keeps one. */
  settled: SettledSales | undefined;
  x: Exchange;
  /** Effects of the event being handled. */
  fx: Effect[];
  now_ms: number;
  ph: number;
  /** X_*: what the request in flight is. */
  xk: number;
  timerId: number;
  /** The operator's operation, waiting for the queue to drain or running. */
  op: Operation | undefined;
  cur: TxnRecord | undefined;
  /** Reversal base of the sale in flight (kept while the chip card finishes). */
  curBase: HostMessage | undefined;
  curRev: number;
  rev: ReversalRecord | undefined;
  /** Unanswered refunds (by STAN) and how often each was sent in this power cycle. */
  repStans: number[];
  repSent: number[];
  /** Batch upload: the STAN of the last transaction sent (0: none yet). */
  upStan: number;
  /** The index slot after the last one uploaded (slots ascend by STAN): the next 0320 is looked for from there, not from the first. */
  upSlot: number;
  totals: Totals | undefined;
  /** The acquirer said our MAC key is out of step (A0/77): no online request until a sign-in. */
  keysStale: boolean;
  /** Errors that were not PosrtErrors (defects), caught so the terminal keeps running. */
  crashCount: number;
  /** Where downloaded chip parameters and CA keys are kept (none: downloads are not run). */
  params: ParamStore | undefined;
  /** The download running, downloads started since the sign-in, and what they brought. */
  dl: Download | undefined;
  dlRounds: number;
  dlNote: string;
  /** The issuer's name (63.2.1) of the last financial reply of the operation running. */
  issuer: string;
}

export function newState(j: Journal, sm: SecurityModule, codec: HostCodec, cfg: TxnConfig, settled: SettledSales | undefined, params?: ParamStore): EngineState {
  return {
    params: params, dl: undefined, dlRounds: 0, dlNote: "", issuer: "",
    j: j, sm: sm, codec: codec, cfg: cfg, settled: settled, x: new Exchange(codec, sm), fx: [], now_ms: 0, ph: PH_IDLE, xk: X_NONE, timerId: 0,
    op: undefined, cur: undefined, curBase: undefined, curRev: 0, rev: undefined, repStans: [], repSent: [],
    upStan: 0, upSlot: 0, totals: undefined, keysStale: false, crashCount: 0,
  };
}

export function emptyResult(op: number): OpResult {
  return { op: op, ok: false, code: "", text: "", stan: 0, amount_minor: 0, rrn: "", authCode: "" };
}

export function display(s: EngineState, text: string): void {
  s.fx.push({ k: FX_DISPLAY, text: text });
}

/** Reports the operator's operation as finished and forgets it. */
export function finishOp(s: EngineState, ok: boolean, code: string, text: string): void {
  const op = s.op;
  if (op === undefined) return;
  const r = emptyResult(op.op);
  r.ok = ok;
  r.code = code;
  r.text = text;
  const t = s.cur;
  if (t !== undefined) {
    r.stan = t.stan;
    r.amount_minor = t.amount_minor;
    r.rrn = t.rrn;
    r.authCode = t.authCode;
  }
  if (s.issuer.length > 0) r.issuer = s.issuer;
  s.issuer = "";
  s.op = undefined;
  s.fx.push({ k: FX_RESULT, result: r });
}

/** Something failed locally (journal full, bad stored data): end the operation, keep the journal as is. */
export function abort(s: EngineState, why: string): void {
  if (s.x.inFlight()) s.fx.push({ k: FX_CANCEL_TIMER, id: s.timerId });
  s.x.clear();
  s.ph = PH_IDLE;
  s.xk = X_NONE;
  s.dl = undefined;
  display(s, why);
  finishOp(s, false, "", why);
}

/** Sends `msg` as the exchange in flight of kind `kind` and starts its timer. */
export function send(s: EngineState, msg: HostMessage, kind: number, withMac: boolean): void {
  sendWire(s, s.x.send(msg, withMac), kind);
}

/** Sends bytes already packed (and MACed) by `s.x.send`, and starts the reply timer. */
export function sendWire(s: EngineState, wire: Bytes, kind: number): void {
  s.xk = kind;
  s.ph = PH_WAIT;
  s.timerId = s.timerId + 1;
  s.fx.push({ k: FX_SEND, b: wire });
  s.fx.push({ k: FX_START_TIMER, id: s.timerId, ms: s.cfg.timeout_ms });
}

/** Card data recoverable from the journal: the PAN only (no track, no PIN). */
export function storedCard(s: EngineState, t: TxnRecord): Card {
  return { pan: s.sm.openPan(t.panSealed), expiry: "", track2: "", pinBlock: "", chip: false, icc: "" };
}

export function financialInput(s: EngineState, stan: number, amount_minor: number, card: Card): FinancialInput {
  return { cfg: s.cfg, stan: stan, batch: s.j.batch(), amount_minor: amount_minor, card: card };
}

/** A reversal base as the journal keeps it: packed, without PAN or card data (see reversalForStorage). */
export function storedReversal(s: EngineState, base: HostMessage): Bytes {
  return s.codec.packBare(reversalForStorage(base));
}
