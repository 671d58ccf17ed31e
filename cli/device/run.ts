// `posrt device run`: the device firmware on a real interpreter (Espruino from Storage, or the
// NodeMCU bytecode under the capped Lua host), connected to the acquirer simulator on
// 127.0.0.1, driven by a `posrt terminal` script through the device console API (posrt.key,
// posrt.card, posrt.screen); power-cut kills the interpreter and boots it again on the same
// flash. Reports the memory the interpreter saw.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AcquirerCore, ReconcileMode, profileOptions } from "../acquirer/core";
import { readProfile } from "../acquirer/profile-file";
import { InputError } from "../args";
import { AcquirerProfile } from "../../src/host/profile";
import { FaultyAcquirer, parseFaultSpec } from "../acquirer/faults";
import { RunningServer, startServer } from "../acquirer/server";
import { devConfig, devConfigFiles } from "./dev-config";
import { ScriptStep, STEP_EXPECT, STEP_INSERT, STEP_KEY, STEP_POWER_CUT, STEP_REMOVE, STEP_SWIPE, STEP_TAP, STEP_WAIT, parseScript } from "../../src/app/script";
import { EXPECT_TIMEOUT_MS } from "../../src/app/run-script";
import { EspruinoMemory, MAX_CALLS_PER_LINE } from "./espruino-session";
import { BoardTimeout } from "./board-timeout";
import { Board, BoardSpec, ESPRUINO_FIRMWARE, LuaFigures, Target, prepareFlash, writeJournalImage } from "./boards";
import { prefillBoard } from "./full-day";

export { ESPRUINO_FIRMWARE };

/** How often `expect` looks at the display. */
export const EXPECT_POLL_MS = 100;
/**
 * Real-time boards (Espruino) get a reply this much later in the stretch of a script that leads
 * to a power cut (cutStretches), as posrt terminal's acquirer answers after its latency: a
 * script's `expect Processing...` then `power-cut` falls while the reply is in flight instead of
 * racing it.
 */
export const ESPRUINO_REPLY_DELAY_MS = 1000;
/** Most boots in one run (power cuts + 1). */
export const MAX_BOOTS = 200;
/** Times one `expect` waits EXPECT_TIMEOUT_MS again while the acquirer keeps receiving messages. */
export const MAX_EXPECT_EXTENSIONS = 10;

export interface RunOptions {
  target: Target;
  /** The Espruino binary, or the Lua host. */
  interpreter: string;
  script: string;
  /** Folder holding the flash; a fresh temporary one (removed afterwards) when absent. */
  flashDir?: string;
  firmware?: string;
  /** Lua: cap of the heap beyond the loaded code (code as if in LFS), and of the whole heap (0 = none). */
  data_cap_bytes?: number;
  cap_bytes?: number;
  /** Espruino: run as a build with only this many variables (the rest held at power-on; 0 = all). */
  var_cap?: number;
  /** The master key (hex) the acquirer sends this terminal's working keys under (default: the TEST one). */
  acquirer_tmk?: string;
  /** Each acquirer reply is held back this long (default 0). */
  reply_delay_ms?: number;
  /** Replies in the stretches that lead to a power cut (cutStretches) are held back this long (default ESPRUINO_REPLY_DELAY_MS on Espruino, 0 on the Lua host; not with reply_delay_ms). */
  cut_reply_delay_ms?: number;
  /** Fill the journal with earlier, settled days until this % of its flash is used (cli/device/full-day.ts). */
  prefill_percent?: number;
  /** How many earlier days the pre-fill runs (default PREFILL_DAYS); they must reach prefill_percent. */
  prefill_days?: number;
  /** An acquirer profile file (docs/unionpay-hosts.md): the acquirer speaks it and the board's configuration carries it. */
  profile?: string;
  /** false: only the acquirer speaks `profile`, the board's configuration leaves it out (default true). */
  board_profile?: boolean;
  /** How the acquirer answers settlements (cli/acquirer/types.ts ReconcileMode; default "totals"). */
  reconcile?: ReconcileMode;
  /** Files written into the board's flash before the first boot (after the firmware). */
  files?: Record<string, string>;
  log?: (line: string) => void;
}

/** The acquirer's books after a run. */
export interface AcquirerBooks {
  messages: number;
  /** Transactions approved (sales, voids, refunds; reversed ones included). */
  approved: number;
  reversed: number;
  /** Batch/STAN pairs used by more than one transaction. */
  stans_reused: number;
  /** Settlements: how many, how many were not closed (out of balance after the batch upload), batch-upload items the acquirer did not hold live. */
  settlements: number;
  settlements_open: number;
  unknown_uploads: number;
  /** Batch-upload items received over all settlements. */
  uploads: number;
  /** The last settlement (the run's own, after any pre-filled days): batch, upload items, batch ends, whether the totals agreed and the batch closed. */
  last_settlement?: { batch: string; uploads: number; unknown_uploads: number; batch_ends: number; balanced: boolean; closed: boolean; live_items: number };
}

/** Sales and refunds of a batch the acquirer holds as live (approved, not voided or reversed): what a batch upload must send. */
function liveItems(core: AcquirerCore, tid: string, batch: string): number {
  const t = core.ledger().totals(tid, batch);
  return t.debit_count + t.credit_count;
}

/** The books of `core` after a run. */
export function booksOf(core: AcquirerCore, messages: number): AcquirerBooks {
  const l = core.ledger();
  const seen = new Set<string>();
  let reused = 0;
  for (const t of l.txns) {
    const k = t.tid + "/" + t.batch + "/" + t.stan;
    if (seen.has(k)) reused++;
    seen.add(k);
  }
  const st = l.settlements;
  const last = st.length > 0 ? st[st.length - 1] : undefined;
  return {
    messages, approved: l.txns.filter((t) => t.approved).length, reversed: l.txns.filter((t) => t.reversed).length, stans_reused: reused,
    settlements: st.length, settlements_open: st.filter((x) => !x.closed).length,
    unknown_uploads: st.reduce((a, x) => a + x.unknown_uploads, 0), uploads: st.reduce((a, x) => a + x.uploads, 0),
    last_settlement: last === undefined ? undefined : {
      batch: last.batch, uploads: last.uploads, unknown_uploads: last.unknown_uploads, batch_ends: last.batch_ends ?? 0, balanced: last.balanced, closed: last.closed,
      live_items: liveItems(core, last.tid, last.batch),
    },
  };
}

export interface RunReport {
  ok: boolean;
  target: Target;
  steps: number;
  line: number;
  error: string;
  boots: number;
  screen: string[];
  espruino?: EspruinoMemory;
  lua?: LuaFigures;
  acquirer: AcquirerBooks;
  /** The pre-fill: % of the journal's flash used, earlier days and their sales. */
  prefill?: { used_percent: number; days: number; sales: number };
  timing?: RunTiming;
}

/** Where a run's wall time went (milliseconds). */
export interface RunTiming {
  wall_ms: number;
  /** Earlier days in Node (--prefill) and writing the firmware into Storage. */
  prefill_ms: number;
  load_ms: number;
  /** Each boot: power-on to the firmware's console API answering (bundle evaluated, journal opened). */
  boot_ms: number[];
  /** Round trips to the board, and the time in those that waited for the display (`expect`, with the steps before it). */
  round_trips: number;
  expects: number;
  expect_ms: number;
  /** Expects that timed out and waited again because the board was still talking to the acquirer. */
  expect_extensions: number;
}

/** The console call of an action step (key, card, remove), or undefined for expect, wait, power-cut. */
export function actionOf(st: ScriptStep): string | undefined {
  if (st.k === STEP_KEY) return `posrt.key(${JSON.stringify(st.arg)})`;
  if (st.k === STEP_SWIPE || st.k === STEP_INSERT || st.k === STEP_TAP) return `posrt.card(${JSON.stringify(st.k)},${JSON.stringify(st.arg)})`;
  if (st.k === STEP_REMOVE) return 'posrt.card("remove","")';
  return undefined;
}

/**
 * The steps during which the acquirer holds its replies back (true): each stretch that leads to a
 * `power-cut`, from after the second-last `expect` before it (the script's previous transaction
 * ended there) to the cut. So a script's `expect Processing...` then `power-cut` falls while the
 * reply is in flight, and the rest of the day gets its replies at once.
 */
export function cutStretches(steps: ScriptStep[]): boolean[] {
  const hold = steps.map(() => false);
  for (let c = 0; c < steps.length; c++) {
    if (steps[c].k !== STEP_POWER_CUT) continue;
    let from = c - 1;
    for (let seen = 0; from >= 0; from--) if (steps[from].k === STEP_EXPECT && ++seen === 2) break;
    for (let i = from + 1; i <= c; i++) hold[i] = true;
  }
  return hold;
}

/**
 * One board session: boots, console steps, power cuts, memory over all boots. Action steps
 * (key, card, remove) are queued and go to the board with the next `expect` (or before a wait,
 * a power cut, the end): on Espruino one round trip, the board watching its own display.
 */
export class ScriptRun {
  board!: Board;
  boots = 0;
  esp: EspruinoMemory = { boot_vars: 0, peak_vars: 0, peak_live_vars: 0, total_vars: 0 };
  lua: LuaFigures = { code_bytes: 0, heap_peak_bytes: 0, data_heap_bytes: 0 };
  timing: RunTiming = { wall_ms: 0, prefill_ms: 0, load_ms: 0, boot_ms: [], round_trips: 0, expects: 0, expect_ms: 0, expect_extensions: 0 };
  private queued: string[] = [];
  /**
   * Messages the acquirer has received so far: an `expect` that timed out waits again while this
   * grew meanwhile (the board is still working with the acquirer: a batch upload of 100 items
   * takes longer than one expect on the interpreter), at most MAX_EXPECT_EXTENSIONS times.
   */
  progress?: () => number;

  constructor(private spec: BoardSpec) {}

  /** Powers on; `watch`: the texts of the expects that directly follow (see leadingExpects). */
  async boot(watch: string[] = []): Promise<void> {
    if (this.boots >= MAX_BOOTS) throw new Error(`more than ${MAX_BOOTS} boots`);
    const t0 = Date.now();
    this.boots++;
    this.board = new Board(this.spec);
    await this.board.boot(watch);
    this.esp.boot_vars = Math.max(this.esp.boot_vars, this.board.boot_vars);
    const probe = this.spec.target === "lua" ? "posrt ~= nil and posrt.key ~= nil" : 'typeof posrt === "object" && typeof posrt.key === "function"';
    const hasApi = await this.board.call(probe);
    if (hasApi !== "true") {
      await this.collect();
      throw new Error("the firmware has no console API posrt.key/card/screen (see the boot output): " + this.board.lines.slice(-2).join(" | "));
    }
    this.timing.boot_ms.push(Date.now() - t0);
  }

  /** Folds this boot's figures into the run's. */
  async collect(): Promise<void> {
    if (this.board.exited) return;
    if (this.spec.target === "espruino") {
      const m = await this.board.espruinoMemory();
      this.esp.peak_vars = Math.max(this.esp.peak_vars, m.peak_vars);
      this.esp.peak_live_vars = Math.max(this.esp.peak_live_vars, m.peak_live_vars);
      this.esp.total_vars = m.total_vars;
    } else {
      const m = await this.board.luaMemory();
      this.lua.code_bytes = Math.max(this.lua.code_bytes, m.code_bytes);
      this.lua.heap_peak_bytes = Math.max(this.lua.heap_peak_bytes, m.heap_peak_bytes);
      this.lua.data_heap_bytes = Math.max(this.lua.data_heap_bytes, m.data_heap_bytes);
    }
  }

  async screen(): Promise<string[]> {
    const v = JSON.parse(await this.board.call("posrt.screen()")) as string[] | Record<string, never>;
    return Array.isArray(v) ? v : [];
  }

  async powerCut(watch: string[] = []): Promise<void> {
    await this.collect();
    await this.board.kill();
    await this.boot(watch);
  }

  /** Sends the queued action steps, then with `text` waits until the display shows it; false after EXPECT_TIMEOUT_MS. */
  async flush(text?: string): Promise<boolean> {
    const exprs = this.queued;
    this.queued = [];
    if (exprs.length === 0 && text === undefined) return true;
    const t0 = Date.now();
    this.timing.round_trips++;
    let seen = this.progress === undefined ? 0 : this.progress();
    let ok = await this.expectOnce(exprs, text);
    for (let n = 0; !ok && text !== undefined && this.progress !== undefined && n < MAX_EXPECT_EXTENSIONS; n++) {
      const now = this.progress();
      if (now === seen) break;
      seen = now;
      this.timing.expect_extensions++;
      ok = await this.expectOnce([], text);
    }
    if (text !== undefined) {
      this.timing.expects++;
      this.timing.expect_ms += Date.now() - t0;
    }
    return ok;
  }

  /**
   * One watch for `text` (after `exprs`). A board so busy that its own display watch did not
   * answer in time counts as not shown yet when the run follows progress: the caller waits again
   * while the acquirer keeps receiving messages.
   */
  private async expectOnce(exprs: string[], text: string | undefined): Promise<boolean> {
    try {
      return await this.board.actThenExpect(exprs, text, EXPECT_TIMEOUT_MS, EXPECT_POLL_MS);
    } catch (e) {
      if (text !== undefined && this.progress !== undefined && e instanceof BoardTimeout && e.watch && !e.exited) return false;
      throw e;
    }
  }

  /** Runs (or queues) one step; false when an `expect` timed out. `watch`: with a power-cut, the expects right after it. */
  async step(st: ScriptStep, watch: string[] = []): Promise<boolean> {
    const e = actionOf(st);
    if (e !== undefined) {
      this.queued.push(e);
      if (this.queued.length >= MAX_CALLS_PER_LINE) await this.flush();
      return true;
    }
    if (st.k === STEP_EXPECT) return this.flush(st.arg);
    await this.flush();
    if (st.k === STEP_WAIT) await this.board.pass(st.ms);
    else if (st.k === STEP_POWER_CUT) await this.powerCut(watch);
    return true;
  }
}

/**
 * The texts of the `expect` steps from `from` on up to the first other step: after a power-on
 * they are armed on the board before the firmware runs (Espruino), so they see its first screen.
 */
export function leadingExpects(steps: ScriptStep[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < steps.length && steps[i].k === STEP_EXPECT; i++) out.push(steps[i].arg);
  return out;
}

/** The acquirer simulator on 127.0.0.1 for one run; knows the terminal's master key when given. */
export async function startDevAcquirer(tmk?: string, reply_delay_ms = 0, profile?: AcquirerProfile, reconcile?: ReconcileMode): Promise<DevAcquirer> {
  const c = devConfig(0);
  const core = new AcquirerCore({ seed: 1, reconcile, terminals: tmk === undefined ? undefined : [{ tid: c.tid, mid: c.mid, tmk }], ...(profile === undefined ? {} : profileOptions(profile)) });
  let n = 0;
  const front = new FaultyAcquirer(core, parseFaultSpec(reply_delay_ms > 0 ? "delay=1,delay_ms=" + reply_delay_ms : "none"));
  const server = await startServer({ acquirer: front, port: 0, host: "127.0.0.1", onMessage: () => n++ });
  const hold = (ms: number): void => {
    front.spec.p.delay = ms > 0 ? 1 : 0;
    front.spec.delay_ms = ms;
  };
  return { core, server, messages: () => n, hold };
}

export interface DevAcquirer {
  core: AcquirerCore;
  server: RunningServer;
  messages: () => number;
  /** Every reply from now on is held back `ms` (0: none). */
  hold: (ms: number) => void;
}

/** Runs `o.script` on the board against an in-process acquirer on 127.0.0.1. */
export async function runDeviceScript(o: RunOptions): Promise<RunReport> {
  const steps = parseScript(fs.readFileSync(o.script, "utf8"));
  const dir = o.flashDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "posrt-device-"));
  if (o.profile !== undefined && o.prefill_percent !== undefined) throw new InputError("--prefill runs posrt's default profile: not with --profile");
  const profile = o.profile === undefined ? undefined : readProfile(o.profile);
  const profileJson = o.profile === undefined || o.board_profile === false ? undefined : JSON.stringify(JSON.parse(fs.readFileSync(o.profile, "utf8")));
  const t0 = Date.now();
  const acq = await startDevAcquirer(o.acquirer_tmk, o.reply_delay_ms ?? 0, profile, o.reconcile);
  const cutDelay = o.cut_reply_delay_ms ?? (o.target === "espruino" ? ESPRUINO_REPLY_DELAY_MS : 0);
  const hold = cutDelay > 0 && o.reply_delay_ms === undefined ? cutStretches(steps) : undefined;
  const spec: BoardSpec = { target: o.target, bin: o.interpreter, dir, firmware: o.firmware, cap_bytes: o.cap_bytes, data_cap_bytes: o.data_cap_bytes, var_cap: o.var_cap, onLine: o.log };
  const run = new ScriptRun(spec);
  run.progress = acq.messages;
  const report: RunReport = { ok: false, target: o.target, steps: 0, line: 0, error: "", boots: 0, screen: [], acquirer: booksOf(acq.core, 0) };
  try {
    const pre = o.prefill_percent === undefined ? undefined : prefillBoard(acq.core, o.target, o.prefill_percent, acq.server.port, o.prefill_days);
    run.timing.prefill_ms = Date.now() - t0;
    prepareFlash(spec, { ...devConfigFiles(acq.server.port, profileJson), ...(pre?.files ?? {}), ...(o.files ?? {}) });
    if (pre !== undefined) {
      writeJournalImage(spec, pre.image);
      report.prefill = { used_percent: pre.used_percent, days: pre.days, sales: pre.sales };
    }
    run.timing.load_ms = Date.now() - t0 - run.timing.prefill_ms;
    await run.boot(leadingExpects(steps, 0));
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i];
      if (hold !== undefined) acq.hold(hold[i] ? cutDelay : 0);
      if (!(await run.step(st, st.k === STEP_POWER_CUT ? leadingExpects(steps, i + 1) : []))) {
        report.line = st.line;
        report.error = `expected "${st.arg}" on the display within ${EXPECT_TIMEOUT_MS / 1000} s of the board's last message to the acquirer`;
        break;
      }
      report.steps++;
    }
    if (report.error === "") await run.flush();
    report.ok = report.error === "";
    report.screen = await run.screen();
    await run.collect();
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  } finally {
    if (run.board !== undefined) await run.board.kill();
    await acq.server.close();
    if (o.flashDir === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
  report.boots = run.boots;
  run.timing.wall_ms = Date.now() - t0;
  report.timing = run.timing;
  if (o.target === "espruino") report.espruino = run.esp;
  else report.lua = run.lua;
  report.acquirer = booksOf(acq.core, acq.messages());
  return report;
}
