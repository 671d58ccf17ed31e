// The acquirer simulator's core: one wire frame in, at most one wire frame out, no I/O.
// Deterministic given its seed, its state and the `now_ms` of each call, so it runs
// in-process inside `posrt sim` and behind the TCP server of `posrt acquirer` alike.
//
// Protocol (cup framing: 2-byte length, TPDU, header, bare ISO 8583): see the README section
// "Acquirer simulator". Every request but the sign-in 0800 must carry a valid X9.19 MAC in
// field 64 (else 39 = A0); a reply carries a MAC exactly when its request's MAC was verified.
import { Bytes } from "../../src/bytes/index";
import { fromHex, toHex } from "../../src/bytes/index";
import { fail, isPosrtError, errorText } from "../../src/errors";
import { IsoFields, IsoMessage, WireHeader, packWire, unpackWire, parseField60, buildField60, specByName } from "../../src/iso8583/index";
import { AcquirerProfile } from "../../src/host/profile";
import { encodeWorkingKeys, tdesKey, checkMacAlgorithm, MAC_X919, KEY_SCHEME_DOUBLE, KEY_SCHEME_DOUBLE_TRACK, KEY_SCHEME_SINGLE } from "../../src/crypto/index";
import { MagicAmount, RC, magicAmount } from "../../src/acquirer/protocol";
import { TEST_TMK_HEX } from "../../hal/emulator/security";
import { Ledger } from "./ledger";
import { Rng } from "./rng";
import { FinancialHandlers } from "./financial";
import { KeyDesk } from "./keys";
import { AcquirerState, restoreState, snapshotState } from "./state";
import { Answer, Desk, RECONCILE_MODES, ReconcileMode, Req, TerminalEntry, TerminalState } from "./types";
import { ParamSet, downloadReply, requirement, withRequirement } from "./params";
import { NET_KEY_END, NET_PARAM_END, isDownloadCode } from "../../src/params/field62";
import { ACQUIRER_ID, ECHO_FIELDS, SPEC, hostTime, otherStan, replyMti, swapTpdu } from "./wire";

export { SPEC, ACQUIRER_ID, hostTime, replyMti };
export type { Answer, ReconcileMode, Req, TerminalEntry, TerminalState };
export { RECONCILE_MODES };

export interface AcquirerOptions {
  seed?: number;
  /** When given, only these terminals may sign in (otherwise development mode: any). */
  terminals?: TerminalEntry[];
  state?: AcquirerState;
  /** Field 49 / 54 currency, default "156" (CNY). */
  currency?: string;
  /** Extra fields on every approved financial reply (e.g. a GBK issuer name in 63, one character per byte). */
  approvalFields?: IsoFields;
  /** Field 64 MAC algorithm: "x919" (default) or "cup-ecb". */
  mac?: string;
  /** ISO 8583 spec of the host's dialect: "cup" (default) or "cup-f22r" (field 22 right aligned). */
  spec?: string;
  /** Chip parameters and CA keys served by download (cli/acquirer/params.ts); none: no downloads asked for. */
  params?: ParamSet;
  /** How settlements are answered (types.ts ReconcileMode); default "totals". */
  reconcile?: ReconcileMode;
}

/** AcquirerCore options from an acquirer profile (src/host/profile.ts): MAC, spec, approval fields. */
export function profileOptions(p: AcquirerProfile): AcquirerOptions {
  const approvalFields: IsoFields = {};
  for (let i = 0; i < p.reply_keys.length; i++) approvalFields[p.reply_keys[i]] = p.reply_values[i];
  return { mac: p.mac, spec: p.spec, approvalFields };
}

export class AcquirerCore implements Desk {
  readonly book: Ledger;
  readonly terminals = new Map<string, TerminalState>();
  readonly rng: Rng;
  readonly currency: string;
  readonly restricted: boolean;
  readonly approvalFields: IsoFields;
  readonly spec: string;
  readonly params: ParamSet | undefined;
  readonly reconcile: ReconcileMode;
  private registered = new Map<string, TerminalEntry>();
  private keys: KeyDesk;
  private fin: FinancialHandlers;
  seq = { rrn: 0 };

  constructor(opts: AcquirerOptions) {
    this.book = new Ledger();
    this.rng = new Rng(opts.seed ?? 1);
    this.currency = opts.currency ?? "156";
    this.approvalFields = opts.approvalFields ?? {};
    this.restricted = opts.terminals !== undefined;
    for (const t of opts.terminals ?? []) this.registered.set(t.tid, t);
    this.spec = opts.spec ?? SPEC;
    this.params = opts.params;
    this.reconcile = opts.reconcile ?? "totals";
    if (RECONCILE_MODES.indexOf(this.reconcile) < 0) fail("acquirer", `reconcile mode "${this.reconcile}" is not one of ${RECONCILE_MODES.join(", ")}`);
    specByName(this.spec);
    this.keys = new KeyDesk(this.rng, checkMacAlgorithm(opts.mac ?? MAC_X919), this.spec);
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
      parsed = unpackWire(this.spec, frame);
    } catch (e) {
      return { close: true, note: "unparseable frame: " + errorText(e) };
    }
    const req: Req = { msg: parsed.msg, header: parsed.header, tid: parsed.msg.fields["41"] ?? "", mid: parsed.msg.fields["42"] ?? "", now_ms };
    try {
      const a = this.dispatch(req);
      a.changed = a.changed === true || req.verified === true;
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
    const net = req.msg.fields["60"] === undefined ? "" : req.msg.fields["60"].substring(8, 11);
    if ((mti === "0800" || mti === "0820") && isDownloadCode(net)) return this.download(req, net);
    if (mti === "0800") return this.signIn(req);
    const term = this.terminals.get(req.tid);
    if (term === undefined || !this.keys.signedIn(term)) return this.reply(req, this.isKnown(req.tid) ? RC.signInAgain : RC.terminalNotRegistered, {}, false, "not signed in");
    if (term.mid !== req.mid) return this.reply(req, RC.invalidMerchant, {}, false, "merchant id mismatch");
    req.term = term;
    if (!this.keys.verify(term, req.msg)) return this.reply(req, RC.macFailure, {}, false, "bad MAC");
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
    const set = this.keys.issue(term, scheme);
    const keys = { scheme, pik: fromHex(set.pik), mak: fromHex(set.mak), tdk: set.tdk === "" ? undefined : fromHex(set.tdk) };
    const field62 = encodeWorkingKeys(tdesKey(fromHex(term.tmk)), keys);
    const reply60 = buildField60({ typeCode: "00", batch: term.batch, netCode: scheme });
    req.header = { tpdu: req.header.tpdu, header: withRequirement(req.header.header, requirement(this.params, term)) };
    return { ...this.reply(req, RC.approved, { "60": reply60, "62": toHex(field62) }, false, "sign-in " + scheme), changed: true };
  }

  /** A parameter or CA-key download exchange (no MAC: management messages), from a signed-in terminal. */
  private download(req: Req, net: string): Answer {
    const term = this.terminals.get(req.tid);
    if (this.params === undefined) return this.reply(req, RC.invalidTransaction, {}, false, "no parameter set to download");
    if (term === undefined || !this.keys.signedIn(term)) return this.reply(req, this.isKnown(req.tid) ? RC.signInAgain : RC.terminalNotRegistered, {}, false, "not signed in");
    if (term.mid !== req.mid) return this.reply(req, RC.invalidMerchant, {}, false, "merchant id mismatch");
    const r = downloadReply(this.params, term, net, req.msg.fields["62"]);
    req.header = { tpdu: req.header.tpdu, header: withRequirement(req.header.header, requirement(this.params, term)) };
    return { ...this.reply(req, r.rc, r.fields, false, r.note), changed: net === NET_KEY_END || net === NET_PARAM_END };
  }

  /** The terminal's record, created at its first sign-in (which binds its merchant id). */
  private terminalFor(req: Req, entry: TerminalEntry | undefined): TerminalState {
    let term = this.terminals.get(req.tid);
    if (term === undefined) {
      term = { tid: req.tid, mid: req.mid, tmk: entry?.tmk ?? TEST_TMK_HEX, batch: "000001", scheme: "", pik: "", mak: "", tdk: "", pending: [] };
      this.terminals.set(req.tid, term);
    }
    return term;
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
    if (mac && req.verified === true && req.term !== undefined) msg.fields["64"] = this.keys.mac(req.term, msg);
    return { reply: packWire(this.spec, msg, { tpdu: swapTpdu(req.header.tpdu), header: req.header.header }), close: false, note };
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
    const parsed = unpackWire(this.spec, reply);
    for (const k of Object.keys(fields)) parsed.msg.fields[k] = fields[k];
    const mac = parsed.msg.fields["64"];
    const term = this.terminals.get(parsed.msg.fields["41"] ?? "");
    if (mac !== undefined && breakMac) parsed.msg.fields["64"] = (mac.charAt(0) === "0" ? "1" : "0") + mac.substring(1);
    else if (mac !== undefined && term !== undefined && term.mak !== "") parsed.msg.fields["64"] = this.keys.mac(term, parsed.msg);
    return packWire(this.spec, parsed.msg, parsed.header);
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

