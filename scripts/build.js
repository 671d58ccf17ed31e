#!/usr/bin/env node
// Builds every target from the same src/: the Node build the CLI uses, the Espruino
// ES5 file (minified by the espruino CLI, plus Intel HEX), the Lua 5.3 bundle and its
// bytecode, and the ES5/Lua conformance bundles.
// Usage: node scripts/build.js [node|es5|lua|luac]... [--force] [--quiet]
// Incremental by content: each target records a hash of its inputs (sources, configs, tool
// versions) in build/.stamps.json and is rebuilt only when that hash changed or an output is
// missing; --force rebuilds anyway. Progress goes to stderr when it is a terminal.
"use strict";
const { execFile, execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { bundle } = require("./bundle-cjs");
const { withModuleIndex } = require("./storage-modules");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "firmware", "dist");
const NM = path.join(ROOT, "node_modules");
const STAMPS = path.join(ROOT, "build", ".stamps.json");
/** Espruino built-in modules the device bundle requires (they are in board.json's builtin_modules). */
const ESPRUINO_BUILTINS = ["Flash", "Storage", "net"];
/** Storage files the device file runs from: `posrt flash` writes posrt.js, the HEX holds it as .bootcde. */
const ESPRUINO_STORAGE_FILES = ["posrt.js", ".bootcde"];
/** Folders never read for inputs. */
const SKIP_DIRS = new Set(["node_modules", "build", "dist", ".git"]);
/** Bound on files hashed for one target (a runaway walk is a bug, not a bigger build). */
const MAX_INPUT_FILES = 20000;

let quiet = false;
const tty = process.stderr.isTTY === true;

/** A line on stderr when it is a terminal (never with --quiet). */
function progress(msg) {
  if (tty && !quiet) process.stderr.write(msg + "\n");
}

function run(args, label) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        process.stderr.write(String(stdout || "") + String(stderr || ""));
        reject(new Error(`build: ${label} failed`));
      } else resolve();
    });
  });
}

async function buildNode() {
  // --incremental: tsc re-checks only what changed since its last run (build/node/.tsbuildinfo)
  await run([path.join(NM, "typescript/bin/tsc"), "-p", "tsconfig.json", "--incremental", "--tsBuildInfoFile", "build/node/.tsbuildinfo"], "tsc node");
}

async function buildEs5() {
  await run([path.join(NM, "typescript/bin/tsc"), "-p", "firmware/espruino/tsconfig.json"], "tsc es5");
  const root = path.join(ROOT, "build/es5");
  const aliases = { "#bytes-native": "src/bytes/native-typed.js" };
  fs.mkdirSync(path.join(DIST, "espruino"), { recursive: true });
  fs.mkdirSync(path.join(DIST, "es5"), { recursive: true });
  // transient modules (scripts/transient-modules.js), their code read from Storage on use (scripts/storage-modules.js)
  let modules = 0;
  const device = bundle({ entry: path.join(root, "firmware/espruino/main.js"), root, aliases, exposeAs: "posrt", externals: ESPRUINO_BUILTINS, transient: true, storageFiles: ESPRUINO_STORAGE_FILES, report: (r) => (modules = r.length) });
  const raw = path.join(DIST, "espruino/posrt.bundle.js");
  fs.writeFileSync(raw, device);
  const conf = bundle({ entry: path.join(root, "firmware/conformance/entry.js"), root, aliases, exposeAs: "posrtConformance" });
  fs.writeFileSync(path.join(DIST, "es5/posrt-conformance.js"), conf);
  const jbench = bundle({ entry: path.join(root, "firmware/journal-bench/entry.js"), root, aliases, exposeAs: "posrtJournalBench" });
  fs.writeFileSync(path.join(DIST, "es5/posrt-journal-bench.js"), jbench);
  const dbench = bundle({ entry: path.join(root, "firmware/drivers-bench/entry.js"), root, aliases, exposeAs: "posrtDriversBench" });
  fs.writeFileSync(path.join(DIST, "es5/posrt-drivers-bench.js"), dbench);
  const cbench = bundle({ entry: path.join(root, "firmware/espruino/crypto-bench.js"), root, aliases, exposeAs: "posrtCryptoBench" });
  fs.writeFileSync(path.join(DIST, "espruino/crypto-bench.js"), cbench);
  await espruinoMinify(raw, modules);
}

/** Minifies the device bundle, puts the module index in front (storage-modules.js), writes the HEX of it. */
async function espruinoMinify(raw, modules) {
  const cli = path.join(NM, "espruino/bin/espruino-cli.js");
  const board = path.join(ROOT, "firmware/espruino/board.json");
  const out = path.join(DIST, "espruino/posrt.js");
  const hex = path.join(DIST, "espruino/posrt.hex");
  await run([cli, "--board", board, "-m", raw, "-o", out], "espruino minify");
  fs.writeFileSync(out, withModuleIndex(fs.readFileSync(out, "utf8"), modules));
  await run([cli, "--board", board, out, "--ohex", hex], "espruino hex");
  for (const f of [out, hex]) if (!fs.existsSync(f) || fs.statSync(f).size === 0) throw new Error("build: espruino CLI wrote no " + f);
}

async function buildLua() {
  fs.mkdirSync(path.join(DIST, "nodemcu"), { recursive: true });
  const tstl = path.join(NM, "typescript-to-lua/dist/tstl.js");
  await run([tstl, "-p", "firmware/nodemcu/tsconfig.json"], "tstl device");
  await run([tstl, "-p", "firmware/nodemcu/tsconfig.conformance.json"], "tstl conformance");
  await run([tstl, "-p", "firmware/nodemcu/tsconfig.journal-bench.json"], "tstl journal bench");
  await run([tstl, "-p", "firmware/nodemcu/tsconfig.drivers-bench.json"], "tstl drivers bench");
  await run([tstl, "-p", "firmware/boards/tsconfig.nodemcu-check.json"], "tstl NodeMCU bus adapter check");
}

/** The luac used: POSRT_LUAC, else luac5.3 on the PATH, else the WebAssembly Lua's string.dump. */
function luacTool() {
  if (process.env.POSRT_LUAC) return { name: process.env.POSRT_LUAC, cmd: process.env.POSRT_LUAC, pre: [] };
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (dir !== "" && fs.existsSync(path.join(dir, "luac5.3"))) return { name: "luac5.3", cmd: "luac5.3", pre: [] };
  }
  return { name: "wasm", cmd: process.execPath, pre: [path.join(__dirname, "lua53-wasm.js"), "--luac"] };
}

// Precompiled, debug-stripped device bundle: about 40% smaller and a third less Lua heap once
// loaded (`posrt bench` memory.lua_device_*). Bytecode is tied to the compiler's word sizes:
// luac5.3's loads on desktop Lua 5.3; without luac5.3 the WebAssembly Lua writes it (32-bit
// size_t: it loads in that Lua, which then also runs the tests); a NodeMCU image needs the same
// step with NodeMCU's own luac.cross -s.
async function buildLuac() {
  const tool = luacTool();
  const src = path.join(DIST, "nodemcu/posrt.lua");
  const out = path.join(DIST, "nodemcu/posrt.luac");
  try {
    execFileSync(tool.cmd, [...tool.pre, "-s", "-o", out, src], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`build: ${tool.name} -s failed: ${String(e.stderr || e.message).trim()}`);
  }
  if (tool.name === "wasm") progress("build: luac5.3 not installed: posrt.luac written by the WebAssembly Lua 5.3 (loads in that Lua only)");
}

/** Every file under `dirs` (relative to ROOT) whose name ends in one of `exts`, sorted. */
function walk(dirs, exts) {
  const out = [];
  const visit = (rel) => {
    const full = path.join(ROOT, rel);
    if (!fs.existsSync(full)) return;
    for (const ent of fs.readdirSync(full, { withFileTypes: true })) {
      const r = path.join(rel, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) visit(r);
      } else if (exts.some((x) => ent.name.endsWith(x))) {
        out.push(r);
        if (out.length > MAX_INPUT_FILES) throw new Error(`build: more than ${MAX_INPUT_FILES} input files under ${dirs.join(", ")}`);
      }
    }
  };
  for (const d of dirs) visit(d);
  return out.sort();
}

const TOOLS = ["package-lock.json", "scripts/build.js", "tsconfig.base.json"];
const CORE = () => walk(["src", "hal", "firmware"], [".ts", ".json"]);

/**
 * Targets in build order. `inputs` lists the files whose content decides staleness, `extra`
 * any other fact (which luac); `outputs` must all exist for a target to count as built.
 */
const TARGETS = {
  node: {
    build: buildNode,
    inputs: () => [...TOOLS, "tsconfig.json", ...walk(["src", "hal", "cli", "firmware", "test"], [".ts"])],
    outputs: ["build/node/cli/main.js"],
  },
  es5: {
    build: buildEs5,
    inputs: () => [...TOOLS, "scripts/bundle-cjs.js", "scripts/hoist-functions.js", "scripts/transient-modules.js", "scripts/storage-modules.js", ...CORE()],
    outputs: ["firmware/dist/espruino/posrt.js", "firmware/dist/espruino/posrt.hex", "firmware/dist/es5/posrt-conformance.js", "firmware/dist/es5/posrt-journal-bench.js", "firmware/dist/es5/posrt-drivers-bench.js", "firmware/dist/espruino/crypto-bench.js"],
  },
  lua: {
    build: buildLua,
    inputs: () => [...TOOLS, ...CORE()],
    outputs: ["firmware/dist/nodemcu/posrt.lua", "firmware/dist/nodemcu/posrt-conformance.lua", "firmware/dist/nodemcu/posrt-journal-bench.lua", "firmware/dist/nodemcu/posrt-drivers-bench.lua", "firmware/dist/nodemcu/posrt-nodemcu-bus-check.lua"],
  },
  luac: {
    build: buildLuac,
    after: "lua",
    inputs: () => ["scripts/build.js", "scripts/lua53-wasm.js", "firmware/dist/nodemcu/posrt.lua"],
    extra: () => "luac=" + luacTool().name,
    outputs: ["firmware/dist/nodemcu/posrt.luac"],
  },
};

function hashInputs(t) {
  const h = crypto.createHash("sha256");
  for (const rel of t.inputs()) {
    h.update(rel + "\0");
    const full = path.join(ROOT, rel);
    h.update(fs.existsSync(full) ? fs.readFileSync(full) : "(missing)");
    h.update("\0");
  }
  if (t.extra) h.update(t.extra());
  return h.digest("hex");
}

function readStamps() {
  try {
    return JSON.parse(fs.readFileSync(STAMPS, "utf8"));
  } catch {
    return {};
  }
}

function writeStamp(name, hash) {
  const s = readStamps();
  s[name] = hash;
  fs.mkdirSync(path.dirname(STAMPS), { recursive: true });
  fs.writeFileSync(STAMPS, JSON.stringify(s, null, 1) + "\n");
}

/** Builds one target if stale; resolves to "built" or "fresh". */
async function buildTarget(name, force) {
  const t = TARGETS[name];
  const hash = hashInputs(t);
  const fresh = !force && readStamps()[name] === hash && t.outputs.every((o) => fs.existsSync(path.join(ROOT, o)));
  if (fresh) return "fresh";
  const t0 = Date.now();
  progress(`build: ${name} …`);
  await t.build();
  writeStamp(name, hash);
  progress(`build: ${name} done (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return "built";
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  quiet = args.includes("--quiet");
  const wanted = args.filter((a) => !a.startsWith("--"));
  for (const a of args) if (a.startsWith("--") && a !== "--force" && a !== "--quiet") throw new Error(`build: unknown option ${a} (--force, --quiet)`);
  for (const n of wanted) if (!TARGETS[n]) throw new Error(`build: unknown target "${n}" (${Object.keys(TARGETS).join(", ")})`);
  let names = wanted.length > 0 ? wanted : Object.keys(TARGETS);
  if (names.includes("lua") && !names.includes("luac")) names = [...names, "luac"];
  const t0 = Date.now();
  // node, es5 and lua are independent processes: run them side by side; luac follows lua
  const results = {};
  const jobs = names.filter((n) => !TARGETS[n].after).map(async (n) => {
    results[n] = await buildTarget(n, force);
    for (const m of names) if (TARGETS[m].after === n) results[m] = await buildTarget(m, force);
  });
  const orphans = names.filter((n) => TARGETS[n].after && !names.includes(TARGETS[n].after));
  await Promise.all(jobs);
  for (const n of orphans) results[n] = await buildTarget(n, force);
  const built = names.filter((n) => results[n] === "built");
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (!quiet) console.log(built.length === 0 ? `build: up to date (${names.join(", ")}; ${secs} s)` : `build: ${built.join(", ")} rebuilt, ${names.length - built.length} up to date (${secs} s)`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
