// Runs the terminal app and the transaction engine on a device's HALs: keys and card events
// come in through key()/card() (a keypad or card-reader driver, or the console API), engine
// effects go to the Link and Clock, app effects to the Display, Printer and beeper. The
// browser emulator and the boards use it; `Session` is the same wiring on virtual time.
import { Bytes, alloc, len, slice } from "../bytes/index";
import { Clock } from "../../hal/clock";
import { Display } from "../../hal/display";
import { Link, LinkError, OpenLink } from "../../hal/link";
import { Printer } from "../../hal/printer";
import { SecurityModule } from "../../hal/security";
import { Journal } from "../journal/api";
import { HostCodec } from "../host/codec";
import { TxnEngine } from "../txn/engine";
import { wallMs } from "../txn/time";
import {
  Effect, OpResult, Operation, TxnConfig, TxnEvent, EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER,
  FX_CANCEL_TIMER, FX_DISPLAY, FX_PRINT, FX_RESULT, FX_SEND, FX_SET_CLOCK, FX_START_TIMER,
} from "../txn/types";
import { TerminalApp } from "./app";
import { AppStore } from "./store";
import { SettledIndex } from "./settled";
import { TestCard } from "./cards";
import { AppEffect, AppEvent, AE_CARD, AE_ENGINE, AE_KEY, AE_POWER_UP, AE_PRINTER, AE_TICK, AF_BEEP, AF_CARD_DONE, AF_FRAME, AF_OP, AF_PRINT, AF_PRINTER_RESUME } from "./types";

export const RUNNER_RX_BYTES = 256;
export const RUNNER_MAX_READS = 16;
export const RUNNER_TICK_MS = 1000;
export const RUNNER_CONNECT_MS = 10000;
/** Most hand-overs between app and engine waiting for their own task (more: the oldest run at once). */
export const RUNNER_MAX_HANDOFFS = 16;

export interface AppRunnerOptions {
  journal: Journal;
  store: AppStore;
  security: SecurityModule;
  codec: HostCodec;
  config: TxnConfig;
  openLink: OpenLink;
  address: string;
  clock: Clock;
  display?: Display;
  printer?: Printer;
  /** Receipt width when there is no printer (32). */
  columns?: number;
  beep?: (this: void, ms: number) => void;
  /** Every engine result (also of operations started with `operate`). */
  onResult?: (this: void, r: OpResult) => void;
  /**
   * Hand work between the app and the engine over in a task of its own (a clock timer of 0 ms)
   * instead of at once. On a small interpreter whose modules are loaded on use and dropped after
   * each task, the app's screens and the engine's message and journal code are then never in
   * memory together. The order is kept: every event from outside first runs what is still
   * waiting. Off: at once (virtual-time sessions).
   */
  handoffTasks?: boolean;
}

/** Work handed from the app to the engine or back (one of the two). */
export interface AppRunnerHandoff {
  toApp?: AppEvent;
  toEngine?: TxnEvent;
}

export class AppRunner {
  private o: AppRunnerOptions;
  readonly engine: TxnEngine;
  readonly app: TerminalApp;
  private link: Link;
  private rx: Bytes;
  private engineTimer: number;
  private clockTimer: number;
  private lastError: string;
  /** An operation started by `operate` is running (engine texts and receipts go straight out). */
  private direct: boolean;
  /** Hand-overs waiting for their task (handoffTasks), oldest first. */
  private handoffs: AppRunnerHandoff[];
  private handoffTimer: number;

  constructor(o: AppRunnerOptions) {
    this.o = o;
    this.handoffs = [];
    this.handoffTimer = 0;
    this.rx = alloc(RUNNER_RX_BYTES);
    this.engineTimer = -1;
    this.clockTimer = 0;
    this.lastError = "";
    this.direct = false;
    this.engine = new TxnEngine({ journal: o.journal, security: o.security, codec: o.codec, config: o.config, settled: new SettledIndex(o.store) });
    this.app = new TerminalApp({ journal: o.journal, store: o.store, security: o.security, config: o.config, columns: o.printer !== undefined ? o.printer.columns : o.columns === undefined ? 32 : o.columns });
    this.link = o.openLink({
      address: o.address, connect_timeout_ms: RUNNER_CONNECT_MS, onOpen: () => undefined,
      onReadable: (count: number) => this.readable(count),
      onError: (error: LinkError, detail: string) => { this.lastError = error + ": " + detail; },
    });
  }

  /** Power-up: the app's recovery report, the engine's queue, the one-second tick. */
  start(): void {
    this.toApp({ k: AE_POWER_UP, t: this.now() });
    this.drain();
    this.toEngine({ k: EV_POWER_UP, t_ms: this.now() });
    this.o.clock.start({ delay_ms: RUNNER_TICK_MS, interval_ms: RUNNER_TICK_MS, onFire: () => {
      this.drain();
      this.toApp({ k: AE_TICK, t: this.now() });
    } });
  }

  linkError(): string {
    return this.lastError;
  }

  key(k: string): void {
    this.drain();
    this.toApp({ k: AE_KEY, t: this.now(), key: k });
  }

  /** A card event: swipe | insert | tap (with the card) or remove. */
  card(kind: string, c: TestCard | undefined): void {
    this.drain();
    this.toApp({ k: AE_CARD, t: this.now(), kind: kind, card: c });
  }

  screen(): string[] {
    return this.app.screen();
  }

  /**
   * Runs an operation on the engine directly (console shortcuts, past the app's screens): until
   * its result, the engine's status texts go to the display and its receipt lines to the
   * printer as they did before the app existed; the result goes to onResult.
   */
  operate(op: Operation): void {
    this.drain();
    this.direct = true;
    this.toEngine({ k: EV_OP, t_ms: this.now(), op: op });
  }

  /** The printer finished a job or ran out of paper (a printer driver calls this). */
  printerStatus(ok: boolean, why: string): void {
    this.drain();
    this.toApp({ k: AE_PRINTER, t: this.now(), ok: ok, text: why });
  }

  private now(): number {
    const w = this.o.clock.wall();
    return wallMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  }

  private readable(count: number): void {
    this.drain();
    for (let i = 0; i < RUNNER_MAX_READS; i++) {
      const n = this.link.read(this.rx, 0, RUNNER_RX_BYTES);
      if (n <= 0) return;
      this.toEngine({ k: EV_BYTES, t_ms: this.now(), data: slice(this.rx, 0, n) });
      if (n < RUNNER_RX_BYTES && i + 1 >= count) return;
    }
  }

  private toEngine(ev: TxnEvent): void {
    const fx = this.engine.handle(ev);
    for (let i = 0; i < fx.length; i++) this.engineEffect(fx[i]);
  }

  private engineEffect(e: Effect): void {
    if (e.k === FX_SEND) {
      const b = e.b as Bytes;
      const n = this.link.write(b, 0, len(b));
      if (n < len(b)) this.lastError = "link accepted " + n + " of " + len(b) + " bytes";
    } else if (e.k === FX_START_TIMER) {
      this.o.clock.cancel(this.clockTimer);
      const id = e.id as number;
      this.engineTimer = id;
      this.clockTimer = this.o.clock.start({ delay_ms: e.ms as number, onFire: () => {
        this.drain();
        this.toEngine({ k: EV_TIMER, t_ms: this.now(), id: id });
      } });
    } else if (e.k === FX_CANCEL_TIMER) {
      if (e.id === this.engineTimer) this.o.clock.cancel(this.clockTimer);
    } else if (e.k === FX_SET_CLOCK) this.setClock(e.text as string);
    else if (this.direct && e.k === FX_DISPLAY) this.show([e.text as string]);
    else if (this.direct && e.k === FX_PRINT) this.printLines(e.lines as string[]);
    else {
      if (e.k === FX_RESULT && this.o.onResult !== undefined) this.o.onResult(e.result as OpResult);
      if (e.k === FX_RESULT) this.direct = false;
      this.handOver({ toApp: { k: AE_ENGINE, t: this.now(), fx: e } });
    }
  }

  /** Runs `h` now, or in a task of its own (handoffTasks). */
  private handOver(h: AppRunnerHandoff): void {
    if (this.o.handoffTasks !== true) {
      this.runHandoff(h);
      return;
    }
    if (this.handoffs.length >= RUNNER_MAX_HANDOFFS) this.runHandoff(this.handoffs.shift() as AppRunnerHandoff);
    this.handoffs.push(h);
    this.scheduleHandoff();
  }

  /** A 0-ms timer for the next waiting hand-over, unless one is set. */
  private scheduleHandoff(): void {
    if (this.handoffTimer === 0) this.handoffTimer = this.o.clock.start({ delay_ms: 0, onFire: () => this.nextHandoff() });
  }

  /** One hand-over per task; the next in a task after it. */
  private nextHandoff(): void {
    this.handoffTimer = 0;
    const h = this.handoffs.shift();
    if (h !== undefined) this.runHandoff(h);
    if (this.handoffs.length > 0) this.scheduleHandoff();
  }

  /** Everything still handed over, at once: an event from outside comes after it, as without tasks. */
  private drain(): void {
    for (let guard = 0; guard < RUNNER_MAX_HANDOFFS * RUNNER_MAX_HANDOFFS && this.handoffs.length > 0; guard++) this.runHandoff(this.handoffs.shift() as AppRunnerHandoff);
  }

  private runHandoff(h: AppRunnerHandoff): void {
    if (h.toApp !== undefined) this.toApp(h.toApp);
    else if (h.toEngine !== undefined) this.toEngine(h.toEngine);
  }

  private toApp(ev: AppEvent): void {
    const fx = this.app.handle(ev);
    for (let i = 0; i < fx.length; i++) this.appEffect(fx[i]);
  }

  private appEffect(e: AppEffect): void {
    if (e.k === AF_FRAME) this.show(e.rows as string[]);
    else if (e.k === AF_OP) this.handOver({ toEngine: { k: EV_OP, t_ms: this.now(), op: e.op } });
    else if (e.k === AF_CARD_DONE) this.handOver({ toEngine: { k: e.ok === true ? EV_COMPLETED : EV_CANNOT_COMPLETE, t_ms: this.now(), data: e.icc } });
    else if (e.k === AF_PRINT && this.o.printer !== undefined) this.o.printer.write(e.b as Bytes);
    else if (e.k === AF_PRINTER_RESUME && this.o.printer !== undefined) this.o.printer.resume();
    else if (e.k === AF_BEEP && this.o.beep !== undefined) this.o.beep(e.ms as number);
  }

  private printLines(lines: string[]): void {
    const p = this.o.printer;
    if (p === undefined) return;
    for (let i = 0; i < lines.length; i++) p.line(lines[i], i === 0, false);
    p.feed(3);
    p.cut();
  }

  private show(rows: string[]): void {
    const d = this.o.display;
    if (d === undefined) return;
    d.clear();
    for (let i = 0; i < rows.length && i < d.rows; i++) d.line(i, rows[i], "left", "normal");
    d.flush();
  }

  /** "MMDDhhmmss" from the sign-in reply; the year stays the terminal's. */
  private setClock(text: string): void {
    const w = this.o.clock.wall();
    const num = (a: number): number => (text.charCodeAt(a) - 48) * 10 + (text.charCodeAt(a + 1) - 48);
    this.o.clock.setWall({ year: w.year, month: num(0), day: num(2), hour: num(4), minute: num(6), second: num(8) });
  }
}
