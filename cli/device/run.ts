// `posrt device run`: the device firmware on a real interpreter, connected to the acquirer
// simulator on 127.0.0.1, driven by a `posrt terminal` script through the device console API
// (posrt.key, posrt.card, posrt.screen); power-cut kills the interpreter and boots it again on
// the same flash. Reports the memory the interpreter saw.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AcquirerCore } from "../acquirer/core";
import { FaultyAcquirer, parseFaultSpec } from "../acquirer/faults";
import { RunningServer, startServer } from "../acquirer/server";
import { devConfigFiles } from "./dev-config";
import { ScriptStep, STEP_EXPECT, STEP_INSERT, STEP_KEY, STEP_POWER_CUT, STEP_REMOVE, STEP_SWIPE, STEP_TAP, STEP_WAIT, parseScript } from "../../src/app/script";
import { EXPECT_TIMEOUT_MS } from "../../src/app/run-script";
import { DIST } from "../paths";
import { EspruinoBoard, EspruinoMemory, loadStorage } from "./espruino-session";

/** How often `expect` looks at the display. */
export const EXPECT_POLL_MS = 100;
/** Most boots in one run (power cuts + 1). */
export const MAX_BOOTS = 200;

export const ESPRUINO_FIRMWARE = path.join(DIST, "espruino", "posrt.js");

export interface RunOptions {
  interpreter: string;
  script: string;
  /** Folder holding the flash file; a fresh temporary one (removed afterwards) when absent. */
  flashDir?: string;
  firmware?: string;
  log?: (line: string) => void;
}

export interface RunReport {
  ok: boolean;
  target: string;
  steps: number;
  line: number;
  error: string;
  boots: number;
  screen: string[];
  memory: EspruinoMemory;
  acquirer: { approved: number; messages: number };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** One board session: boots, console steps, power cuts, memory over all boots. */
class EspruinoRun {
  board!: EspruinoBoard;
  boots = 0;
  mem: EspruinoMemory = { boot_vars: 0, peak_vars: 0, peak_live_vars: 0, total_vars: 0 };

  constructor(private o: RunOptions, private dir: string) {}

  async boot(): Promise<void> {
    if (this.boots >= MAX_BOOTS) throw new Error(`more than ${MAX_BOOTS} boots`);
    this.boots++;
    this.board = new EspruinoBoard(this.o.interpreter, this.dir);
    if (this.o.log !== undefined) this.board.onLine = this.o.log;
    const vars = await this.board.boot();
    this.mem.boot_vars = Math.max(this.mem.boot_vars, vars);
    const hasApi = await this.board.call('typeof posrt === "object" && typeof posrt.key === "function"');
    if (hasApi !== "true") {
      await this.collect();
      throw new Error("the firmware has no console API posrt.key/card/screen (see the boot output): " + this.board.lines.slice(-2).join(" | "));
    }
  }

  /** Folds this boot's figures into the run's. */
  async collect(): Promise<void> {
    if (this.board.exited) return;
    const m = await this.board.memory(this.mem.boot_vars);
    this.mem.peak_vars = Math.max(this.mem.peak_vars, m.peak_vars);
    this.mem.peak_live_vars = Math.max(this.mem.peak_live_vars, m.peak_live_vars);
    this.mem.total_vars = m.total_vars;
  }

  async screen(): Promise<string[]> {
    return JSON.parse(await this.board.call("posrt.screen()")) as string[];
  }

  /** Runs one step; false when an `expect` timed out. */
  async step(st: ScriptStep): Promise<boolean> {
    if (st.k === STEP_KEY) await this.board.call(`posrt.key(${JSON.stringify(st.arg)})`);
    else if (st.k === STEP_SWIPE || st.k === STEP_INSERT || st.k === STEP_TAP) await this.board.call(`posrt.card(${JSON.stringify(st.k)},${JSON.stringify(st.arg)})`);
    else if (st.k === STEP_REMOVE) await this.board.call('posrt.card("remove","")');
    else if (st.k === STEP_WAIT) await sleep(st.ms);
    else if (st.k === STEP_POWER_CUT) {
      await this.collect();
      await this.board.kill();
      await this.boot();
    } else if (st.k === STEP_EXPECT) {
      const until = Date.now() + EXPECT_TIMEOUT_MS;
      while (Date.now() < until) {
        if ((await this.screen()).join("\n").indexOf(st.arg) >= 0) return true;
        await sleep(EXPECT_POLL_MS);
      }
      return false;
    }
    return true;
  }
}

/** Runs `o.script` on the Espruino interpreter against an in-process acquirer on 127.0.0.1. */
export async function runEspruinoScript(o: RunOptions): Promise<RunReport> {
  const steps = parseScript(fs.readFileSync(o.script, "utf8"));
  const dir = o.flashDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "posrt-device-"));
  const core = new AcquirerCore({ seed: 1 });
  let messages = 0;
  const server: RunningServer = await startServer({ acquirer: new FaultyAcquirer(core, parseFaultSpec("none")), port: 0, host: "127.0.0.1", onMessage: () => messages++ });
  const run = new EspruinoRun(o, dir);
  const report: RunReport = { ok: false, target: "espruino", steps: 0, line: 0, error: "", boots: 0, screen: [], memory: run.mem, acquirer: { approved: 0, messages: 0 } };
  try {
    loadStorage(o.interpreter, dir, o.firmware ?? ESPRUINO_FIRMWARE, devConfigFiles(server.port));
    await run.boot();
    for (const st of steps) {
      if (!(await run.step(st))) {
        report.line = st.line;
        report.error = `expected "${st.arg}" on the display within ${EXPECT_TIMEOUT_MS / 1000} s`;
        break;
      }
      report.steps++;
    }
    report.ok = report.error === "";
    report.screen = await run.screen();
    await run.collect();
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
  } finally {
    if (run.board !== undefined) await run.board.kill();
    await server.close();
    if (o.flashDir === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
  report.boots = run.boots;
  report.acquirer = { approved: core.ledger().txns.filter((t) => t.approved).length, messages };
  return report;
}
