// The transaction engine: a deterministic state machine. Events in (operator action, bytes
// received, timer fired, power-up, completion from the app/EMV layer), effects out (send
// bytes, start/cancel the timer, print, display, results). Everything that must survive a
// power cut is in the journal, written before the bytes leave: RAM holds only the exchange
// in flight, so after a cut the engine rebuilds its obligations from the journal alone.
import { Bytes, fromHex, len, toHex } from "../bytes/index";
import { errorText, fail, isPosrtError } from "../errors";
import { SecurityModule } from "../../hal/security";
import { Journal, ReversalRecord, TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../journal/api";
import { HostCodec, HostMessage } from "../host/codec";
import { Exchange, RX_BAD_MAC, RX_OK, Verdict } from "../host/exchange";
import { maskPan } from "../card/pan";
import {
  Card, Effect, Operation, OpResult, TxnConfig, TxnEvent,
  EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER,
  FX_CANCEL_TIMER, FX_DISPLAY, FX_FINISH_CARD, FX_PRINT, FX_RESULT, FX_SEND, FX_SET_CLOCK, FX_START_TIMER,
  MAX_AMOUNT_MINOR, OP_BALANCE, OP_NAMES, OP_REFUND, OP_SALE, OP_SETTLE, OP_SIGNIN, OP_VOID,
} from "./types";
import { FinancialInput, balanceRequest, refundRequest, reversalBase, reversalForStorage, reversalRequest, saleRequest, settleRequest, signInRequest, uploadRequest, batchEndRequest, voidRequest } from "./messages";
import { RC_RECONCILE_ERROR, Totals, batchTotals, settleBalanced, totalsField48, unresolved, uploadItems } from "./settle";
import { currencyName, receiptLines, settlementLines } from "./receipt";
import { parseBalance54 } from "../acquirer/protocol";
import { formatAmount, localTime, pad } from "./time";

/** Engine phases. */
export const PH_IDLE = 0;
/** A request is in flight. */
export const PH_WAIT = 1;
/** The host approved a chip sale; waiting for the card to finish. */
export const PH_COMPLETE = 2;

/** What the request in flight is. */
const X_NONE = 0;
const X_REVERSAL = 1;
const X_REPEAT = 2;
const X_SIGNIN = 3;
const X_BALANCE = 4;
const X_FINANCIAL = 5;
const X_SETTLE = 6;
const X_UPLOAD = 7;
const X_BATCH_END = 8;

/** Verdict kind for "no reply before the timer fired". */
const RX_TIMEOUT = 0;
/** Reversal reasons (field 39 of the 0400). */
export const REASON_NO_REPLY = "98";
export const REASON_BAD_MAC = "A0";
export const REASON_MISMATCH = "06";
/** Codes that complete a reversal. */
const REVERSAL_DONE_CODES = ["00", "12", "25"];
export const MSG_REVERSAL_FAILED = "reversal failed — contact acquirer";
export const MSG_SIGN_IN_AGAIN = "MAC keys out of step with the acquirer — sign in again";
/** Replies (even without a valid MAC) that say the working keys are out of step. */
const KEY_TROUBLE_CODES = ["A0", "77"];
/** Bound on scheduling steps taken in one event (skipped or failed queue entries). */
export const MAX_STEPS_PER_EVENT = 64;
/** Longest supervisor password compared. */
export const MAX_PASSWORD_CHARS = 32;

export interface EngineOptions {
  journal: Journal;
  security: SecurityModule;
  codec: HostCodec;
  config: TxnConfig;
}

/** Field 39 → reversal reason for a failed exchange. */
function reasonOf(v: Verdict): string {
  if (v.k === RX_TIMEOUT) return REASON_NO_REPLY;
  return v.k === RX_BAD_MAC ? REASON_BAD_MAC : REASON_MISMATCH;
}

/** Field 54 as "CNY 12.34" (or as given when it does not parse). */
function balanceText(f54: string | undefined): string {
  if (f54 === undefined) return "(not given)";
  try {
    const b = parseBalance54(f54);
    return currencyName(b.currency) + " " + (b.balance_minor < 0 ? "-" + formatAmount(-b.balance_minor) : formatAmount(b.balance_minor));
  } catch (e) {
    return f54;
  }
}

/** Compares a secret without stopping at the first difference. */
export function sameSecret(given: string, want: string): boolean {
  let diff = given.length === want.length ? 0 : 1;
  for (let i = 0; i < want.length && i < MAX_PASSWORD_CHARS; i++) {
    const g = i < given.length ? given.charCodeAt(i) : 0;
    if (g !== want.charCodeAt(i)) diff = diff + 1;
  }
  return diff === 0 && given.length <= MAX_PASSWORD_CHARS;
}

function emptyResult(op: number): OpResult {
  return { op: op, ok: false, code: "", text: "", stan: 0, amount_minor: 0, rrn: "", authCode: "" };
}

export class TxnEngine {
  private j: Journal;
  private sm: SecurityModule;
  private codec: HostCodec;
  private cfg: TxnConfig;
  private x: Exchange;
  private fx: Effect[];
  private now_ms: number;
  private ph: number;
  private xk: number;
  private timerId: number;
  /** The operator's operation, waiting for the queue to drain or running. */
  private op: Operation | undefined;
  private cur: TxnRecord | undefined;
  /** Reversal base of the sale in flight (kept while the chip card finishes). */
  private curBase: HostMessage | undefined;
  private curRev: number;
  private rev: ReversalRecord | undefined;
  /** Unanswered refunds (by STAN) and how often each was sent in this power cycle. */
  private repStans: number[];
  private repSent: number[];
  private upItems: TxnRecord[];
  private upPans: string[];
  private upFrom: number;
  private totals: Totals | undefined;
  /** The acquirer said our MAC key is out of step (A0/77): no online request until a sign-in. */
  private keysStale: boolean;
  /** Errors that were not PosrtErrors (defects), caught so the terminal keeps running. */
  private crashCount: number;

  constructor(o: EngineOptions) {
    this.j = o.journal;
    this.sm = o.security;
    this.codec = o.codec;
    this.cfg = o.config;
    this.x = new Exchange(o.codec, o.security);
    this.fx = [];
    this.now_ms = 0;
    this.ph = PH_IDLE;
    this.xk = X_NONE;
    this.timerId = 0;
    this.op = undefined;
    this.cur = undefined;
    this.curBase = undefined;
    this.curRev = 0;
    this.rev = undefined;
    this.repStans = [];
    this.repSent = [];
    this.upItems = [];
    this.upPans = [];
    this.upFrom = 0;
    this.totals = undefined;
    this.crashCount = 0;
    this.keysStale = false;
  }

  /** True when the terminal must sign in before going online (no keys, or keys out of step). */
  needsSignIn(): boolean {
    return this.keysStale || !this.sm.hasWorkingKeys();
  }

  /** Defects caught so far (anything thrown that was not a PosrtError). */
  crashes(): number {
    return this.crashCount;
  }

  /** Entries held in RAM collections (bounded by the batch size and the retry count). */
  footprint(): number {
    return this.upItems.length + this.upPans.length + this.repStans.length;
  }

  phase(): number {
    return this.ph;
  }

  idle(): boolean {
    return this.ph === PH_IDLE;
  }

  /** Runs one event; returns the effects it produced, in order. */
  handle(ev: TxnEvent): Effect[] {
    this.fx = [];
    this.now_ms = ev.t_ms;
    try {
      this.dispatch(ev);
    } catch (e) {
      if (!isPosrtError(e)) this.crashCount++;
      this.abort(errorText(e));
    }
    return this.fx;
  }

  private dispatch(ev: TxnEvent): void {
    if (ev.k === EV_OP) this.onOperation(ev.op);
    else if (ev.k === EV_BYTES) this.onBytes(ev.data);
    else if (ev.k === EV_TIMER) this.onTimer(ev.id === undefined ? -1 : ev.id);
    else if (ev.k === EV_POWER_UP) this.onPowerUp();
    else if (ev.k === EV_COMPLETED) this.onCardFinished(true, undefined);
    else if (ev.k === EV_CANNOT_COMPLETE) this.onCardFinished(false, ev.data);
    else fail("txn", "unknown event kind " + ev.k);
  }

  /** Something failed locally (journal full, bad stored data): end the operation, keep the journal as is. */
  private abort(why: string): void {
    if (this.x.inFlight()) this.fx.push({ k: FX_CANCEL_TIMER, id: this.timerId });
    this.x.clear();
    this.ph = PH_IDLE;
    this.xk = X_NONE;
    this.display(why);
    this.finishOp(false, "", why);
  }

  private display(text: string): void {
    this.fx.push({ k: FX_DISPLAY, text: text });
  }

  /** Reports the operator's operation as finished and forgets it. */
  private finishOp(ok: boolean, code: string, text: string): void {
    const op = this.op;
    if (op === undefined) return;
    const r = emptyResult(op.op);
    r.ok = ok;
    r.code = code;
    r.text = text;
    const t = this.cur;
    if (t !== undefined) {
      r.stan = t.stan;
      r.amount_minor = t.amount_minor;
      r.rrn = t.rrn;
      r.authCode = t.authCode;
    }
    this.op = undefined;
    this.fx.push({ k: FX_RESULT, result: r });
  }

  private onPowerUp(): void {
    this.ph = PH_IDLE;
    const revs = this.j.pendingReversals();
    this.display("ready — batch " + pad(this.j.batch(), 6) + ", " + revs.length + " reversal(s) pending");
    if (this.sm.hasWorkingKeys()) this.proceed();
  }

  private onOperation(op: Operation | undefined): void {
    if (op === undefined) fail("txn", "operation event without an operation");
    if (this.ph !== PH_IDLE || this.op !== undefined) {
      const r = emptyResult(op.op);
      r.text = "busy — try again";
      this.fx.push({ k: FX_RESULT, result: r });
      return;
    }
    this.op = op;
    this.cur = undefined;
    const refused = this.precheck(op);
    if (refused !== "") {
      this.display(refused);
      this.finishOp(false, "", refused);
      return;
    }
    if (op.op === OP_SIGNIN) this.startSignIn();
    else this.proceed();
  }

  /** "" when `op` may go online, else why not (nothing is written in that case). */
  private precheck(op: Operation): string {
    if (op.op === OP_SIGNIN) return "";
    if (op.op < OP_SIGNIN || op.op > OP_SETTLE) return "unknown operation " + op.op;
    if (!this.sm.hasWorkingKeys()) return "sign in first";
    if (this.keysStale) return MSG_SIGN_IN_AGAIN;
    if (op.op === OP_SETTLE) return this.prepareSettle();
    if (op.op === OP_VOID) return this.voidCheck(op);
    if (op.card === undefined) return OP_NAMES[op.op] + " needs a card";
    if (op.op === OP_BALANCE) return "";
    if (op.amount_minor < 1 || op.amount_minor > MAX_AMOUNT_MINOR || Math.floor(op.amount_minor) !== op.amount_minor) return "amount must be 1.." + MAX_AMOUNT_MINOR + " minor units";
    return op.op === OP_REFUND ? this.refundCheck(op) : "";
  }

  private voidCheck(op: Operation): string {
    if (!sameSecret(op.password, this.cfg.supervisorPassword)) return "wrong supervisor password";
    const sale = this.j.getTxn(this.j.batch(), op.origStan);
    if (sale === undefined || sale.kind !== KIND_SALE) return "no sale with trace " + pad(op.origStan, 6) + " in this batch";
    if (sale.state === ST_VOIDED) return "sale " + pad(op.origStan, 6) + " is already voided";
    if (sale.state !== ST_APPROVED) return "sale " + pad(op.origStan, 6) + " is not approved";
    if (sale.refunded_minor > 0) return "sale " + pad(op.origStan, 6) + " has refunds: refund the rest instead";
    if (op.amount_minor !== 0 && op.amount_minor !== sale.amount_minor) return "a void is for the full amount only";
    const txns = this.j.txns();
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i];
      if (t.kind === KIND_VOID && t.origStan === sale.stan && (t.state === ST_PENDING || t.state === ST_APPROVED)) return "sale " + pad(op.origStan, 6) + " already has a void";
    }
    return "";
  }

  /** Amount still refundable: against the original when the journal has it, else the configured maximum. */
  private refundCheck(op: Operation): string {
    if (op.origRrn.length !== 12 || op.origDate.length !== 4) return "refund needs the original RRN (12) and date (MMDD)";
    const orig = this.j.findByRrn(op.origRrn);
    if (orig === undefined) {
      return op.amount_minor > this.cfg.refundMax_minor ? "refund above the maximum without the original sale" : "";
    }
    if (orig.kind !== KIND_SALE || orig.state !== ST_APPROVED) return "original " + op.origRrn + " is not an approved sale";
    let open_minor = 0;
    const txns = this.j.txns();
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i];
      if (t.kind === KIND_REFUND && t.state === ST_PENDING && t.origRrn === op.origRrn) open_minor += t.amount_minor;
    }
    const left = orig.amount_minor - orig.refunded_minor - open_minor;
    return op.amount_minor > left ? "refund above what is left of the original (" + left + ")" : "";
  }

  // ---- scheduling: pending reversals, then unanswered refunds, then the operator's operation

  /** Starts the next exchange: the oldest pending reversal, an unanswered refund, or the operation. */
  private proceed(): void {
    if (this.keysStale) {
      this.ph = PH_IDLE;
      this.finishOp(false, "", MSG_SIGN_IN_AGAIN);
      return;
    }
    for (let step = 0; step < MAX_STEPS_PER_EVENT; step++) {
      const revs = this.j.pendingReversals();
      if (revs.length > 0) {
        if (this.sendReversal(revs[0])) return;
        this.finishOp(false, "", MSG_REVERSAL_FAILED);
        this.ph = PH_IDLE;
        return;
      }
      const refund = this.unansweredRefund();
      if (refund !== undefined) {
        if (this.sendRepeat(refund)) return;
        continue;
      }
      this.ph = PH_IDLE;
      if (this.op !== undefined) this.startOperation(this.op);
      return;
    }
    this.finishOp(false, "", "too many queued items — try again");
  }

  /** Sends reversal `r`; false when its attempts are used up (it is then marked failed). */
  private sendReversal(r: ReversalRecord): boolean {
    if (r.attempts >= this.cfg.reversalAttempts) {
      this.j.failReversal(r.id);
      this.display(MSG_REVERSAL_FAILED + " (trace " + pad(r.stan, 6) + ")");
      return false;
    }
    let msg: HostMessage;
    try {
      msg = reversalRequest(this.codec.unpackBare(r.request), r.reason);
      this.restorePan(msg, r);
    } catch (e) {
      this.j.failReversal(r.id);
      this.display(MSG_REVERSAL_FAILED + ": stored request unreadable (" + errorText(e) + ")");
      return false;
    }
    this.unsettle(r);
    this.j.recordAttempt(r.id);
    this.rev = r;
    this.send(msg, X_REVERSAL, true);
    return true;
  }

  /** A reversal base as the journal keeps it: packed, without PAN or card data (see reversalForStorage). */
  private storedReversal(base: HostMessage): Bytes {
    return this.codec.packBare(reversalForStorage(base));
  }

  /** Puts field 2 back into a reversal from the transaction's sealed PAN. */
  private restorePan(msg: HostMessage, r: ReversalRecord): void {
    const t = this.j.getTxn(r.batch, r.stan);
    if (t !== undefined && len(t.panSealed) > 0) msg.fields["2"] = this.sm.openPan(t.panSealed);
  }

  /** While its reversal is out, a transaction's outcome is unknown: an approved one goes back to pending. */
  private unsettle(r: ReversalRecord): void {
    const t = this.j.getTxn(r.batch, r.stan);
    if (t === undefined || t.state !== ST_APPROVED) return;
    t.state = ST_PENDING;
    this.j.putTxn(t);
  }

  private unansweredRefund(): TxnRecord | undefined {
    const txns = this.j.txns();
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i];
      if (t.kind !== KIND_REFUND || t.state !== ST_PENDING) continue;
      if (this.sentCount(t.stan) < this.cfg.reversalAttempts) return t;
    }
    return undefined;
  }

  /** Times the refund with this STAN was sent in this power cycle (0 if never). */
  private sentCount(stan: number): number {
    const at = this.repStans.indexOf(stan);
    return at < 0 ? 0 : this.repSent[at];
  }

  private setSent(stan: number, n: number): void {
    const at = this.repStans.indexOf(stan);
    if (at >= 0) {
      this.repSent[at] = n;
      return;
    }
    this.repStans.push(stan);
    this.repSent.push(n);
  }

  private forgetSent(stan: number): void {
    const at = this.repStans.indexOf(stan);
    if (at < 0) return;
    this.repStans.splice(at, 1);
    this.repSent.splice(at, 1);
  }

  /** Repeats an unanswered refund with the same trace number; false if it cannot be rebuilt. */
  private sendRepeat(t: TxnRecord): boolean {
    this.setSent(t.stan, this.sentCount(t.stan) + 1);
    let msg: HostMessage;
    try {
      msg = refundRequest(this.financialInput(t.stan, t.amount_minor, this.storedCard(t)), t.origRrn, t.origDate);
    } catch (e) {
      this.setSent(t.stan, this.cfg.reversalAttempts);
      this.display("refund " + pad(t.stan, 6) + " cannot be repeated: " + errorText(e));
      return false;
    }
    this.cur = t;
    this.send(msg, X_REPEAT, true);
    return true;
  }

  /** Card data recoverable from the journal: the PAN only (no track, no PIN). */
  private storedCard(t: TxnRecord): Card {
    return { pan: this.sm.openPan(t.panSealed), expiry: "", track2: "", pinBlock: "", chip: false, icc: "" };
  }

  private financialInput(stan: number, amount_minor: number, card: Card): FinancialInput {
    return { cfg: this.cfg, stan: stan, batch: this.j.batch(), amount_minor: amount_minor, card: card };
  }

  private send(msg: HostMessage, kind: number, withMac: boolean): void {
    const wire = this.x.send(msg, withMac);
    this.xk = kind;
    this.ph = PH_WAIT;
    this.timerId = this.timerId + 1;
    this.fx.push({ k: FX_SEND, b: wire });
    this.fx.push({ k: FX_START_TIMER, id: this.timerId, ms: this.cfg.timeout_ms });
  }

  // ---- operations

  private startOperation(op: Operation): void {
    if (op.op === OP_SALE || op.op === OP_VOID || op.op === OP_REFUND) this.startFinancial(op);
    else if (op.op === OP_BALANCE) this.send(balanceRequest(this.cfg, this.j.nextStan(), this.j.batch(), op.card as Card), X_BALANCE, true);
    else if (op.op === OP_SETTLE) this.startSettle();
    else fail("txn", "operation " + op.op + " cannot start here");
  }

  private startSignIn(): void {
    this.send(signInRequest(this.cfg, this.j.nextStan(), this.j.batch()), X_SIGNIN, false);
  }

  private newRecord(kind: number, stan: number, amount_minor: number, pan: string): TxnRecord {
    return {
      batch: this.j.batch(), stan: stan, kind: kind, state: ST_PENDING, amount_minor: amount_minor,
      currency: this.cfg.currency, panMasked: maskPan(pan), panSealed: this.sm.sealPan(pan), time: localTime(this.now_ms),
      rrn: "", authCode: "", respCode: "", origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
    };
  }

  /** Sale, void or refund: journal first (reversal armed before the bytes leave), then send. */
  private startFinancial(op: Operation): void {
    const stan = this.j.nextStan();
    let req: HostMessage;
    let t: TxnRecord;
    if (op.op === OP_VOID) {
      const sale = this.j.getTxn(this.j.batch(), op.origStan) as TxnRecord;
      const card = this.storedCard(sale);
      req = voidRequest(this.financialInput(stan, sale.amount_minor, card), sale);
      t = this.newRecord(KIND_VOID, stan, sale.amount_minor, card.pan);
      t.origStan = sale.stan;
    } else {
      const card = op.card as Card;
      const input = this.financialInput(stan, op.amount_minor, card);
      req = op.op === OP_SALE ? saleRequest(input) : refundRequest(input, op.origRrn, op.origDate);
      t = this.newRecord(op.op === OP_SALE ? KIND_SALE : KIND_REFUND, stan, op.amount_minor, card.pan);
      t.origRrn = op.op === OP_REFUND ? op.origRrn : "";
      t.origDate = op.op === OP_REFUND ? op.origDate : "";
    }
    this.curRev = 0;
    this.curBase = reversalBase(req);
    if (t.kind !== KIND_REFUND) this.curRev = this.j.armReversal(t.batch, stan, REASON_NO_REPLY, this.storedReversal(this.curBase));
    this.j.putTxn(t);
    if (t.kind === KIND_REFUND) this.setSent(stan, 1);
    this.cur = t;
    this.send(req, X_FINANCIAL, true);
  }

  // ---- replies

  private onBytes(data: Bytes | undefined): void {
    if (data === undefined || this.ph !== PH_WAIT) return;
    const v = this.x.receive(data);
    if (v === undefined) return;
    this.fx.push({ k: FX_CANCEL_TIMER, id: this.timerId });
    this.judged(v);
  }

  private onTimer(id: number): void {
    if (id !== this.timerId || this.ph !== PH_WAIT) return;
    this.judged({ k: RX_TIMEOUT, why: "no reply within " + this.cfg.timeout_ms + " ms" });
  }

  private judged(v: Verdict): void {
    this.x.clear();
    const kind = this.xk;
    this.xk = X_NONE;
    this.ph = PH_IDLE;
    const code = v.k === RX_OK ? this.code39(v.msg as HostMessage) : "";
    if (v.k === RX_BAD_MAC && KEY_TROUBLE_CODES.indexOf(this.code39(v.msg as HostMessage)) >= 0 && kind !== X_SIGNIN) {
      this.keysStale = true;
      this.display(MSG_SIGN_IN_AGAIN);
    }
    if (kind === X_REVERSAL) this.reversalReplied(v, code);
    else if (kind === X_REPEAT) this.repeatReplied(v, code);
    else if (kind === X_FINANCIAL) this.financialReplied(v, code);
    else if (kind === X_SIGNIN) this.signInReplied(v, code);
    else if (kind === X_BALANCE) this.balanceReplied(v, code);
    else this.settleReplied(kind, v, code);
  }

  private code39(m: HostMessage): string {
    const c = m.fields["39"];
    return c === undefined ? "" : c;
  }

  private reversalReplied(v: Verdict, code: string): void {
    const r = this.rev as ReversalRecord;
    this.rev = undefined;
    if (v.k === RX_OK && REVERSAL_DONE_CODES.indexOf(code) >= 0) {
      this.markReversed(r);
      this.j.completeReversal(r.id);
      this.display("reversal of trace " + pad(r.stan, 6) + " done (" + code + ")");
    } else {
      this.display("reversal of trace " + pad(r.stan, 6) + " not confirmed: " + (v.k === RX_OK ? "code " + code : v.why));
    }
    this.proceed();
  }

  /** The transaction a completed reversal undid: reversed; a reversed void gives its sale back. */
  private markReversed(r: ReversalRecord): void {
    const t = this.j.getTxn(r.batch, r.stan);
    if (t === undefined) return;
    if (t.state !== ST_REVERSED) {
      t.state = ST_REVERSED;
      this.j.putTxn(t);
    }
    if (t.kind !== KIND_VOID) return;
    const sale = this.j.getTxn(t.batch, t.origStan);
    if (sale !== undefined && sale.state === ST_VOIDED) {
      sale.state = ST_APPROVED;
      this.j.putTxn(sale);
    }
  }

  private repeatReplied(v: Verdict, code: string): void {
    const t = this.cur as TxnRecord;
    if (v.k === RX_OK) {
      this.settleRefund(t, v.msg as HostMessage, code);
      if (code === "00") this.fx.push({ k: FX_PRINT, lines: receiptLines(this.cfg, t, "confirmed late") });
      this.display("refund " + pad(t.stan, 6) + (code === "00" ? " confirmed" : " declined (" + code + ")"));
    } else {
      this.display("refund " + pad(t.stan, 6) + " still unanswered: " + v.why);
    }
    this.cur = undefined;
    this.proceed();
  }

  /** A refund's reply: the original's refunded total first (conservative), then the refund itself. */
  private settleRefund(t: TxnRecord, reply: HostMessage, code: string): void {
    this.keepReply(t, reply, code);
    if (code === "00") {
      const orig = this.j.findByRrn(t.origRrn);
      if (orig !== undefined && orig.kind === KIND_SALE) {
        orig.refunded_minor = orig.refunded_minor + t.amount_minor;
        this.j.putTxn(orig);
      }
    }
    t.state = code === "00" ? ST_APPROVED : ST_DECLINED;
    this.j.putTxn(t);
    this.forgetSent(t.stan);
  }

  private keepReply(t: TxnRecord, reply: HostMessage, code: string): void {
    t.respCode = code;
    const rrn = reply.fields["37"];
    const auth = reply.fields["38"];
    if (rrn !== undefined) t.rrn = rrn;
    if (auth !== undefined) t.authCode = auth;
  }

  private financialReplied(v: Verdict, code: string): void {
    const t = this.cur as TxnRecord;
    if (t.kind === KIND_REFUND) return this.refundReplied(v, code);
    if (v.k !== RX_OK) {
      const reason = reasonOf(v);
      if (reason !== REASON_NO_REPLY) this.j.setReversalReason(this.curRev, reason);
      this.display("no valid reply (" + v.why + ") — reversing");
      this.finishOp(false, "", "no valid reply: " + v.why + "; reversal " + reason + " queued");
      this.proceed();
      return;
    }
    this.keepReply(t, v.msg as HostMessage, code);
    if (code !== "00") {
      t.state = ST_DECLINED;
      this.j.putTxn(t);
      this.j.disarmReversal(this.curRev);
      this.display("declined (" + code + ")");
      this.finishOp(false, code, "declined (" + code + ")");
      return;
    }
    const op = this.op as Operation;
    if (t.kind === KIND_SALE && op.card !== undefined && (op.card.chip || this.cfg.awaitCompletion)) {
      this.j.putTxn(t);
      this.ph = PH_COMPLETE;
      this.fx.push({ k: FX_FINISH_CARD });
      return;
    }
    this.approve(t);
  }

  /** Approved and complete: journal says so first, then the reversal is disarmed, then the receipt. */
  private approve(t: TxnRecord): void {
    this.ph = PH_IDLE;
    t.state = ST_APPROVED;
    if (t.kind === KIND_VOID) {
      const sale = this.j.getTxn(t.batch, t.origStan);
      if (sale !== undefined) {
        sale.state = ST_VOIDED;
        this.j.putTxn(sale);
      }
    }
    this.j.putTxn(t);
    this.j.disarmReversal(this.curRev);
    this.fx.push({ k: FX_PRINT, lines: receiptLines(this.cfg, t, "") });
    this.display(this.j.nearlyFull() ? "approved — journal " + this.j.fillPercent() + " % full: settle soon" : "approved");
    this.finishOp(true, "00", "approved");
  }

  private refundReplied(v: Verdict, code: string): void {
    const t = this.cur as TxnRecord;
    if (v.k !== RX_OK) {
      this.display("refund unanswered (" + v.why + ") — it will be repeated, never reversed");
      this.finishOp(false, "", "no valid reply: " + v.why + "; refund will be repeated");
      this.proceed();
      return;
    }
    this.settleRefund(t, v.msg as HostMessage, code);
    if (code === "00") this.fx.push({ k: FX_PRINT, lines: receiptLines(this.cfg, t, "") });
    this.display(code === "00" ? "approved" : "declined (" + code + ")");
    this.finishOp(code === "00", code, code === "00" ? "approved" : "declined (" + code + ")");
  }

  /** The app/EMV layer finished a host-approved chip sale: complete it, or reverse it (06). */
  private onCardFinished(ok: boolean, icc: Bytes | undefined): void {
    if (this.ph !== PH_COMPLETE) return;
    const t = this.cur as TxnRecord;
    if (ok) return this.approve(t);
    this.ph = PH_IDLE;
    if (icc !== undefined && len(icc) > 0 && this.curBase !== undefined) this.rearmWithIcc(t, this.curBase, icc);
    else this.j.setReversalReason(this.curRev, REASON_MISMATCH);
    this.display("cannot complete after approval — reversing");
    this.finishOp(false, "", "cannot complete after approval; reversal 06 queued");
    this.proceed();
  }

  /** The reversal must carry the card's final field 55: a new one is armed first, then the old one disarmed. */
  private rearmWithIcc(t: TxnRecord, base: HostMessage, icc: Bytes): void {
    base.fields["55"] = toHex(icc);
    const id = this.j.armReversal(t.batch, t.stan, REASON_MISMATCH, this.storedReversal(base));
    this.j.disarmReversal(this.curRev);
    this.curRev = id;
  }

  private signInReplied(v: Verdict, code: string): void {
    if (v.k !== RX_OK) return this.finishOp(false, "", "sign-in failed: " + v.why);
    if (code !== "00") return this.finishOp(false, code, "sign-in declined (" + code + ")");
    const m = v.msg as HostMessage;
    const keys = m.fields["62"];
    if (keys === undefined) return this.finishOp(false, code, "sign-in reply has no working keys (62)");
    try {
      this.sm.installWorkingKeys(fromHex(keys));
    } catch (e) {
      return this.finishOp(false, code, "working keys rejected: " + errorText(e));
    }
    this.keysStale = false;
    this.adoptBatch(m.fields["60"]);
    const date = m.fields["13"];
    const time = m.fields["12"];
    if (date !== undefined && time !== undefined && date.length === 4 && time.length === 6) this.fx.push({ k: FX_SET_CLOCK, text: date + time });
    this.display("signed in — batch " + pad(this.j.batch(), 6));
    this.finishOp(true, code, "signed in");
    this.proceed();
  }

  /** Takes 60.2 as the batch number unless the current batch still holds transactions. */
  private adoptBatch(f60: string | undefined): void {
    if (f60 === undefined || f60.length < 8) return;
    const digits = f60.substring(2, 8);
    let n = 0;
    for (let i = 0; i < 6; i++) {
      const c = digits.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return;
      n = n * 10 + c;
    }
    if (n !== this.j.batch() && this.j.txns().length === 0) this.j.setBatch(n);
  }

  private balanceReplied(v: Verdict, code: string): void {
    if (v.k !== RX_OK) return this.finishOp(false, "", "balance inquiry failed: " + v.why);
    const bal = (v.msg as HostMessage).fields["54"];
    const text = code === "00" ? "balance " + balanceText(bal) : "declined (" + code + ")";
    this.display(text);
    this.finishOp(code === "00", code, text);
  }

  // ---- settlement

  /** Before settlement: a new round of refund repeats, and failed reversals armed again. */
  private prepareSettle(): string {
    this.repStans = [];
    this.repSent = [];
    const pending = this.j.pendingReversals();
    const txns = this.j.txns();
    for (let i = 0; i < txns.length; i++) {
      const t = txns[i];
      if (t.state !== ST_PENDING || t.kind === KIND_REFUND) continue;
      let armed = false;
      for (let k = 0; k < pending.length; k++) if (pending[k].stan === t.stan && pending[k].batch === t.batch) armed = true;
      if (!armed) this.rearm(t);
    }
    return "";
  }

  /** Arms a fresh reversal for a transaction whose reversal failed, rebuilt from its record. */
  private rearm(t: TxnRecord): void {
    const card = this.storedCard(t);
    const input = this.financialInput(t.stan, t.amount_minor, card);
    let req: HostMessage;
    if (t.kind === KIND_VOID) {
      const sale = this.j.getTxn(t.batch, t.origStan);
      req = voidRequest(input, { batch: t.batch, stan: t.origStan, rrn: sale === undefined ? "" : sale.rrn, authCode: sale === undefined ? "" : sale.authCode });
    } else req = saleRequest(input);
    req.fields["60"] = req.fields["60"].substring(0, 2) + pad(t.batch, 6) + req.fields["60"].substring(8);
    this.j.armReversal(t.batch, t.stan, REASON_NO_REPLY, this.storedReversal(reversalBase(req)));
  }

  private startSettle(): void {
    const txns = this.j.txns();
    const open = unresolved(txns);
    if (open > 0) return this.finishOp(false, "", open + " transaction(s) without outcome — contact acquirer before settling");
    this.totals = batchTotals(txns);
    this.send(settleRequest(this.cfg, this.j.nextStan(), this.j.batch(), totalsField48(this.totals)), X_SETTLE, true);
  }

  private settleReplied(kind: number, v: Verdict, code: string): void {
    if (v.k !== RX_OK) return this.finishOp(false, "", "settlement failed: " + v.why + " — settle again");
    const m = v.msg as HostMessage;
    if (kind === X_SETTLE && settleBalanced(code, m.fields["48"])) return this.closeBatch("totals agree");
    if (kind === X_SETTLE && code !== "00" && code !== RC_RECONCILE_ERROR) return this.finishOp(false, code, "settlement declined (" + code + ")");
    if (kind !== X_SETTLE && code !== "00") return this.finishOp(false, code, "batch upload refused (" + code + ") — settle again");
    if (kind === X_BATCH_END) return this.closeBatch("totals differed: batch uploaded");
    if (kind === X_SETTLE) this.beginUpload();
    this.sendUpload();
  }

  private beginUpload(): void {
    this.upItems = uploadItems(this.j.txns());
    this.upPans = [];
    for (let i = 0; i < this.upItems.length; i++) this.upPans.push(this.sm.openPan(this.upItems[i].panSealed));
    this.upFrom = 0;
    this.display("totals differ — uploading " + this.upItems.length + " transaction(s)");
  }

  private sendUpload(): void {
    const batch = this.j.batch();
    if (this.upFrom < this.upItems.length) {
      const t = this.upItems[this.upFrom];
      const pan = this.upPans[this.upFrom];
      this.upFrom++;
      this.send(uploadRequest(this.cfg, this.j.nextStan(), t, pan, t.kind === KIND_SALE), X_UPLOAD, true);
      return;
    }
    this.send(batchEndRequest(this.cfg, this.j.nextStan(), batch, totalsField48(this.totals as Totals)), X_BATCH_END, true);
  }

  private closeBatch(how: string): void {
    const batch = this.j.batch();
    const totals = this.totals as Totals;
    this.j.closeBatch();
    this.upItems = [];
    this.upPans = [];
    this.fx.push({ k: FX_PRINT, lines: settlementLines(this.cfg, batch, totals, how) });
    this.display("batch " + pad(batch, 6) + " settled — " + how);
    this.finishOp(true, "00", "settled: " + how);
  }
}
