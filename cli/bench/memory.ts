import * as fs from "fs";
import * as path from "path";
import { BenchArea } from "./area";
import { vectorFiles } from "../commands/conformance";
import { DIST, ROOT, VECTORS_DIR } from "../paths";
import { LUA, spawnLua } from "../engines";
import { openQuickJs } from "../quickjs";
import { ES5_MEMORY_LIMIT_BYTES, runEs5, runLua, RunResult } from "../runtimes";
import { devConfigFiles } from "../device/dev-config";

/** The board's configuration (posrt.cfg) the device files need to boot; the mocks ignore the address. */
const DEVICE_FILES = devConfigFiles(8583);

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
      "memory.lua_device_boot_bytes": luaLoadHeap(path.join(DIST, "nodemcu", "posrt.lua"), DEVICE_SETTLE_MS),
      "memory.es5_device_boot_bytes": await es5DeviceBootHeap(),
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

/** Virtual time the mocks run after boot before the heap is read (timers, pending events). */
export const DEVICE_SETTLE_MS = 1000;
const ESPRUINO_MOCKS = path.join(ROOT, "test", "fixtures", "espruino-mocks.js");
const NODEMCU_MOCKS = path.join(ROOT, "test", "fixtures", "nodemcu-mocks.lua");
/** The journal file the NodeMCU flash HAL opens (hal/nodemcu/flash.ts), 16 × 4 KB. */
const LUA_JOURNAL_FILE = "posrt.jnl";
const LUA_JOURNAL_BYTES = 16 * 4096;

/**
 * Lua heap growth (bytes, after a full collection) from loading one device file, which boots on
 * the NodeMCU mocks (test/fixtures/nodemcu-mocks.lua), its module kept live. The mocks and the
 * journal file's contents are loaded before the baseline, so only the firmware is counted;
 * `settle_ms` > 0 runs the mocks' virtual clock that long after boot.
 */
export function luaLoadHeap(file: string, settle_ms = 0): number {
  if (!fs.existsSync(file)) throw new Error(`bench memory: no ${file} (npm run build)`);
  const files = Object.keys(DEVICE_FILES).map((k) => `[${JSON.stringify(k)}] = ${JSON.stringify(DEVICE_FILES[k])}`).join(", ");
  const script = `FILES = { ${files} } dofile(${JSON.stringify(NODEMCU_MOCKS)}) mock.prefill(${JSON.stringify(LUA_JOURNAL_FILE)}, ${LUA_JOURNAL_BYTES})
collectgarbage("collect") local e = collectgarbage("count") local kept = dofile(${JSON.stringify(file)})
if ${settle_ms} > 0 then mock.run(${settle_ms}) end collectgarbage("collect")
io.stderr:write(string.format("HEAP_KB %.3f\\n", collectgarbage("count") - e))`;
  const p = spawnLua(["-e", script]);
  const m = /HEAP_KB ([0-9.]+)/.exec(p.stderr ?? "");
  if (p.status !== 0 || m === null || !/ ready: /.test(p.stdout ?? "")) throw new Error(`bench memory: ${LUA.name} could not boot ${file}: ${(p.stdout ?? "") + (p.stderr ?? String(p.error)).trim()}`);
  return Math.round(Number(m[1]) * 1024);
}

/**
 * QuickJS heap growth (memory_used_size, bytes) from evaluating the minified Espruino file on
 * the ES5 mocks (test/fixtures/espruino-mocks.js) and letting it boot; the mocks (with their
 * flash image) are loaded before the baseline.
 */
export async function es5DeviceBootHeap(): Promise<number> {
  const qjs = await openQuickJs(ES5_MEMORY_LIMIT_BYTES, "bench memory: Espruino file in QuickJS");
  const run = (code: string): string => String(qjs.evalValue(code));
  const used = qjs.used;
  try {
    run("var __log = []; var print = function (s) { __log.push(String(s)); }; var __FILES = " + JSON.stringify(DEVICE_FILES) + ";\n" + fs.readFileSync(ESPRUINO_MOCKS, "utf8"));
    const base = used();
    run(fs.readFileSync(path.join(DIST, "espruino", "posrt.js"), "utf8"));
    run(`__mock.run(${DEVICE_SETTLE_MS})`);
    const log = run("__log.join('\\n')");
    if (!/ ready: /.test(log)) throw new Error(`bench memory: the Espruino file did not boot: ${log}`);
    return used() - base;
  } finally {
    qjs.dispose();
  }
}
