// Drives a TxnEngine in tests: virtual time, a scripted host (replies built from the last
// request), power cuts (a fresh engine over the same journal and security module).
import { Bytes, fromHex, len, slice } from "../../src/bytes/index";
import { TxnEngine } from "../../src/txn/engine";
import { HostCodec, HostMessage } from "../../src/host/codec";
import { addMac, replyMti } from "../../src/host/exchange";
import {
  Card, Effect, Operation, OpResult, SettledSale, SettledSales, TxnConfig, settledBatchRefunds, EV_BYTES, EV_COMPLETED, EV_CANNOT_COMPLETE, EV_OP, EV_POWER_UP, EV_TIMER,
  FX_CANCEL_TIMER, FX_DISPLAY, FX_PRINT, FX_RESULT, FX_SEND, FX_START_TIMER, OP_SIGNIN,
} from "../../src/txn/types";
import { Journal } from "../../src/journal/api";
import { SecurityModule } from "../../hal/security";
import { MemoryJournal } from "./memory-journal";
import { TestSecurity, testField62 } from "./test-security";
import { CUP_CODEC } from "../../src/host/cup";

export const TEST_CONFIG: TxnConfig = {
  terminalId: "TERM0001", merchantId: "MERCHANT0000001", merchantName: "POSRT TEST SHOP", currency: "156",
  timeout_ms: 30000, reversalAttempts: 3, refundMax_minor: 50000, supervisorPassword: "123456", keyScheme: "003", awaitCompletion: false,
};

export const CARD: Card = { pan: "6214830000000009", expiry: "2812", track2: "6214830000000009D28121010000", pinBlock: "0123456789ABCDEF", chip: false, icc: "" };

export function op(kind: number, extra?: Partial<Operation>): Operation {
  return { op: kind, amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "", ...extra };
}

export class Harness {
  j: Journal;
  sm: SecurityModule;
  codec: HostCodec;
  cfg: TxnConfig;
  eng: TxnEngine;
  t_ms = 1767225600000; // 2026-01-01T00:00:00Z
  sentRaw: Bytes[] = [];
  effects: Effect[] = [];
  results: OpResult[] = [];
  printed: string[][] = [];
  shown: string[] = [];
  timer = -1;
  rrnSeq = 1;

  settled: SettledSales | undefined;

  constructor(o?: { journal?: Journal; codec?: HostCodec; security?: SecurityModule; config?: Partial<TxnConfig>; settled?: SettledSales }) {
    this.settled = o?.settled;
    this.j = o?.journal ?? new MemoryJournal();
    this.sm = o?.security ?? new TestSecurity();
    this.codec = o?.codec ?? CUP_CODEC;
    this.cfg = { ...TEST_CONFIG, ...o?.config };
    this.eng = this.newEngine();
  }

  newEngine(): TxnEngine {
    return new TxnEngine({ journal: this.j, security: this.sm, codec: this.codec, config: this.cfg, settled: this.settled });
  }

  run(k: number, extra?: { op?: Operation; data?: Bytes; id?: number }): Effect[] {
    const fx = this.eng.handle({ k, t_ms: this.t_ms, ...extra });
    for (const e of fx) {
      this.effects.push(e);
      if (e.k === FX_SEND) this.sentRaw.push(e.b as Bytes);
      if (e.k === FX_START_TIMER) this.timer = e.id as number;
      if (e.k === FX_CANCEL_TIMER && e.id === this.timer) this.timer = -1;
      if (e.k === FX_RESULT) this.results.push(e.result as OpResult);
      if (e.k === FX_PRINT) this.printed.push(e.lines as string[]);
      if (e.k === FX_DISPLAY) this.shown.push(e.text as string);
    }
    return fx;
  }

  do(o: Operation): Effect[] {
    return this.run(EV_OP, { op: o });
  }

  /** The last request sent, decoded. */
  last(): HostMessage {
    return this.codec.unpackWire(this.sentRaw[this.sentRaw.length - 1]);
  }

  lastResult(): OpResult {
    return this.results[this.results.length - 1];
  }

  /** A reply to the last request: echoes 3/11/41/42, adds `fields`, MAC'd unless told not to. */
  replyTo(req: HostMessage, fields: { [n: string]: string }, o?: { mac?: boolean; mti?: string }): HostMessage {
    const f: { [n: string]: string } = {};
    for (const k of ["3", "4", "11", "41", "42", "60"]) if (req.fields[k] !== undefined) f[k] = req.fields[k];
    if (req.mti === "0200" || req.mti === "0220") {
      f["37"] = String(100000000000 + this.rrnSeq++);
      f["38"] = "A1B2C3";
    }
    const m: HostMessage = { mti: o?.mti ?? replyMti(req.mti), fields: { ...f, ...fields } };
    if (o?.mac !== false && req.fields["64"] !== undefined) addMac(this.codec, this.sm, m);
    return m;
  }

  deliver(m: HostMessage): Effect[] {
    return this.run(EV_BYTES, { data: this.codec.packWire(m) });
  }

  /** Replies to the last request with 39 = `code`. */
  answer(code: string, fields?: { [n: string]: string }): Effect[] {
    return this.deliver(this.replyTo(this.last(), { "39": code, ...fields }));
  }

  fireTimer(): Effect[] {
    this.t_ms += this.cfg.timeout_ms;
    return this.run(EV_TIMER, { id: this.timer });
  }

  complete(ok: boolean): Effect[] {
    return this.run(ok ? EV_COMPLETED : EV_CANNOT_COMPLETE);
  }

  /** Power lost: RAM (the engine) is gone; journal and security module survive. */
  powerCut(): Effect[] {
    this.eng = this.newEngine();
    this.timer = -1;
    return this.run(EV_POWER_UP);
  }

  signIn(key = 0x1234abcd): void {
    this.do(op(OP_SIGNIN));
    this.answer("00", { "62": testField62(key), "12": "120000", "13": "0101", "60": "00000007003" });
  }

  /** Bytes of `b` split in pieces of `n` (partial reads). */
  static pieces(b: Bytes, n: number): Bytes[] {
    const out: Bytes[] = [];
    for (let i = 0; i < len(b); i += n) out.push(slice(b, i, Math.min(n, len(b) - i)));
    return out;
  }
}

export { fromHex };

/** The index of settled sales in RAM, bounded like the terminal's (oldest dropped first). */
export class MemorySettled implements SettledSales {
  items: SettledSale[] = [];
  constructor(private max = 60) {}
  find(rrn: string): SettledSale | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].rrn === rrn) return this.items[i];
    return undefined;
  }
  add(s: SettledSale): void {
    const kept = this.items.find((x) => x.batch === s.batch && x.stan === s.stan && x.rrn === s.rrn);
    if (kept !== undefined) { Object.assign(kept, s); return; }
    if (this.items.length >= this.max) this.items.shift();
    this.items.push({ ...s });
  }
  save(): void {
    // kept in RAM only
  }
  countRefunds(rrn: string, batch: number, batch_minor: number): void {
    const s = this.find(rrn);
    if (s !== undefined) settledBatchRefunds(s, batch, batch_minor);
  }
}
