// Runs conformance vector files on each runtime: the Node build, the ES5 bundle inside
// QuickJS with a memory cap, and the Lua bundle on a real Lua 5.3 interpreter.
import * as fs from "fs";
import { QuickJsSession, openQuickJs } from "./quickjs";
import { ES5_CONFORMANCE_BUNDLE, LUA_CONFORMANCE_BUNDLE, LUA_HOST } from "./paths";
import { LUA, spawnLua } from "./engines";

export interface RunResult {
  runtime: string;
  passed: number;
  failed: number;
  failures: string[];
  /**
   * Peak heap in bytes as the engine reports it (undefined on node), sampled after every case
   * and while code runs: QuickJS interrupt handler (about every 10,000 branches/calls), Lua
   * count hook (every 1,000 VM instructions).
   */
  peakBytes?: number;
  /** Heap before any vector was loaded (bundle loaded), for deltas. */
  baseBytes?: number;
  /** Heap of the empty engine (runtime + context, or Lua state) before the bundle was loaded. */
  emptyBytes?: number;
  /** How many heap samples were taken. */
  samples?: number;
}

/** Memory cap of the ES5 engine: the stand-in for an Espruino board. */
export const ES5_MEMORY_LIMIT_BYTES = 4 * 1024 * 1024;

interface Conformance {
  openVectors(text: string): number;
  caseName(i: number): string;
  runCase(i: number): string;
  closeVectors(): void;
}

function emptyResult(runtime: string): RunResult {
  return { runtime, passed: 0, failed: 0, failures: [] };
}

function record(r: RunResult, name: string, why: string): void {
  if (why === "") r.passed++;
  else {
    r.failed++;
    r.failures.push(`${name}: ${why}`);
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs the Node build of the core. */
export function runNode(files: string[]): RunResult {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const conf: Conformance = require("../firmware/conformance/entry");
  const r = emptyResult("node");
  for (const f of files) {
    let n = 0;
    try {
      n = conf.openVectors(fs.readFileSync(f, "utf8"));
    } catch (e) {
      record(r, f, "cannot load: " + errText(e));
      continue;
    }
    for (let i = 0; i < n; i++) record(r, conf.caseName(i), conf.runCase(i));
    conf.closeVectors();
  }
  return r;
}

/** Runs the ES5 bundle in QuickJS under a memory cap, sampling heap use after each case. */
export async function runEs5(files: string[], memoryLimit = ES5_MEMORY_LIMIT_BYTES): Promise<RunResult> {
  const qjs = await openQuickJs(memoryLimit);
  const r = emptyResult("es5");
  try {
    r.emptyBytes = qjs.used();
    qjs.evalValue(fs.readFileSync(ES5_CONFORMANCE_BUNDLE, "utf8"));
    r.baseBytes = qjs.used();
    r.peakBytes = r.baseBytes;
    r.samples = 0;
    qjs.rt.setInterruptHandler(() => {
      r.peakBytes = Math.max(r.peakBytes ?? 0, qjs.used());
      r.samples = (r.samples ?? 0) + 1;
      return false;
    });
    for (const f of files) runEs5File(f, qjs, r);
  } finally {
    qjs.dispose();
  }
  return r;
}

function runEs5File(f: string, qjs: QuickJsSession, r: RunResult): void {
  const { ctx, evalValue, used } = qjs;
  const text = ctx.newString(fs.readFileSync(f, "utf8"));
  ctx.setProp(ctx.global, "__vectors", text);
  text.dispose();
  let n = 0;
  try {
    n = evalValue("(function(){var t=__vectors; __vectors=undefined; return posrtConformance.openVectors(t);})()") as number;
  } catch (e) {
    record(r, f, "cannot load: " + errText(e));
    return;
  }
  for (let i = 0; i < n; i++) {
    let why: string;
    try {
      why = evalValue(`posrtConformance.runCase(${i})`) as string;
    } catch (e) {
      why = "engine error: " + errText(e);
    }
    r.peakBytes = Math.max(r.peakBytes ?? 0, used());
    record(r, evalValue(`posrtConformance.caseName(${i})`) as string, why);
  }
  evalValue("posrtConformance.closeVectors()");
}

/** Runs the Lua bundle on Lua 5.3: lua5.3 when installed, else its WebAssembly build (cli/engines.ts). */
export function runLua(files: string[]): RunResult {
  const r = emptyResult("lua");
  const p = spawnLua([LUA_HOST, LUA_CONFORMANCE_BUNDLE, ...files]);
  if (p.error) {
    record(r, "lua", `cannot start ${LUA.name} (${errText(p.error)})`);
    return r;
  }
  for (const line of p.stdout.split("\n")) {
    if (line.startsWith("PASS ")) record(r, line.slice(5), "");
    else if (line.startsWith("FAIL ")) {
      const rest = line.slice(5);
      const colon = rest.indexOf(": ");
      record(r, rest.slice(0, colon), rest.slice(colon + 2));
    } else if (line.startsWith("PEAK_KB ")) r.peakBytes = Math.round(Number(line.slice(8)) * 1024);
    else if (line.startsWith("BUNDLE_KB ")) r.baseBytes = Math.round(Number(line.slice(10)) * 1024);
    else if (line.startsWith("EMPTY_KB ")) r.emptyBytes = Math.round(Number(line.slice(9)) * 1024);
    else if (line.startsWith("SAMPLES ")) r.samples = Number(line.slice(8));
  }
  if (p.status !== 0) record(r, "lua", `interpreter exited ${p.status}: ${p.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return r;
}
