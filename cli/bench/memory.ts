import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { BenchArea } from "./area";
import { vectorFiles } from "../commands/conformance";
import { DIST, LUA_BIN, VECTORS_DIR } from "../paths";
import { runEs5, runLua, RunResult } from "../runtimes";

/**
 * Heap figures measured by the engines themselves while the full vector suite runs
 * (test/vectors): QuickJS `computeMemoryUsage().memory_used_size`, Lua 5.3
 * `collectgarbage("count")`. Baselines: every figure is minus the empty engine (a fresh
 * QuickJS runtime + context; a Lua state that has loaded only the host script), so it counts
 * the bundle's code and data plus what the vectors allocate. Peaks are sampled after every
 * case and while code runs (QuickJS interrupt handler, Lua count hook: see firmware/conformance/host.lua).
 * Lua peaks include garbage not yet collected under the default incremental GC.
 */
export const memoryBench: BenchArea = {
  name: "memory",
  async run() {
    const files = vectorFiles(VECTORS_DIR);
    const es5 = await runEs5(files);
    const lua = runLua(files);
    return {
      "memory.es5_peak_bytes": delta(es5, es5.peakBytes),
      "memory.es5_bundle_heap_bytes": delta(es5, es5.baseBytes),
      "memory.es5_empty_runtime_bytes": need(es5, es5.emptyBytes),
      "memory.lua_peak_bytes": delta(lua, lua.peakBytes),
      "memory.lua_bundle_heap_bytes": delta(lua, lua.baseBytes),
      "memory.lua_empty_state_bytes": need(lua, lua.emptyBytes),
      "memory.es5_heap_samples": need(es5, es5.samples),
      "memory.lua_heap_samples": need(lua, lua.samples),
      "memory.lua_device_heap_bytes": luaLoadHeap(path.join(DIST, "nodemcu", "posrt.lua")),
      "memory.lua_device_luac_heap_bytes": luaLoadHeap(path.join(DIST, "nodemcu", "posrt.luac")),
    };
  },
};

function need(r: RunResult, v: number | undefined): number {
  if (r.failed > 0) throw new Error(`bench memory: ${r.runtime} vectors failed: ${r.failures.slice(0, 3).join("; ")}`);
  if (v === undefined) throw new Error(`bench memory: ${r.runtime} reported no heap figure`);
  return v;
}

function delta(r: RunResult, v: number | undefined): number {
  return need(r, v) - need(r, r.emptyBytes);
}

/** Lua heap growth (bytes, after a full collection) from loading and running one device file, its module kept live. */
export function luaLoadHeap(file: string): number {
  if (!fs.existsSync(file)) throw new Error(`bench memory: no ${file} (npm run build)`);
  const script = `collectgarbage("collect") local e = collectgarbage("count") local kept = dofile(${JSON.stringify(file)}) collectgarbage("collect")
io.stderr:write(string.format("HEAP_KB %.3f\\n", collectgarbage("count") - e))`;
  const p = spawnSync(LUA_BIN, ["-e", script], { encoding: "utf8" });
  const m = /HEAP_KB ([0-9.]+)/.exec(p.stderr ?? "");
  if (p.status !== 0 || m === null) throw new Error(`bench memory: ${LUA_BIN} could not load ${file}: ${(p.stderr ?? String(p.error)).trim()}`);
  return Math.round(Number(m[1]) * 1024);
}
