#!/usr/bin/env node
// npm test: build what is stale (incremental, by content), run the uvu unit tests, then the
// conformance vectors on node, es5 and lua, and a small simulation sweep.
//   node scripts/test.js             everything
//   node scripts/test.js --engines   only the parts that run Lua 5.3 or a strict ES5 engine
//                                    (the test files that use cli/engines.ts, conformance on
//                                    lua): what changes on a machine without lua5.3/duk
// POSRT_EXPECT_STANDINS=1 fails unless the Node stand-ins (WebAssembly Lua, QuickJS) are in use.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const ROOT = path.resolve(__dirname, "..");

function step(label, args) {
  console.log(`\n== ${label}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  console.log(`== ${label}: ${r.status === 0 ? "ok" : "FAILED"} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) process.exit(r.status || 1);
}

/** Unit test files (by base name) that spawn Lua or the ES5 engine: they import cli/engines. */
function engineTests() {
  const dir = path.join(ROOT, "test", "unit");
  return fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts") && /cli\/engines"/.test(fs.readFileSync(path.join(dir, f), "utf8"))).map((f) => f.replace(/\.ts$/, ""));
}

function main() {
  const enginesOnly = process.argv.includes("--engines");
  step("build", ["scripts/build.js"]);
  const { LUA, ES5 } = require(path.join(ROOT, "build/node/cli/engines.js"));
  console.log(`\nengines: Lua 5.3 = ${LUA.name}, strict ES5 = ${ES5.name}`);
  if (process.env.POSRT_EXPECT_STANDINS === "1" && (LUA.system || ES5.system)) {
    console.error("test: POSRT_EXPECT_STANDINS=1 but a system interpreter is on the PATH");
    process.exit(1);
  }
  if (enginesOnly) {
    const files = engineTests();
    const escaped = files.map((f) => f.replace(/[.]/g, "\\.")).join("|");
    step(`unit tests that run Lua/ES5 engines (${files.join(", ")})`, ["node_modules/uvu/bin.js", "build/node/test", `(${escaped})\\.js$`]);
    step("conformance (lua)", ["bin/posrt.js", "conformance", "--runtime", "lua"]);
    return;
  }
  step("unit tests (uvu)", ["node_modules/uvu/bin.js", "build/node/test", "\\.test\\.js$"]);
  step("conformance (node, es5, lua)", ["bin/posrt.js", "conformance", "--runtime", "all"]);
  step("simulation sweep (60 seeds × 150 ops, all faults)", ["bin/posrt.js", "sim", "--seeds", "1..60", "--ops", "150", "--faults", "all"]);
}

main();
