// Fixed memory, measured on the interpreters the boards run: the journal's heap after 3,000
// sales (each journalled pending with its reversal armed, then approved and disarmed; a
// settlement every 200; the 64 KB region is written over about ten times) is the heap after
// the first 100, within a few hundred bytes of noise. (10,000 sales take about a minute of CPU
// on lua5.3 and QuickJS together: too slow for npm test.)
// Lua: collectgarbage("count") after full collections (lua5.3 runs while QuickJS works);
// QuickJS: memory_used_size of the ES5 bundle's runtime (reference counting frees at once).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { DIST } from "../../cli/paths";
import { LUA } from "../../cli/engines";
import { openQuickJs } from "../../cli/quickjs";

/** Sales before the first measurement. The journal's bounded tables reach their size within the
 * first few hundred sales (QuickJS: +3,196 bytes between 100 and 500 sales, then flat to 7,600). */
const WARM = 600;
const TOTAL = 3000;
/** Heap growth tolerated from WARM to TOTAL sales (allocator and interned-string noise). */
const MAX_GROWTH_BYTES = 1024;
const LUA_BUNDLE = path.join(DIST, "nodemcu", "posrt-journal-bench.lua");
const ES5_BUNDLE = path.join(DIST, "es5", "posrt-journal-bench.js");

const LUA_SCRIPT = `
local jb = dofile(arg[1])
local function heap() collectgarbage("collect") collectgarbage("collect") return math.floor(collectgarbage("count") * 1024) end
jb.heapStart()
jb.heapRun(${WARM})
local a = heap()
jb.heapRun(${TOTAL - WARM})
local b = heap()
print("HEAP " .. a .. " " .. b)
`;

function luaHeap(): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(LUA.cmd, [...LUA.pre, "-e", "arg = { [1] = '" + LUA_BUNDLE + "' }" + LUA_SCRIPT]);
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", reject);
    p.on("close", (code) => {
      const m = /HEAP (\d+) (\d+)/.exec(out);
      if (code !== 0 || m === null) reject(new Error(`lua exited ${code}: ${err.trim().split("\n").slice(-2).join(" | ")}`));
      else resolve([Number(m[1]), Number(m[2])]);
    });
  });
}

async function quickJsHeap(): Promise<number[]> {
  const q = await openQuickJs(undefined, "heap");
  try {
    q.evalValue(fs.readFileSync(ES5_BUNDLE, "utf8"));
    q.evalValue(`posrtJournalBench.heapStart(); posrtJournalBench.heapRun(${WARM})`);
    const a = q.used();
    q.evalValue(`posrtJournalBench.heapRun(${TOTAL - WARM})`);
    return [a, q.used()];
  } finally {
    q.dispose();
  }
}

test(`journal heap on QuickJS and Lua: flat from ${WARM} to ${TOTAL} sales`, async () => {
  const lua = luaHeap();
  const qjs = await quickJsHeap();
  const [la, lb] = await lua;
  console.log(`  heap after ${WARM} / ${TOTAL} sales: QuickJS ${qjs[0]} / ${qjs[1]} bytes, Lua ${la} / ${lb} bytes`);
  assert.ok(qjs[0] > 100000 && la > 100000, `heaps measured: QuickJS ${qjs[0]}, Lua ${la} bytes`);
  assert.ok(qjs[1] - qjs[0] <= MAX_GROWTH_BYTES, `QuickJS heap grew ${qjs[1] - qjs[0]} bytes (${qjs[0]} -> ${qjs[1]})`);
  assert.ok(lb - la <= MAX_GROWTH_BYTES, `Lua heap grew ${lb - la} bytes (${la} -> ${lb})`);
});

test.run();
