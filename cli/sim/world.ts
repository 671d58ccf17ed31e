// The deterministic simulation: the real terminal core over a virtual clock, a network that
// drops, delays, duplicates and corrupts, an in-process acquirer, and power cuts with a
// restart from what the journal kept. Everything random comes from one seeded Rng, so a
// seed replays exactly. Checks run after every step and at the end (cli/sim/checks.ts).
import { Bytes, fromHex, len, slice, toHex } from "../../src/bytes/index";
import { Journal } from "../../src/journal/api";
import { SecurityModule } from "../../hal/security";
import { HostCodec } from "../../src/host/codec";
import { TxnEngine } from "../../src/txn/engine";
import {
  Card, Effect, Operation, OpResult, SettledSales, TxnConfig, TxnEvent,
  EV_BYTES, EV_CANNOT_COMPLETE, EV_COMPLETED, EV_OP, EV_POWER_UP, EV_TIMER,
  FX_CANCEL_TIMER, FX_DISPLAY, FX_FINISH_CARD, FX_PRINT, FX_RESULT, FX_SEND, FX_START_TIMER,
  OP_SIGNIN,
} from "../../src/txn/types";
import { Rng } from "./rng";
import { ObservedJournal } from "./observed-journal";

/** Fault modes; "net-power" is "all" without storage faults (recorded traces: a replay does not repeat flash damage). */
export const FAULT_MODES = ["none", "net", "power", "storage", "net-power", "all"];
/** Network faults, one chosen per faulty exchange. */
export const NET_FAULTS = ["drop_request", "delay_request", "drop_reply", "delay_reply", "duplicate_reply", "corrupt_reply", "wrong_stan", "close_mid_reply"];
/** Share of exchanges that get a network fault (with --faults net|all). */
export const NET_FAULT_RATE = 0.12;
/** Share of steps with a power cut (with --faults power|all). */
export const POWER_CUT_RATE = 0.06;
/** Share of restarts with a storage fault injected while off (with --faults storage|all). */
export const STORAGE_FAULT_RATE = 0.5;
/** Share of steps that start with a restart (with --faults storage, so storage faults have restarts to happen at). */
export const STORAGE_RESTART_RATE = 0.05;
/** Most queued events one step may process before it is declared stuck. */
export const MAX_EVENTS_PER_STEP = 400;
const LATENCY_MS = [5, 80];
const THINK_MS = [500, 8000];

/** What the simulation needs from an acquirer: one request frame in, one reply frame (or none) out. */
export interface SimAcquirer {
  handle(frame: Bytes, now_ms: number): Bytes | undefined;
}

/** Builds (and after a power cut rebuilds) the terminal's journal; the flash survives, RAM does not. */
export interface TerminalStore {
  open(): Journal;
  /** Arms a power cut at the n-th flash write from now (torn write); false if the store cannot. */
  armCut(nthWrite: number): boolean;
  /** True once an armed cut has happened (the device is dead until reopened). */
  cutHappened(): boolean;
  /** Injects one storage fault while the terminal is off; "" when none applied (with --faults storage|all). */
  injectFault?(rnd: (this: void, n: number) => number): string;
  /** Injected faults the journal does not report (at a restart: the ones just injected; else: bad sectors it used). */
  unreportedFaults?(atRestart: boolean): string[];
}

interface Queued {
  at: number;
  seq: number;
  kind: string; // "acq" | "deliver" | "timer" | "finish"
  data?: Bytes;
  id?: number;
  gen: number;
  ok?: boolean;
}

export interface WorldOptions {
  seed: number;
  faults: string;
  config: TxnConfig;
  codec: HostCodec;
  security: SecurityModule;
  acquirer: SimAcquirer;
  store: TerminalStore;
  trace: boolean;
  /** The engine's index of settled sales, made anew over the journal at every power-up (none by default). */
  settled?: (j: Journal) => SettledSales;
}

export interface Counters {
  operations: number;
  approved: number;
  declined: number;
  errors: number;
  reversals_sent: number;
  power_cuts: number;
  net_faults: number;
  storage_faults: number;
}

export class World {
  o: WorldOptions;
  rng: Rng;
  t_ms = 1767225600000;
  seq = 0;
  gen = 0;
  queue: Queued[] = [];
  journal: ObservedJournal;
  eng: TxnEngine;
  counters: Counters = { operations: 0, approved: 0, declined: 0, errors: 0, reversals_sent: 0, power_cuts: 0, net_faults: 0, storage_faults: 0 };
  /** Storage faults injected that the journal did not report (the run reports them as violations). */
  storageViolations: string[] = [];
  results: OpResult[] = [];
  printed: string[][] = [];
  shown: string[] = [];
  traceLines: string[] = [];
  /** Each request the terminal sent, in order (hex), for replay comparison. */
  sent: string[] = [];
  netFaults: boolean;
  powerFaults: boolean;
  storageFaults: boolean;
  /** Power cut scheduled after this many more events in the current step (-1: none). */
  cutAfterEvents = -1;
  justRecovered = false;
  /** Share of host-approved chip sales the card then refuses (EV_CANNOT_COMPLETE). */
  cardFailRate = 0.1;
  /** A fault forced on the next request (the demo uses it), "" for none. */
  nextFault = "";

  constructor(o: WorldOptions) {
    this.o = o;
    this.rng = new Rng(o.seed);
    this.netFaults = o.faults === "net" || o.faults === "all" || o.faults === "net-power";
    this.powerFaults = o.faults === "power" || o.faults === "all" || o.faults === "net-power";
    this.storageFaults = o.faults === "storage" || o.faults === "all";
    this.journal = new ObservedJournal(o.store.open());
    this.eng = this.newEngine();
    this.feed({ k: EV_POWER_UP, t_ms: this.t_ms });
  }

  private newEngine(): TxnEngine {
    const settled = this.o.settled === undefined ? undefined : this.o.settled(this.journal.inner);
    return new TxnEngine({ journal: this.journal, security: this.o.security, codec: this.o.codec, config: this.o.config, settled });
  }

  private push(q: Omit<Queued, "seq">): void {
    this.queue.push({ ...q, seq: this.seq++ });
  }

  /** One event into the core; its effects are carried out unless the power failed during it. */
  feed(ev: TxnEvent): void {
    if (this.o.trace) this.traceLines.push(traceLine(ev));
    const fx = this.eng.handle(ev);
    if (this.o.store.cutHappened()) return this.powerCut("torn write");
    for (const e of fx) this.effect(e);
  }

  /** Called with every effect carried out (the demo narrates them). */
  onEffect: (e: Effect) => void = () => undefined;

  private effect(e: Effect): void {
    this.onEffect(e);
    if (e.k === FX_SEND) this.send(e.b as Bytes);
    else if (e.k === FX_START_TIMER) this.push({ at: this.t_ms + (e.ms as number), kind: "timer", id: e.id, gen: this.gen });
    else if (e.k === FX_CANCEL_TIMER) this.queue = this.queue.filter((q) => !(q.kind === "timer" && q.id === e.id));
    else if (e.k === FX_RESULT) this.result(e.result as OpResult);
    else if (e.k === FX_PRINT) this.printed.push(e.lines as string[]);
    else if (e.k === FX_DISPLAY) this.shown.push(e.text as string);
    else if (e.k === FX_FINISH_CARD) this.push({ at: this.t_ms + 150, kind: "finish", gen: this.gen, ok: !this.rng.chance(this.cardFailRate) });
  }

  private result(r: OpResult): void {
    this.results.push(r);
    if (r.ok) this.counters.approved++;
    else if (r.code !== "") this.counters.declined++;
    else this.counters.errors++;
  }

  private latency(): number {
    return this.rng.int(LATENCY_MS[0], LATENCY_MS[1]);
  }

  /** The terminal sends a frame: the network may lose or delay it on the way to the acquirer. */
  private send(frame: Bytes): void {
    this.sent.push(toHex(frame));
    if (this.o.codec.unpackWire(frame).mti === "0400") this.counters.reversals_sent++;
    let fault = this.netFaults && this.rng.chance(NET_FAULT_RATE) ? this.rng.pick(NET_FAULTS) : "";
    if (this.nextFault !== "") {
      fault = this.nextFault;
      this.nextFault = "";
    }
    if (fault !== "") this.counters.net_faults++;
    if (fault === "drop_request") return;
    const at = this.t_ms + (fault === "delay_request" ? this.o.config.timeout_ms + this.rng.int(1, 60000) : this.latency());
    this.push({ at, kind: "acq", data: frame, gen: this.gen, id: NET_FAULTS.indexOf(fault) });
  }

  /** The acquirer answers; the network may mangle the reply on the way back. */
  private atAcquirer(q: Queued): void {
    const reply = this.o.acquirer.handle(q.data as Bytes, this.t_ms);
    if (reply === undefined) return;
    const fault = q.id !== undefined && q.id >= 0 ? NET_FAULTS[q.id] : "";
    const back = this.t_ms + this.latency();
    if (fault === "drop_reply") return;
    if (fault === "delay_reply") return this.deliverAt(this.t_ms + this.o.config.timeout_ms + this.rng.int(1, 30000), reply, q.gen);
    if (fault === "duplicate_reply") this.deliverAt(back + this.rng.int(1, 3000), reply, q.gen);
    if (fault === "corrupt_reply") return this.deliverAt(back, this.corrupt(reply), q.gen);
    if (fault === "wrong_stan") return this.deliverAt(back, this.wrongStan(reply), q.gen);
    if (fault === "close_mid_reply") return this.deliverAt(back, slice(reply, 0, Math.floor(len(reply) / 2)), q.gen);
    this.deliverAt(back, reply, q.gen);
  }

  private deliverAt(at: number, data: Bytes, gen: number): void {
    this.push({ at, kind: "deliver", data, gen });
  }

  private corrupt(b: Bytes): Bytes {
    const out = fromHex(toHex(b));
    const flips = this.rng.int(1, 4);
    const u = out as unknown as Uint8Array;
    for (let i = 0; i < flips; i++) u[this.rng.int(0, u.length - 1)] = this.rng.int(0, 255);
    return out;
  }

  private wrongStan(b: Bytes): Bytes {
    try {
      const m = this.o.codec.unpackWire(b);
      const s = Number(m.fields["11"] ?? "0");
      m.fields["11"] = String((s % 999999) + 1).padStart(6, "0");
      return this.o.codec.packWire(m);
    } catch (e) {
      return this.corrupt(b);
    }
  }

  /** Power fails: RAM and timers are gone; replies in flight find nobody; restart from the journal. */
  powerCut(why: string): void {
    this.counters.power_cuts++;
    if (this.o.trace) this.traceLines.push(JSON.stringify({ cut: why }));
    this.gen++;
    this.queue = this.queue.filter((q) => q.kind === "acq");
    const st = this.o.store;
    let injected = "";
    if (this.storageFaults && st.injectFault !== undefined && this.rng.chance(STORAGE_FAULT_RATE)) injected = st.injectFault((n) => this.rng.int(0, n - 1));
    if (injected !== "") this.counters.storage_faults++;
    if (injected !== "" && this.o.trace) this.traceLines.push(JSON.stringify({ storage_fault: injected }));
    this.journal.inner = this.o.store.open();
    if (injected !== "" && st.unreportedFaults !== undefined) for (const v of st.unreportedFaults(true)) this.storageViolations.push(v);
    this.eng = this.newEngine();
    this.cutAfterEvents = -1;
    this.justRecovered = true;
    this.feed({ k: EV_POWER_UP, t_ms: this.t_ms });
  }

  /** Processes the earliest queued event; false when the queue is empty. */
  runOne(): boolean {
    if (this.queue.length === 0) return false;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i];
      const b = this.queue[best];
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const q = this.queue.splice(best, 1)[0];
    if (q.at > this.t_ms) this.t_ms = q.at;
    if (q.kind === "acq") this.atAcquirer(q);
    else if (q.gen !== this.gen) return true;
    else if (q.kind === "deliver") this.feed({ k: EV_BYTES, t_ms: this.t_ms, data: q.data });
    else if (q.kind === "timer") this.feed({ k: EV_TIMER, t_ms: this.t_ms, id: q.id });
    else if (q.kind === "finish") this.feed({ k: q.ok ? EV_COMPLETED : EV_CANNOT_COMPLETE, t_ms: this.t_ms });
    this.maybeCutBetweenEvents();
    return true;
  }

  private maybeCutBetweenEvents(): void {
    if (this.cutAfterEvents < 0) return;
    if (this.cutAfterEvents === 0) return this.powerCut("between events");
    this.cutAfterEvents--;
  }

  /** True while the terminal waits for something of its own (timer, card, reply). */
  busy(): boolean {
    return !this.eng.idle() || this.queue.some((q) => q.gen === this.gen && (q.kind === "timer" || q.kind === "finish"));
  }

  /** True while requests are still on their way to the acquirer (money may yet move). */
  requestsInFlight(): boolean {
    return this.queue.some((q) => q.kind === "acq");
  }

  /** Lets time pass to `until`, delivering whatever arrives. */
  advance(until: number): void {
    for (let i = 0; i < MAX_EVENTS_PER_STEP && this.queue.some((q) => q.at <= until); i++) this.runOne();
    if (this.t_ms < until) this.t_ms = until;
  }

  /** Runs one operator action to its end; returns false when the step would not settle. */
  step(op: Operation): boolean {
    this.counters.operations++;
    this.advance(this.t_ms + this.rng.int(THINK_MS[0], THINK_MS[1]));
    if (this.powerFaults && this.rng.chance(POWER_CUT_RATE)) this.scheduleCut();
    else if (this.storageFaults && !this.powerFaults && this.rng.chance(STORAGE_RESTART_RATE)) this.powerCut("restart (storage faults)");
    this.feed({ k: EV_OP, t_ms: this.t_ms, op });
    for (let i = 0; i < MAX_EVENTS_PER_STEP; i++) {
      if (!this.busy()) return true;
      if (!this.runOne()) return !this.busy();
    }
    return false;
  }

  private scheduleCut(): void {
    const nth = this.rng.int(1, 6);
    if (this.rng.chance(0.5) && this.o.store.armCut(nth)) {
      if (this.o.trace) this.traceLines.push(JSON.stringify({ arm: nth }));
      return;
    }
    this.cutAfterEvents = this.rng.int(0, 3);
  }

  /** Waits for everything in flight to land (faults off), for the final checks. */
  quiesce(): void {
    this.netFaults = false;
    this.powerFaults = false;
    this.storageFaults = false;
    for (let i = 0; i < MAX_EVENTS_PER_STEP && this.queue.length > 0; i++) this.runOne();
  }

  signInOp(): Operation {
    return { op: OP_SIGNIN, amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
  }
}

function traceLine(ev: TxnEvent): string {
  const o: { [k: string]: unknown } = { k: ev.k, t: ev.t_ms };
  if (ev.op !== undefined) o.op = ev.op;
  if (ev.data !== undefined) o.data = toHex(ev.data);
  if (ev.id !== undefined) o.id = ev.id;
  return JSON.stringify(o);
}

export type { Card };
