// Runs the transaction engine on a device: HAL callbacks become engine events, engine effects
// become HAL calls (link writes, clock timers, printer lines, display rows). The engine stays
// pure; this is the only place that touches devices, so a platform only supplies the HALs.
import { Bytes, alloc, len, slice } from "../bytes/index";
import { Clock } from "../../hal/clock";
import { Link, LinkError, OpenLink } from "../../hal/link";
import { Printer } from "../../hal/printer";
import { Display } from "../../hal/display";
import { TxnEngine } from "../txn/engine";
import { Effect, Operation, OpResult, TxnEvent, EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER, FX_CANCEL_TIMER, FX_DISPLAY, FX_FINISH_CARD, FX_PRINT, FX_RESULT, FX_SEND, FX_SET_CLOCK, FX_START_TIMER } from "../txn/types";
import { wallMs } from "../time/calendar";

/** Bytes read from the link per read call. */
export const RX_CHUNK_BYTES = 256;
/** Most reads drained per onReadable callback. */
export const MAX_READS_PER_CALLBACK = 16;
export const CONNECT_TIMEOUT_MS = 10000;

export interface RunnerOptions {
  engine: TxnEngine;
  openLink: OpenLink;
  address: string;
  clock: Clock;
  printer?: Printer;
  display?: Display;
  onResult?: (this: void, r: OpResult) => void;
  /** The host approved a sale that waits (chip, or awaitCompletion): finish it, then call cardFinished. */
  onFinishCard?: (this: void) => void;
}

export class TerminalRunner {
  private o: RunnerOptions;
  private link: Link;
  private rx: Bytes;
  private engineTimer: number;
  private clockTimer: number;
  private lastError: string;

  constructor(o: RunnerOptions) {
    this.o = o;
    this.rx = alloc(RX_CHUNK_BYTES);
    this.engineTimer = -1;
    this.clockTimer = 0;
    this.lastError = "";
    this.link = o.openLink({
      address: o.address,
      connect_timeout_ms: CONNECT_TIMEOUT_MS,
      onOpen: () => undefined,
      onReadable: (count: number) => this.readable(count),
      // a broken link is "no reply": the engine's timer decides, as the reversal rules want
      onError: (error: LinkError, detail: string) => { this.lastError = error + ": " + detail; },
    });
  }

  /** Link failure last reported ("" if none). */
  linkError(): string {
    return this.lastError;
  }

  private now(): number {
    const w = this.o.clock.wall();
    return wallMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  }

  private feed(ev: TxnEvent): void {
    this.apply(this.o.engine.handle(ev));
  }

  start(): void {
    this.feed({ k: EV_POWER_UP, t_ms: this.now() });
  }

  operate(op: Operation): void {
    this.feed({ k: EV_OP, t_ms: this.now(), op: op });
  }

  /** The card (or receipt) finished; on failure `icc` is the card's final field 55 for the reversal, if any. */
  cardFinished(ok: boolean, icc?: Bytes): void {
    this.feed({ k: ok ? EV_COMPLETED : EV_CANNOT_COMPLETE, t_ms: this.now(), data: icc });
  }

  private readable(count: number): void {
    for (let i = 0; i < MAX_READS_PER_CALLBACK; i++) {
      const n = this.link.read(this.rx, 0, RX_CHUNK_BYTES);
      if (n <= 0) return;
      this.feed({ k: EV_BYTES, t_ms: this.now(), data: slice(this.rx, 0, n) });
      if (n < RX_CHUNK_BYTES && i + 1 >= count) return;
    }
  }

  private apply(fx: Effect[]): void {
    for (let i = 0; i < fx.length; i++) this.effect(fx[i]);
  }

  private effect(e: Effect): void {
    if (e.k === FX_SEND) this.write(e.b as Bytes);
    else if (e.k === FX_START_TIMER) this.startTimer(e.id as number, e.ms as number);
    else if (e.k === FX_CANCEL_TIMER && e.id === this.engineTimer) this.o.clock.cancel(this.clockTimer);
    else if (e.k === FX_PRINT) this.print(e.lines as string[]);
    else if (e.k === FX_DISPLAY) this.show(e.text as string);
    else if (e.k === FX_SET_CLOCK) this.setClock(e.text as string);
    else if (e.k === FX_RESULT && this.o.onResult !== undefined) this.o.onResult(e.result as OpResult);
    else if (e.k === FX_FINISH_CARD && this.o.onFinishCard !== undefined) this.o.onFinishCard();
  }

  /** Writes the whole frame; what the link does not accept now is lost (the timer will fire). */
  private write(b: Bytes): void {
    const n = this.link.write(b, 0, len(b));
    if (n < len(b)) this.lastError = "link accepted " + n + " of " + len(b) + " bytes";
  }

  private startTimer(id: number, ms: number): void {
    this.o.clock.cancel(this.clockTimer);
    this.engineTimer = id;
    this.clockTimer = this.o.clock.start({ delay_ms: ms, onFire: () => this.feed({ k: EV_TIMER, t_ms: this.now(), id: id }) });
  }

  private print(lines: string[]): void {
    const p = this.o.printer;
    if (p === undefined) return;
    for (let i = 0; i < lines.length; i++) p.line(lines[i], i === 0, false);
    p.feed(3);
    p.cut();
  }

  private show(text: string): void {
    const d = this.o.display;
    if (d === undefined) return;
    d.clear();
    d.line(0, text, "left", "normal");
    d.flush();
  }

  /** "MMDDhhmmss" from the sign-in reply; the year stays the terminal's. */
  private setClock(text: string): void {
    const w = this.o.clock.wall();
    const num = (a: number) => (text.charCodeAt(a) - 48) * 10 + (text.charCodeAt(a + 1) - 48);
    this.o.clock.setWall({ year: w.year, month: num(0), day: num(2), hour: num(4), minute: num(6), second: num(8) });
  }
}
