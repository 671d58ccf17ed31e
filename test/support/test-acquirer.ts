// TEST DOUBLE: a small in-process acquirer for the device-runner unit test (toy MAC keys of
// TestSecurity; the simulation uses the real AcquirerCore). It keeps a per-card ledger, approves/declines sales
// (magic cents .05/.14/.51/.54/.55/.91 → that code, .98 → no reply), handles void,
// refund (a repeated refund STAN gets the stored reply, no second credit), reversal
// (idempotent; a reversal of an unknown trace is remembered so a late original is refused),
// settlement with totals comparison, batch upload and sign-in.
import { Bytes } from "../../src/bytes/index";
import { HostCodec, HostMessage } from "../../src/host/codec";
import { addMac, macValid, replyMti } from "../../src/host/exchange";
import { SecurityModule } from "../../hal/security";
import { totalsField48 } from "../../src/txn/settle";
import { pad } from "../../src/text/digits";

export const A_APPROVED = 1;
export const A_DECLINED = 2;
export const A_REVERSED = 3;
export const A_VOIDED = 4;

export interface AcqTxn {
  tid: string;
  stan: string;
  batch: number;
  kind: string; // "sale" | "void" | "refund"
  pan: string;
  amount_minor: number;
  state: number;
  reply: HostMessage;
  origStan: string;
}

const MAGIC = ["51", "54", "55", "14", "05", "91"];
export const NO_REPLY_CENTS = 98;

export class TestAcquirer {
  codec: HostCodec;
  sm: SecurityModule;
  field62: string;
  txns: { [key: string]: AcqTxn } = {};
  order: string[] = [];
  tombstones: { [key: string]: boolean } = {};
  net: { [pan: string]: number } = {};
  rrn = 0;
  batch = 1;
  settleMismatches = 0;
  settlements = 0;

  constructor(o: { codec: HostCodec; security: SecurityModule; field62: string }) {
    this.codec = o.codec;
    this.sm = o.security;
    this.field62 = o.field62;
  }

  /** One request frame in, one reply frame out (undefined: no reply). */
  handle(frame: Bytes): Bytes | undefined {
    let req: HostMessage;
    try {
      req = this.codec.unpackWire(frame);
    } catch (e) {
      return undefined;
    }
    const reply = this.answer(req);
    if (reply === undefined) return undefined;
    if (req.fields["64"] !== undefined) addMac(this.codec, this.sm, reply);
    return this.codec.packWire(reply);
  }

  private base(req: HostMessage, code: string): HostMessage {
    const f: { [n: string]: string } = { "39": code };
    for (const k of ["3", "4", "11", "41", "42", "60"]) if (req.fields[k] !== undefined) f[k] = req.fields[k];
    return { mti: replyMti(req.mti), fields: f };
  }

  private answer(req: HostMessage): HostMessage | undefined {
    if (req.mti === "0800") return this.signIn(req);
    if (req.fields["64"] === undefined || !this.sm.hasWorkingKeys() || !macValid(this.codec, this.sm, req)) return this.base(req, "A0");
    const proc = req.fields["3"];
    if (req.mti === "0200" && proc === "000000") return this.financial(req, "sale");
    if (req.mti === "0200" && proc === "200000") return this.financial(req, "void");
    if (req.mti === "0220") return this.financial(req, "refund");
    if (req.mti === "0200" && proc === "310000") return { ...this.base(req, "00"), fields: { ...this.base(req, "00").fields, "54": "1002156C000001000000" } };
    if (req.mti === "0400") return this.reverse(req);
    if (req.mti === "0500") return this.settle(req);
    if (req.mti === "0320") {
      const f60 = req.fields["60"] ?? "";
      const batch = Number(f60.substring(2, 8));
      if (f60.substring(8, 11) === "202" && batch >= this.batch) this.batch = batch + 1;
      return this.base(req, "00");
    }
    return this.base(req, "12");
  }

  private signIn(req: HostMessage): HostMessage {
    const r = this.base(req, "00");
    r.fields["62"] = this.field62;
    r.fields["12"] = "120000";
    r.fields["13"] = "0101";
    r.fields["60"] = "00" + pad(this.batch, 6) + "003";
    return r;
  }

  key(tid: string, stan: string): string {
    return tid + ":" + stan;
  }

  private financial(req: HostMessage, kind: string): HostMessage | undefined {
    const tid = req.fields["41"];
    const stan = req.fields["11"];
    const k = this.key(tid, stan);
    const seen = this.txns[k];
    if (seen !== undefined) return kind === "refund" && seen.kind === "refund" ? seen.reply : this.base(req, "94");
    if (this.tombstones[k]) return this.base(req, "12");
    const amount = Number(req.fields["4"]);
    const cents = amount % 100;
    const magic = kind === "sale";
    if (magic && cents === NO_REPLY_CENTS) return undefined;
    let code = magic && MAGIC.indexOf(pad(cents, 2)) >= 0 ? pad(cents, 2) : "00";
    let origStan = "";
    if (kind === "void" && code === "00") {
      origStan = (req.fields["61"] ?? "").substring(6, 12);
      const orig = this.txns[this.key(tid, origStan)];
      if (orig === undefined || orig.state !== A_APPROVED || orig.kind !== "sale" || orig.amount_minor !== amount) code = "12";
    }
    const reply = this.base(req, code);
    reply.fields["37"] = pad(++this.rrn, 12);
    if (code === "00") reply.fields["38"] = "AU" + pad(this.rrn % 10000, 4);
    const pan = req.fields["2"];
    const t: AcqTxn = { tid, stan, batch: Number((req.fields["60"] ?? "00000000").substring(2, 8)), kind, pan, amount_minor: amount, state: code === "00" ? A_APPROVED : A_DECLINED, reply, origStan };
    this.txns[k] = t;
    this.order.push(k);
    if (code === "00") this.move(t, 1);
    return reply;
  }

  /** Applies (sign 1) or undoes (sign -1) a transaction's money. */
  private move(t: AcqTxn, sign: number): void {
    const delta = t.kind === "sale" ? t.amount_minor : -t.amount_minor;
    this.net[t.pan] = (this.net[t.pan] ?? 0) + sign * delta;
    if (t.kind === "void") {
      const orig = this.txns[this.key(t.tid, t.origStan)];
      if (orig !== undefined) orig.state = sign > 0 ? A_VOIDED : A_APPROVED;
    }
  }

  private reverse(req: HostMessage): HostMessage {
    const k = this.key(req.fields["41"], req.fields["11"]);
    const t = this.txns[k];
    if (t === undefined) {
      this.tombstones[k] = true;
      return this.base(req, "25");
    }
    if (t.kind === "refund") return this.base(req, "12");
    if (t.state === A_APPROVED) {
      this.move(t, -1);
      t.state = A_REVERSED;
    }
    return this.base(req, "00");
  }

  /** Approved, not voided or reversed, sales and refunds of one terminal's batch. */
  totals(tid: string, batch: number): string {
    const tt = { debitCount: 0, debit_minor: 0, creditCount: 0, credit_minor: 0 };
    for (const k of this.order) {
      const t = this.txns[k];
      if (t.tid !== tid || t.batch !== batch || t.state !== A_APPROVED) continue;
      if (t.kind === "sale") { tt.debitCount++; tt.debit_minor += t.amount_minor; }
      if (t.kind === "refund") { tt.creditCount++; tt.credit_minor += t.amount_minor; }
    }
    return totalsField48(tt);
  }

  private settle(req: HostMessage): HostMessage {
    const batch = Number((req.fields["60"] ?? "00000000").substring(2, 8));
    const mine = this.totals(req.fields["41"], batch);
    const theirs = req.fields["48"] ?? "";
    const same = mine.substring(0, 30) === theirs.substring(0, 30);
    this.settlements++;
    if (!same) { this.settleMismatches++; if (process.env.SIM_DEBUG) console.log("MISMATCH batch", batch, "acq", mine.substring(0, 30), "term", theirs.substring(0, 30)); }
    if (same && batch >= this.batch) this.batch = batch + 1;
    const r = this.base(req, same ? "00" : "95");
    r.fields["48"] = mine.substring(0, 30) + (same ? "1" : "2");
    return r;
  }
}
