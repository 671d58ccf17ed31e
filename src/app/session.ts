// A whole terminal on virtual time, portable: NOR flash + journal, SecurityModule, the
// transaction engine, the app, a printer model and an acquirer function. `posrt terminal`,
// the `app.trace` conformance suite and the tests drive it; the emulator and device
// runners can reuse it. Timers (engine reply timeout, acquirer latency, one-second ticks)
// run on a bounded virtual-time queue, so a script replays exactly on every runtime.
import { Bytes, concat, len, slice } from "../bytes/index";
import { errorText } from "../errors";
import { SecurityModule } from "../../hal/security";
import { Journal } from "../journal/api";
import { openJournal } from "../journal/recover";
import { NorFlash } from "../sim/nor-flash";
import { HostCodec } from "../host/codec";
import { TxnEngine } from "../txn/engine";
import { Effect, TxnConfig, TxnEvent, EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER, FX_CANCEL_TIMER, FX_SEND, FX_START_TIMER } from "../txn/types";
import { TerminalApp } from "./app";
import { ParamStore } from "../params/store";
import { SettledIndex } from "./settled";
import { AppStore, AuditEntry, MemoryAppStore, storeOf } from "./store";
import { TestCard } from "./cards";
import {
  AppEffect, AppEvent, AE_CARD, AE_ENGINE, AE_KEY, AE_POWER_UP, AE_PRINTER, AE_TICK, AF_CARD_DONE, AF_FRAME, AF_OP, AF_PRINT, AF_PRINTER_RESUME,
} from "./types";

/** Virtual time 0 is this wall-clock time: 2026-01-01 08:00:00 UTC. */
export const SESSION_EPOCH_MS = 1767254400000;
/** Acquirer answer delay (virtual). */
export const ACQUIRER_LATENCY_MS = 40;
export const TICK_MS = 1000;
/** Bounds on the timer queue, recorded output and events per advance. */
export const MAX_TIMERS = 16;
export const MAX_FRAMES = 4000;
export const MAX_WIRE = 2000;
export const MAX_EVENTS_PER_ADVANCE = 200000;
export const RECEIPT_COLUMNS = 32;

const T_ENGINE = 1;
const T_REPLY = 2;

/** The acquirer: one request frame in, the reply frame (or undefined: no reply). */
export type AcquirerFn = (this: void, frame: Bytes, t_ms: number) => Bytes | undefined;

export interface SessionOptions {
  flash: NorFlash;
  security: SecurityModule;
  codec: HostCodec;
  config: TxnConfig;
  acquirer: AcquirerFn;
  /** The app store; the journal itself when it implements it, else this (RAM, kept across cuts). */
  store?: AppStore;
  /** Bytes of paper left (-1 unlimited): the job stops there (paper out) until paper is loaded. */
  paper_bytes?: number;
  /** The NOR region of downloaded chip parameters and CA keys (src/params/store.ts); none: no downloads. */
  paramsFlash?: NorFlash;
}

interface Timer {
  at: number;
  k: number;
  id: number;
  data?: Bytes;
}

export interface FrameOut {
  t_ms: number;
  rows: string[];
}

export interface ReceiptOut {
  copy: string;
  lines: string[];
}

export interface WireOut {
  dir: string;
  mti: string;
  stan: string;
  rc: string;
}

export class Session {
  o: SessionOptions;
  /** Virtual ms since the session started. */
  t: number;
  j: Journal;
  store: AppStore;
  engine: TxnEngine;
  app: TerminalApp;
  timers: Timer[];
  frames: FrameOut[];
  receipts: ReceiptOut[];
  wire: WireOut[];
  /** Every byte sent to the printer and every wire byte, in order (for replay checks). */
  printed: Bytes[];
  wireBytes: Bytes[];
  /** Print bytes the printer still holds (paper out). */
  held: Bytes | undefined;
  paper: number;
  cuts: number;
  /** The downloaded chip parameters and CA keys (when the session has their region). */
  params: ParamStore | undefined;
  private tickAt: number;

  constructor(o: SessionOptions) {
    this.o = o;
    this.t = 0;
    this.timers = [];
    this.frames = [];
    this.receipts = [];
    this.wire = [];
    this.printed = [];
    this.wireBytes = [];
    this.held = undefined;
    this.paper = o.paper_bytes === undefined ? -1 : o.paper_bytes;
    this.cuts = 0;
    this.params = undefined;
    this.tickAt = TICK_MS;
    this.store = o.store === undefined ? new MemoryAppStore() : o.store;
    this.j = this.openJournal();
    this.engine = this.newEngine();
    this.app = this.newApp();
    this.boot();
  }

  private openJournal(): Journal {
    this.o.flash.powerOn();
    const pf = this.o.paramsFlash;
    if (pf !== undefined) pf.powerOn();
    this.params = pf === undefined ? undefined : new ParamStore(pf);
    return openJournal(this.o.flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80 });
  }

  private newEngine(): TxnEngine {
    const settled = new SettledIndex(storeOf(this.j, this.store));
    return new TxnEngine({ journal: this.j, security: this.o.security, codec: this.o.codec, config: this.o.config, settled: settled, params: this.params });
  }

  private newApp(): TerminalApp {
    const st = storeOf(this.j, this.store);
    return new TerminalApp({ journal: this.j, store: st, security: this.o.security, config: this.o.config, columns: RECEIPT_COLUMNS });
  }

  private boot(): void {
    this.toApp({ k: AE_POWER_UP, t: this.wall() });
    this.toEngine({ k: EV_POWER_UP, t_ms: this.wall() });
  }

  wall(): number {
    return SESSION_EPOCH_MS + this.t;
  }

  /** The display rows now. */
  screen(): string[] {
    return this.app.screen();
  }

  key(k: string): void {
    this.toApp({ k: AE_KEY, t: this.wall(), key: k });
  }

  card(kind: string, c: TestCard | undefined): void {
    this.toApp({ k: AE_CARD, t: this.wall(), kind: kind, card: c });
  }

  /** Power lost now: RAM, timers and the printer's job are gone; flash and the secure element stay. */
  powerCut(): void {
    this.cuts++;
    this.timers = [];
    this.held = undefined;
    this.j = this.openJournal();
    this.engine = this.newEngine();
    this.app = this.newApp();
    this.boot();
  }

  /** The flash loses power at its n-th program/erase from now (a torn write); see `dead`. */
  armCut(n: number): void {
    this.o.flash.cut_at = this.o.flash.ops + n - 1;
  }

  dead(): boolean {
    const pf = this.o.paramsFlash;
    return this.o.flash.dead || (pf !== undefined && pf.dead);
  }

  /** Paper loaded: unlimited from now on. */
  loadPaper(): void {
    this.paper = -1;
  }

  /** Moves the virtual clock on by `ms`, firing timers and ticks in order. */
  advance(ms: number): void {
    this.runUntil(this.t + ms, "");
  }

  /** Runs the clock until `text` is on the screen or `until` passes; true when found. */
  runUntil(until: number, text: string): boolean {
    for (let n = 0; n < MAX_EVENTS_PER_ADVANCE; n++) {
      if (text.length > 0 && this.shows(text)) return true;
      if (this.dead()) return false;
      const next = this.nextTimer();
      const at = next !== undefined && next.at < this.tickAt ? next.at : this.tickAt;
      if (at > until) break;
      this.t = at;
      if (next !== undefined && next.at === at) this.fire(next);
      else {
        this.tickAt = this.tickAt + TICK_MS;
        this.toApp({ k: AE_TICK, t: this.wall() });
      }
    }
    if (!this.dead() && this.t < until) this.t = until;
    return text.length > 0 && this.shows(text);
  }

  /** True when `text` is on one row of the screen. */
  shows(text: string): boolean {
    const rows = this.screen();
    for (let i = 0; i < rows.length; i++) if (rows[i].indexOf(text) >= 0) return true;
    return false;
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined = undefined;
    for (let i = 0; i < this.timers.length; i++) if (best === undefined || this.timers[i].at < best.at) best = this.timers[i];
    return best;
  }

  private fire(tm: Timer): void {
    const at = this.timers.indexOf(tm);
    if (at >= 0) this.timers.splice(at, 1);
    if (tm.k === T_ENGINE) this.toEngine({ k: EV_TIMER, t_ms: this.wall(), id: tm.id });
    else if (tm.k === T_REPLY) {
      this.recordWire("in", tm.data as Bytes);
      this.toEngine({ k: EV_BYTES, t_ms: this.wall(), data: tm.data });
    }
  }

  private addTimer(tm: Timer): void {
    if (this.timers.length >= MAX_TIMERS) this.timers.shift();
    this.timers.push(tm);
  }

  private toEngine(ev: TxnEvent): void {
    const fx = this.engine.handle(ev);
    if (this.dead()) return;
    for (let i = 0; i < fx.length; i++) this.engineEffect(fx[i]);
  }

  private engineEffect(e: Effect): void {
    if (e.k === FX_SEND) this.sendToAcquirer(e.b as Bytes);
    else if (e.k === FX_START_TIMER) this.addTimer({ at: this.t + (e.ms as number), k: T_ENGINE, id: e.id as number });
    else if (e.k === FX_CANCEL_TIMER) {
      for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i].k === T_ENGINE && this.timers[i].id === e.id) this.timers.splice(i, 1);
    } else this.toApp({ k: AE_ENGINE, t: this.wall(), fx: e });
  }

  private sendToAcquirer(b: Bytes): void {
    this.recordWire("out", b);
    let reply: Bytes | undefined = undefined;
    try {
      reply = this.o.acquirer(b, this.wall());
    } catch (e) {
      reply = undefined;
    }
    if (reply !== undefined) this.addTimer({ at: this.t + ACQUIRER_LATENCY_MS, k: T_REPLY, id: 0, data: reply });
  }

  private recordWire(dir: string, b: Bytes): void {
    if (this.wire.length >= MAX_WIRE) return;
    this.wireBytes.push(b);
    let mti = "?";
    let stan = "";
    let rc = "";
    try {
      const m = this.o.codec.unpackWire(b);
      mti = m.mti;
      stan = m.fields["11"] === undefined ? "" : m.fields["11"];
      rc = m.fields["39"] === undefined ? "" : m.fields["39"];
    } catch (e) {
      rc = "unreadable: " + errorText(e);
    }
    this.wire.push({ dir: dir, mti: mti, stan: stan, rc: rc });
  }

  private toApp(ev: AppEvent): void {
    const fx = this.app.handle(ev);
    if (this.dead()) return;
    for (let i = 0; i < fx.length; i++) this.appEffect(fx[i]);
  }

  private appEffect(e: AppEffect): void {
    if (e.k === AF_FRAME) {
      if (this.frames.length < MAX_FRAMES) this.frames.push({ t_ms: this.t, rows: e.rows as string[] });
    } else if (e.k === AF_OP) this.toEngine({ k: EV_OP, t_ms: this.wall(), op: e.op });
    else if (e.k === AF_CARD_DONE) this.toEngine({ k: e.ok === true ? EV_COMPLETED : EV_CANNOT_COMPLETE, t_ms: this.wall(), data: e.icc });
    else if (e.k === AF_PRINT) {
      this.receipts.push({ copy: e.copy as string, lines: e.lines as string[] });
      this.printJob(e.b as Bytes);
    } else if (e.k === AF_PRINTER_RESUME) {
      this.loadPaper();
      const rest = this.held;
      this.held = undefined;
      if (rest !== undefined) this.printJob(rest);
    }
  }

  /** The printer model: bytes go on paper until it runs out; the rest is held for resume. */
  private printJob(b: Bytes): void {
    if (this.held !== undefined) {
      this.held = concat([this.held, b]);
      return;
    }
    if (this.paper >= 0 && len(b) > this.paper) {
      this.printed.push(slice(b, 0, this.paper));
      this.held = slice(b, this.paper, len(b) - this.paper);
      this.paper = 0;
      this.toApp({ k: AE_PRINTER, t: this.wall(), ok: false, text: "paper-out" });
      return;
    }
    if (this.paper >= 0) this.paper = this.paper - len(b);
    this.printed.push(b);
    this.toApp({ k: AE_PRINTER, t: this.wall(), ok: true });
  }

  auditEntries(): AuditEntry[] {
    return this.app.st.auditEntries();
  }
}
