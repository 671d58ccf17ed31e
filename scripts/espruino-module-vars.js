#!/usr/bin/env node
// Variables each bundled module holds once it loaded, measured on the real Espruino
// interpreter: the device file (firmware/dist/espruino/posrt.js) with its module loader
// instrumented (process.memory().usage, after a collection, before and after each module's
// body, minus the modules it required) is written into Storage and booted from there, as a board
// runs it. Prints a table (or --json); --bin PATH picks the interpreter (default: the
// growing-memory host build, so that a file too large for 16,383 variables is measured too).
// Usage: node scripts/espruino-module-vars.js [--bin PATH] [--file FILE] [--json]
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const ROOT = path.resolve(__dirname, "..");
const { loadStorage, EspruinoBoard } = require(path.join(ROOT, "build/node/cli/device/espruino-session.js"));
const { espruinoBinary } = require(path.join(ROOT, "build/node/cli/device/espruino-bin.js"));
const { devConfigFiles } = require(path.join(ROOT, "build/node/cli/device/dev-config.js"));
const { HASH_PLACEHOLDER, MARK, indexedModules, withModuleIndex } = require("./storage-modules");

/**
 * The minified loader (scripts/bundle-cjs.js), e.g.
 * function g(f){var i=c[f];if(i)return i;var k=b===undefined?a[f]:j(f);return i=c[f]={},REST,k(i,g),i}
 * where the function is taken from the table or made from its code in Storage, and REST drops
 * a resident module's function or schedules the drop of transient ones.
 */
const LOADER = /function (\w)\((\w)\)\{var (\w)=(\w)\[\2\];if\(\3\)return \3;var (\w)=([^;]*?);return \3=\4\[\2\]=\{\},([^{}]*?),\5\(\3,\1\),\3\}/;

function instrument(src) {
  const m = LOADER.exec(src);
  if (m === null) throw new Error("espruino-module-vars: the module loader of the device file was not found (did the bundle's shape change?)");
  const [, R, id, e, C, f, pick, rest] = m;
  const body = `function ${R}(${id}){var ${e}=${C}[${id}];if(${e})return ${e};var ${f}=${pick};${e}=${C}[${id}]={};${rest};` +
    `var u0=process.memory().usage,k0=__mk;${f}(${e},${R});${f}=undefined;var inc=process.memory().usage-u0;__mm.push(${id}+"="+(inc-(__mk-k0)));__mk=k0+inc;return ${e}}`;
  // the module index counts offsets from the file's start: index the instrumented file anew
  const head = src.indexOf("*/") + 3;
  const hash = src.substr(MARK.length, HASH_PLACEHOLDER.length);
  const code = "var __mm=[],__mk=0;" + src.slice(head).split(MARK + hash).join(MARK + HASH_PLACEHOLDER).replace(LOADER, () => body);
  return withModuleIndex(code, indexedModules(src));
}

/** Per module number, "1" when the bundle loads it transiently (`var T = "..."` of the loader). */
function transientFlags(rawBundle) {
  const m = /^var T = "([01]*)"/m.exec(rawBundle);
  return m === null ? "" : m[1];
}

/** Module names by number, from the unminified bundle's `// id` lines. */
function moduleNames(rawBundle) {
  const names = {};
  const re = /^\/\/ (\S+)\nD\[(\d+)\] = function/gm;
  let m;
  while ((m = re.exec(rawBundle)) !== null) names[m[2]] = m[1];
  return names;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const bin = opt("--bin") || espruinoBinary("big");
  if (bin === undefined) throw new Error("no Espruino interpreter (ESPRUINO_BIN or shared/tools/espruino)");
  const file = opt("--file") || path.join(ROOT, "firmware/dist/espruino/posrt.js");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-modvars-"));
  try {
    const inst = path.join(dir, "posrt-instrumented.js");
    fs.writeFileSync(inst, instrument(fs.readFileSync(file, "latin1")), "latin1");
    loadStorage(bin, dir, inst, devConfigFiles(1));
    const b = new EspruinoBoard(bin, dir);
    const boot = await b.boot(120000);
    const raw = fs.readFileSync(path.join(path.dirname(file), "posrt.bundle.js"), "utf8");
    const names = moduleNames(raw);
    const flags = transientFlags(raw);
    const rows = JSON.parse(await b.call("__mm")).map((s) => {
      const i = s.lastIndexOf("=");
      const n = Number(s.slice(0, i));
      return { module: names[n] || String(n), vars: Number(s.slice(i + 1)), transient: flags.charAt(n) === "1" };
    });
    const total = Number(await b.call("process.memory().total"));
    await b.kill();
    rows.sort((a, b) => b.vars - a.vars);
    const sum = rows.reduce((s, r) => s + r.vars, 0);
    const kept = rows.filter((r) => !r.transient);
    const keptSum = kept.reduce((s, r) => s + r.vars, 0);
    if (args.includes("--json")) console.log(JSON.stringify({ boot_vars: boot, total_vars: total, modules_sum: sum, resident_sum: keptSum, modules: rows }));
    else {
      for (const r of rows) console.log(String(r.vars).padStart(6) + "  " + r.module + (r.transient ? "  (transient)" : ""));
      console.log(`${String(sum).padStart(6)}  all ${rows.length} modules loaded at boot; ${keptSum} in the ${kept.length} resident ones; boot ${boot} of ${total} variables (${path.basename(bin)})`);
      console.log("        (transient: dropped at the end of boot, and freed unless an object alive then reaches it, e.g. a class's instance its module)");
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
