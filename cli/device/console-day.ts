// The console day: the device firmware on a real interpreter (Espruino from Storage, or the
// NodeMCU bytecode under the capped Lua host) with the acquirer simulator on 127.0.0.1, driven
// through the console calls it has today (posrt.signIn/sale/settle/status): boot, sign-in,
// `sales` sales, a power cut right after a sale's request left (the acquirer approved it, the
// reply was never processed), the next boot sends the pending reversal by itself (the working
// keys survive the cut), sign-in, one more sale, settlement. Checks the acquirer's books against the terminal's
// and reports memory. Void, refund and lookup are not in it: the console has no such calls
// until the terminal app boots on the device.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AcquirerCore } from "../acquirer/core";
import { devConfigFiles } from "./dev-config";
import { Board, BoardSpec, prepareFlash } from "./boards";
import { startDevAcquirer } from "./run";

/** Longest wait for one console operation's result (real time on Espruino). */
export const RESULT_TIMEOUT_MS = 60000;
export const POLL_MS = 50;

export interface DayOptions {
  target: "espruino" | "lua";
  bin: string;
  sales: number;
  /** Lua only: heap cap in bytes (0 = none), and cap of the heap beyond the loaded code. */
  cap_bytes?: number;
  data_cap_bytes?: number;
  /** Espruino only: run as a build with this many variables (0 = all; espruino-session.ts). */
  var_cap?: number;
  log?: (line: string) => void;
}

export interface DayReport {
  ok: boolean;
  problems: string[];
  sales_approved: number;
  espruino?: { boot_vars: number; peak_vars: number; peak_live_vars: number; total_vars: number };
  /** Lua: heap after the code loaded, allocator peak, highest live heap beyond the code (after a full collection). */
  lua?: { code_bytes: number; peak_bytes: number; data_bytes: number };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

class Day {
  board!: Board;
  problems: string[] = [];
  esp = { boot_vars: 0, peak_vars: 0, peak_live_vars: 0, total_vars: 0 };
  lua = { code_bytes: 0, peak_bytes: 0, data_bytes: 0 };

  constructor(private o: DayOptions, readonly spec: BoardSpec) {}

  /** Powers on (Espruino: a boot after a cut replays the journal, tens of seconds on the host build, boards.ts BOOT_TIMEOUT_MS). */
  async boot(): Promise<void> {
    this.board = new Board(this.spec);
    await this.board.boot();
    if (this.o.target === "espruino") this.esp.boot_vars = Math.max(this.esp.boot_vars, this.board.boot_vars);
  }

  /** Folds this boot's memory into the day's (each boot is collected once before it ends, so its own boot variables bound its peak). */
  async collect(): Promise<void> {
    if (this.o.target === "espruino") {
      const m = await this.board.espruinoMemory();
      this.esp.peak_vars = Math.max(this.esp.peak_vars, m.peak_vars);
      this.esp.peak_live_vars = Math.max(this.esp.peak_live_vars, m.peak_live_vars);
      this.esp.total_vars = m.total_vars;
    } else {
      const m = await this.board.luaMemory();
      this.lua.code_bytes = Math.max(this.lua.code_bytes, m.code_bytes);
      this.lua.peak_bytes = Math.max(this.lua.peak_bytes, m.heap_peak_bytes);
      this.lua.data_bytes = Math.max(this.lua.data_bytes, m.data_heap_bytes);
    }
  }

  /** Lets `ms` of the board's time pass (real time on Espruino, virtual on the Lua host). */
  async pass(ms: number): Promise<void> {
    await this.board.pass(ms);
  }

  async status(): Promise<string> {
    return JSON.parse(await this.board.call("posrt.status()")) as string;
  }

  /** Waits (board time) until no reversal is pending; the status then. */
  async untilNoReversal(): Promise<string> {
    const until = Date.now() + RESULT_TIMEOUT_MS;
    let s = await this.status();
    while (s.indexOf(" 0 reversal(s) pending") < 0 && Date.now() < until) {
      await this.pass(this.o.target === "lua" ? 200 : POLL_MS);
      s = await this.status();
    }
    return s;
  }

  /** Calls `op` and waits until the status shows a new result line starting with `name`. */
  async operate(op: string, name: string): Promise<string> {
    const before = await this.status();
    await this.board.call(op);
    const until = Date.now() + RESULT_TIMEOUT_MS;
    while (Date.now() < until) {
      await this.pass(this.o.target === "lua" ? 200 : POLL_MS);
      const s = await this.status();
      if (s !== before && s.indexOf("last " + name + ": ") >= 0) return s;
    }
    throw new Error(`${op}: no result in ${RESULT_TIMEOUT_MS} ms; status: ${await this.status()}`);
  }
}

function txnCount(status: string): number {
  const m = /(\d+) txn\(s\)/.exec(status);
  return m === null ? -1 : Number(m[1]);
}

/** Runs the console day; the flash lives in a temporary folder. */
export async function runConsoleDay(o: DayOptions): Promise<DayReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-day-"));
  const acq = await startDevAcquirer();
  const core = acq.core;
  const day = new Day(o, { target: o.target, bin: o.bin, dir, cap_bytes: o.cap_bytes, data_cap_bytes: o.data_cap_bytes, var_cap: o.var_cap, onLine: o.log });
  const report: DayReport = { ok: false, problems: day.problems, sales_approved: 0 };
  try {
    prepareFlash(day.spec, devConfigFiles(acq.server.port));
    await day.boot();
    if (!/signed in/.test(await day.operate("posrt.signIn()", "sign-in"))) day.problems.push("sign-in failed");
    for (let i = 0; i < o.sales; i++) {
      // whole amounts: amounts ending in a response code are the simulator's magic declines
      const s = await day.operate(`posrt.sale(${1000 + 100 * i})`, "sale");
      if (s.indexOf("last sale: OK") < 0) day.problems.push(`sale ${i + 1}: ${s}`);
      else report.sales_approved++;
    }
    // power cut once the request has left: the acquirer approves; the terminal, killed at once,
    // normally never hears it (if the reply won the race, the sale must be in its journal)
    await day.collect();
    await day.board.call("posrt.sale(999)");
    await day.pass(o.target === "lua" ? 3 : 0);
    if (o.target === "espruino") await waitFor(() => core.ledger().txns.some((t) => t.amount_minor === 999), RESULT_TIMEOUT_MS);
    await day.board.kill();
    await day.boot();
    // the working keys survived the cut (kept in flash under the device key): the board sends the
    // pending reversal at power-on by itself; the cut sale stands only if the acquirer kept it
    const after = await day.untilNoReversal();
    if (after.indexOf("0 reversal(s) pending") < 0) day.problems.push("the reversal was not sent after the reboot: " + after);
    const cut = core.ledger().txns.filter((t) => t.kind === "sale" && t.amount_minor === 999);
    if (cut.length === 1 && cut[0].approved && !cut[0].reversed) report.sales_approved++;
    const signed = await day.operate("posrt.signIn()", "sign-in");
    if (signed.indexOf("last sign-in: OK") < 0) day.problems.push("sign-in after the reboot: " + signed);
    const last = await day.operate("posrt.sale(4321)", "sale");
    if (last.indexOf("last sale: OK") >= 0) report.sales_approved++;
    else day.problems.push("sale after the reboot: " + last);
    const journalTxns = txnCount(last);
    const settled = await day.operate("posrt.settle()", "settlement");
    if (settled.indexOf("last settlement: OK") < 0) day.problems.push("settlement: " + settled);
    await day.collect();
    books(core, report, journalTxns);
  } catch (e) {
    day.problems.push(e instanceof Error ? e.message : String(e));
  } finally {
    if (day.board !== undefined) await day.board.kill();
    await acq.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (o.target === "espruino") report.espruino = day.esp;
  else report.lua = day.lua;
  report.ok = day.problems.length === 0;
  return report;
}

async function waitFor(cond: () => boolean, timeout_ms: number): Promise<void> {
  const until = Date.now() + timeout_ms;
  while (!cond() && Date.now() < until) await sleep(POLL_MS);
}

/** The acquirer's books: the cut sale reversed, no trace number used twice, counts agree. */
function books(core: AcquirerCore, report: DayReport, journalTxns: number): void {
  const sales = core.ledger().txns.filter((t) => t.kind === "sale");
  const cut = sales.filter((t) => t.amount_minor === 999);
  if (cut.length !== 1) report.problems.push(`the acquirer saw the cut sale ${cut.length} times`);
  const stans = new Set<string>();
  for (const t of sales) {
    const k = t.batch + "/" + t.stan;
    if (stans.has(k)) report.problems.push("trace number used twice: " + k);
    stans.add(k);
  }
  const live = sales.filter((t) => t.approved && !t.reversed).length;
  if (live !== report.sales_approved) report.problems.push(`the acquirer books ${live} sales, the terminal approved ${report.sales_approved}`);
  if (journalTxns < report.sales_approved) report.problems.push(`the journal holds ${journalTxns} transactions, ${report.sales_approved} were approved`);
}
