#!/usr/bin/env node
// Builds every target from the same src/: the Node build the CLI uses, the Espruino
// ES5 file (minified by the espruino CLI, plus Intel HEX), the Lua 5.3 bundle, and
// the ES5/Lua conformance bundles. Usage: node scripts/build.js [node|es5|lua]...
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { bundle } = require("./bundle-cjs");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "firmware", "dist");
const NM = path.join(ROOT, "node_modules");
/** Espruino built-in modules the device bundle requires (they are in board.json's builtin_modules). */
const ESPRUINO_BUILTINS = ["Flash", "Storage", "net"];

function run(args, label) {
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    process.stderr.write(String(e.stdout || "") + String(e.stderr || ""));
    throw new Error(`build: ${label} failed`);
  }
  if (process.env.POSRT_BUILD_VERBOSE) console.log(`${label}: ${Date.now() - t0} ms`);
}

function buildNode() {
  run([path.join(NM, "typescript/bin/tsc"), "-p", "tsconfig.json"], "tsc node");
}

function buildEs5() {
  run([path.join(NM, "typescript/bin/tsc"), "-p", "firmware/espruino/tsconfig.json"], "tsc es5");
  const root = path.join(ROOT, "build/es5");
  const aliases = { "#bytes-native": "src/bytes/native-typed.js" };
  fs.mkdirSync(path.join(DIST, "espruino"), { recursive: true });
  fs.mkdirSync(path.join(DIST, "es5"), { recursive: true });
  const device = bundle({ entry: path.join(root, "firmware/espruino/main.js"), root, aliases, exposeAs: "posrt", externals: ESPRUINO_BUILTINS });
  const raw = path.join(DIST, "espruino/posrt.bundle.js");
  fs.writeFileSync(raw, device);
  const conf = bundle({ entry: path.join(root, "firmware/conformance/entry.js"), root, aliases, exposeAs: "posrtConformance" });
  fs.writeFileSync(path.join(DIST, "es5/posrt-conformance.js"), conf);
  const jbench = bundle({ entry: path.join(root, "firmware/journal-bench/entry.js"), root, aliases, exposeAs: "posrtJournalBench" });
  fs.writeFileSync(path.join(DIST, "es5/posrt-journal-bench.js"), jbench);
  espruinoMinify(raw);
}

function espruinoMinify(raw) {
  const cli = path.join(NM, "espruino/bin/espruino-cli.js");
  const board = path.join(ROOT, "firmware/espruino/board.json");
  const out = path.join(DIST, "espruino/posrt.js");
  const hex = path.join(DIST, "espruino/posrt.hex");
  // one run writes both (same bytes as two runs, half the time)
  run([cli, "--board", board, "-m", raw, "-o", out, "--ohex", hex], "espruino minify + hex");
  for (const f of [out, hex]) if (!fs.existsSync(f) || fs.statSync(f).size === 0) throw new Error("build: espruino CLI wrote no " + f);
}

function buildLua() {
  fs.mkdirSync(path.join(DIST, "nodemcu"), { recursive: true });
  const tstl = path.join(NM, "typescript-to-lua/dist/tstl.js");
  run([tstl, "-p", "firmware/nodemcu/tsconfig.json"], "tstl device");
  run([tstl, "-p", "firmware/nodemcu/tsconfig.conformance.json"], "tstl conformance");
  run([tstl, "-p", "firmware/nodemcu/tsconfig.journal-bench.json"], "tstl journal bench");
  luacStrip();
}

// Precompiled, debug-stripped device bundle: about 40% smaller and a third less Lua heap once
// loaded (`posrt bench` memory.lua_device_*). Bytecode is tied to the compiler's word sizes:
// this one (desktop luac5.3) loads on desktop Lua 5.3; a NodeMCU image needs the same step with
// NodeMCU's own luac.cross -s. Skipped with a warning when luac5.3 is absent (the tests need it).
function luacStrip() {
  const luac = process.env.POSRT_LUAC || "luac5.3";
  const src = path.join(DIST, "nodemcu/posrt.lua");
  const out = path.join(DIST, "nodemcu/posrt.luac");
  try {
    execFileSync(luac, ["-s", "-o", out, src], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.code !== "ENOENT") throw new Error(`build: ${luac} -s failed: ${String(e.stderr || e.message).trim()}`);
    console.warn(`build: ${luac} not found, firmware/dist/nodemcu/posrt.luac not built (apt-get install lua5.3)`);
    fs.rmSync(out, { force: true });
  }
}

const STEPS = { node: buildNode, es5: buildEs5, lua: buildLua };

function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(STEPS);
  for (const n of names) {
    if (!STEPS[n]) throw new Error(`build: unknown target "${n}" (node, es5, lua)`);
    STEPS[n]();
  }
}

try {
  main();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
