// The acquirer simulator's core: one wire frame in, at most one wire frame out, no I/O.
// Deterministic given its seed, its state and the `now_ms` of each call, so it runs
// in-process inside `posrt sim` and behind the TCP server of `posrt acquirer` alike.
//
// Protocol (cup framing: 2-byte length, TPDU, header, bare ISO 8583): see the README section
// "Acquirer simulator". Every request but the sign-in 0800 must carry a valid X9.19 MAC in
// field 64 (else 39 = A0); a reply carries a MAC exactly when its request's MAC was verified.
import { Bytes } from "../../src/bytes/index";
import { fromHex, toHex } from "../../src/bytes/index";
import { isPosrtError, errorText } from "../../src/errors";
import { IsoFields, IsoMessage, WireHeader, macInput, packWire, unpackWire, parseField60, buildField60 } from "../../src/iso8583/index";
import { TdesKey, encodeWorkingKeys, macX919, tdesKey, KEY_SCHEME_DOUBLE, KEY_SCHEME_DOUBLE_TRACK, KEY_SCHEME_SINGLE } from "../../src/crypto/index";
import { MagicAmount, PROC, RC, digitsValue, magicAmount } from "../../src/acquirer/protocol";
import { TEST_TMK_HEX } from "../../hal/emulator/security";
import { Ledger } from "./ledger";
import { Rng } from "./rng";
import { FinancialHandlers } from "./financial";
import { AcquirerState, TerminalState, restoreState, snapshotState } from "./state";

export const SPEC = "cup";
/** Field 32, acquiring institution id of the simulator. */
export const ACQUIRER_ID = "00000000";
const MAC_FREE_MTIS = ["0800"];

/** A registered terminal (from --terminals FILE): id, merchant, optional own master key (hex). */
export interface TerminalEntry {
  tid: string;
  mid?: string;
  tmk?: string;
}

export interface AcquirerOptions {
  seed?: number;
  /** When given, only these terminals may sign in (otherwise development mode: any). */
  terminals?: TerminalEntry[];
  state?: AcquirerState;
  /** Field 49 / 54 currency, default "156" (CNY). */
  currency?: string;
}

/** What to do with one frame: an optional reply, whether to close the connection, and why. */
export interface Answer {
  reply?: Bytes;
  close: boolean;
  note: string;
  /** Magic-amount effect still to apply ("", "no_reply", "bad_mac", "wrong_stan"). */
  effect?: string;
}

/** A request being answered. */
export interface Req {
  msg: IsoMessage;
  header: WireHeader;
  tid: string;
  mid: string;
  now_ms: number;
  term?: TerminalState;
  /** True once the request's MAC checked out: only then does the reply carry one. */
  verified?: boolean;
}

export class AcquirerCore {
  readonly book: Ledger;
  readonly terminals = new Map<string, TerminalState>();
  readonly rng: Rng;
  readonly currency: string;
  readonly restricted: boolean;
  private registered = new Map<string, TerminalEntry>();
  private macKeys = new Map<string, TdesKey>();
  private fin: FinancialHandlers;
  seq = { rrn: 0 };

  constructor(opts: AcquirerOptions) {
    this.book = new Ledger();
    this.rng = new Rng(opts.seed ?? 1);
    this.currency = opts.currency ?? "156";
    this.restricted = opts.terminals !== undefined;
    for (const t of opts.terminals ?? []) this.registered.set(t.tid, t);
    if (opts.state !== undefined) restoreState(this, opts.state);
    this.fin = new FinancialHandlers(this);
  }

  /** The reply frame to `frame`, or undefined for no reply (the in-process form of `respond`). */
  handle(frame: Uint8Array, now_ms: number): Uint8Array | undefined {
    const a = this.respond(frame as unknown as Bytes, now_ms);
    return a.reply === undefined ? undefined : (a.reply as unknown as Uint8Array);
  }

  /** Answers one frame: never throws for bad input; unparseable frames ask for the connection to close. */
  respond(frame: Bytes, now_ms: number): Answer {
    let parsed: { msg: IsoMessage; header: WireHeader };
    try {
      parsed = unpackWire(SPEC, frame);
    } catch (e) {
      return { close: true, note: "unparseable frame: " + errorText(e) };
    }
    const req: Req = { msg: parsed.msg, header: parsed.header, tid: parsed.msg.fields["41"] ?? "", mid: parsed.msg.fields["42"] ?? "", now_ms };
    try {
      const a = this.dispatch(req);
      return this.applyEffect(req, a);
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      return this.reply(req, RC.formatError, {}, true, "format error: " + errorText(e));
    }
  }

  ledger(): Ledger {
    return this.book;
  }

  accounts(): { pan: string; balance_minor: number; opening_minor: number }[] {
    return [...this.book.accounts.values()].map((a) => ({ pan: a.pan, balance_minor: a.balance_minor, opening_minor: a.opening_minor }));
  }

  snapshot(): AcquirerState {
    return snapshotState(this);
  }

  private dispatch(req: Req): Answer {
    const mti = req.msg.mti;
    if (mti.charCodeAt(2) % 2 === 1) return { close: true, note: "a response MTI " + mti + " sent to the acquirer" };
    if (req.tid.length !== 8) return this.reply(req, RC.formatError, {}, false, "field 41 missing");
    if (mti === "0800") return this.signIn(req);
    const term = this.terminals.get(req.tid);
    if (term === undefined || term.mak === "") return this.reply(req, this.isKnown(req.tid) ? RC.signInAgain : RC.terminalNotRegistered, {}, false, "not signed in");
    if (term.mid !== req.mid) return this.reply(req, RC.invalidMerchant, {}, false, "merchant id mismatch");
    req.term = term;
    if (!this.macValid(req)) return this.reply(req, RC.macFailure, {}, false, "bad MAC");
    req.verified = true;
    return this.fin.route(req);
  }

  private isKnown(tid: string): boolean {
    return !this.restricted || this.registered.has(tid);
  }

  private signIn(req: Req): Answer {
    if (!this.isKnown(req.tid)) return this.reply(req, RC.terminalNotRegistered, {}, false, "terminal not registered");
    const entry = this.registered.get(req.tid);
    const boundMid = entry?.mid ?? this.terminals.get(req.tid)?.mid;
    if (boundMid !== undefined && boundMid !== req.mid) return this.reply(req, RC.invalidMerchant, {}, false, "merchant id mismatch");
    const f60 = req.msg.fields["60"] === undefined ? undefined : parseField60(req.msg.fields["60"]);
    const scheme = f60?.netCode ?? KEY_SCHEME_DOUBLE;
    if (scheme !== KEY_SCHEME_SINGLE && scheme !== KEY_SCHEME_DOUBLE && scheme !== KEY_SCHEME_DOUBLE_TRACK) {
      return this.reply(req, RC.invalidTransaction, {}, false, "unsupported 60.3 " + scheme);
    }
    const term = this.terminalFor(req, entry);
    const keyBytes = scheme === KEY_SCHEME_SINGLE ? 8 : 16;
    const keys = { scheme, pik: this.rng.bytes(keyBytes) as unknown as Bytes, mak: this.rng.bytes(keyBytes) as unknown as Bytes, tdk: this.rng.bytes(16) as unknown as Bytes };
    term.scheme = scheme;
    term.pik = toHex(keys.pik);
    term.mak = toHex(keys.mak);
    term.tdk = scheme === KEY_SCHEME_DOUBLE_TRACK ? toHex(keys.tdk) : "";
    this.macKeys.set(term.tid, tdesKey(keys.mak));
    const field62 = encodeWorkingKeys(tdesKey(fromHex(term.tmk)), scheme === KEY_SCHEME_DOUBLE_TRACK ? keys : { scheme, pik: keys.pik, mak: keys.mak });
    const reply60 = buildField60({ typeCode: "00", batch: term.batch, netCode: scheme });
    return this.reply(req, RC.approved, { "60": reply60, "62": toHex(field62) }, false, "sign-in " + scheme);
  }

  /** The terminal's record, created at its first sign-in (which binds its merchant id). */
  private terminalFor(req: Req, entry: TerminalEntry | undefined): TerminalState {
    let term = this.terminals.get(req.tid);
    if (term === undefined) {
      term = { tid: req.tid, mid: req.mid, tmk: entry?.tmk ?? TEST_TMK_HEX, batch: "000001", scheme: "", pik: "", mak: "", tdk: "" };
      this.terminals.set(req.tid, term);
    }
    return term;
  }

  /** The expanded MAC key of a signed-in terminal (cached). */
  macKey(term: TerminalState): TdesKey {
    let k = this.macKeys.get(term.tid);
    if (k === undefined) {
      k = tdesKey(fromHex(term.mak));
      this.macKeys.set(term.tid, k);
    }
    return k;
  }

  private macValid(req: Req): boolean {
    const mac = req.msg.fields["64"];
    if (mac === undefined || req.term === undefined) return false;
    return toHex(macX919(this.macKey(req.term), macInput(SPEC, req.msg))) === mac;
  }

  /** Builds the reply: MTI + 10, echoed fields, host time and date, 39, `extra`, then the MAC when `mac` and the request's MAC was verified. */
  reply(req: Req, rc: string, extra: IsoFields, mac: boolean, note: string): Answer {
    const fields: IsoFields = {};
    for (const no of ECHO_FIELDS) if (req.msg.fields[no] !== undefined) fields[no] = req.msg.fields[no];
    const t = hostTime(req.now_ms);
    fields["12"] = t.hhmmss;
    fields["13"] = t.mmdd;
    fields["32"] = ACQUIRER_ID;
    fields["39"] = rc;
    for (const k of Object.keys(extra)) fields[k] = extra[k];
    const msg: IsoMessage = { mti: replyMti(req.msg.mti), fields };
    if (mac && req.verified === true && req.term !== undefined) msg.fields["64"] = toHex(macX919(this.macKey(req.term), macInput(SPEC, msg)));
    return { reply: packWire(SPEC, msg, { tpdu: swapTpdu(req.header.tpdu), header: req.header.header }), close: false, note };
  }

  /** Applies a magic amount's effect to an approved answer (see MAGIC_AMOUNTS). */
  private applyEffect(req: Req, a: Answer): Answer {
    if (a.effect === undefined || a.effect === "" || a.reply === undefined) return a;
    if (a.effect === "no_reply") return { close: false, note: a.note + " (magic: no reply)" };
    if (a.effect === "bad_mac") return { reply: this.rewriteReply(a.reply, {}, true), close: false, note: a.note + " (magic: bad MAC)" };
    return { reply: this.rewriteReply(a.reply, { "11": otherStan(req.msg.fields["11"] ?? "000000") }, false), close: false, note: a.note + " (magic: wrong STAN)" };
  }

  /**
   * A reply frame with `fields` replaced, MAC'd again under the terminal's key (so it stays
   * authentic), or with its MAC deliberately broken when `breakMac`.
   */
  rewriteReply(reply: Bytes, fields: IsoFields, breakMac: boolean): Bytes {
    const parsed = unpackWire(SPEC, reply);
    for (const k of Object.keys(fields)) parsed.msg.fields[k] = fields[k];
    const mac = parsed.msg.fields["64"];
    const term = this.terminals.get(parsed.msg.fields["41"] ?? "");
    if (mac !== undefined && breakMac) parsed.msg.fields["64"] = (mac.charAt(0) === "0" ? "1" : "0") + mac.substring(1);
    else if (mac !== undefined && term !== undefined && term.mak !== "") parsed.msg.fields["64"] = toHex(macX919(this.macKey(term), macInput(SPEC, parsed.msg)));
    return packWire(SPEC, parsed.msg, parsed.header);
  }

  /** Next retrieval reference number (12 digits). */
  nextRrn(): string {
    this.seq.rrn++;
    return String(this.seq.rrn).padStart(12, "0");
  }

  /** A 6-digit authorisation code. */
  nextAuth(): string {
    return String(this.rng.below(1000000)).padStart(6, "0");
  }

  magic(amount_minor: number): MagicAmount | undefined {
    return magicAmount(amount_minor);
  }
}

/** Request fields copied into every reply when present. */
const ECHO_FIELDS = ["2", "3", "4", "11", "25", "41", "42", "49", "60", "61"];

export function replyMti(mti: string): string {
  return mti.substring(0, 2) + String.fromCharCode(mti.charCodeAt(2) + 1) + mti.substring(3);
}

function swapTpdu(tpdu: string): string {
  return tpdu.substring(0, 2) + tpdu.substring(6, 10) + tpdu.substring(2, 6);
}

function otherStan(stan: string): string {
  return String((digitsValue(stan, 0, 6, "stan") + 500000) % 1000000).padStart(6, "0");
}

/** Host clock fields from `now_ms` (UTC). */
export function hostTime(now_ms: number): { hhmmss: string; mmdd: string; yymm: string } {
  const d = new Date(now_ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    hhmmss: two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds()),
    mmdd: two(d.getUTCMonth() + 1) + two(d.getUTCDate()),
    yymm: two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1),
  };
}

export { PROC };
