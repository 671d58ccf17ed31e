// driver.* figures: each part driver's code size and RAM on both device builds.
//  - driver.<d>.es5_code_bytes: the driver's modules (its files in hal/drivers/ plus its own
//    protocol module in src/parts/) from the ES5 build, each wrapped as the device bundle
//    stores it, minified by the espruino CLI's offline (Esprima) minifier as `npm run build` does.
//  - driver.<d>.lua_code_bytes: the same modules' sections of the Lua bundle, compiled by
//    `luac5.3 -s` (desktop Lua 5.3, or the WebAssembly Lua's string.dump without it; NodeMCU's
//    luac.cross output differs slightly).
//  - driver.<d>.es5_ram_bytes: QuickJS heap growth from opening the driver (ES5 bundle
//    firmware/dist/es5/posrt-drivers-bench.js) on a bus that does nothing but keep callbacks.
//  - driver.<d>.lua_ram_bytes: Lua 5.3 heap growth (after a full collection) from the same.
//  - driver.<d>.espruino_ram_vars: JsVars the real Espruino 2v29 interpreter (host build) uses
//    for the opened driver (process.memory().usage); only when that interpreter is present
//    (ESPRUINO_BIN, or shared/tools/espruino/espruino-host-big beside the checkout), else a note on stderr.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync, SpawnSyncReturns } from "child_process";
import { LUA, onPath, spawnEngine, spawnLua } from "../engines";
import { BenchArea } from "./area";
import { DIST, ROOT } from "../paths";
import { openQuickJs } from "../quickjs";
import { ES5_MEMORY_LIMIT_BYTES } from "../runtimes";

/** Each driver and the modules that are its own (shared core modules are not counted). */
export const DRIVER_MODULES: { name: string; modules: string[] }[] = [
  { name: "keypad", modules: ["hal/drivers/keypad-matrix"] },
  { name: "printer", modules: ["hal/drivers/escpos-printer"] },
  { name: "pn532", modules: ["hal/drivers/pn532", "hal/drivers/pn532-link", "src/parts/pn532-frame"] },
  { name: "magstripe", modules: ["hal/drivers/magstripe", "src/parts/iso7811"] },
  { name: "lcd", modules: ["hal/drivers/lcd-hd44780"] },
  // the SecurityModule on an SE050 (docs/security-module.md): driver, link, module, boot choice and its two protocol modules
  { name: "se050", modules: ["hal/drivers/se050", "hal/drivers/se050-link", "hal/drivers/se050-security", "hal/drivers/security-choice", "src/parts/t1-i2c", "src/parts/se050-apdu"] },
];

const ES5_BENCH = path.join(DIST, "es5", "posrt-drivers-bench.js");
const LUA_BENCH = path.join(DIST, "nodemcu", "posrt-drivers-bench.lua");
const ESPRUINO_CLI = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
const BOARD = path.join(ROOT, "firmware", "espruino", "board.json");

function need(file: string): void {
  if (!fs.existsSync(file)) throw new Error(`bench drivers: no ${file} (npm run build)`);
}

function espruinoMinify(src: string, tmp: string, tag: string): string {
  const inFile = path.join(tmp, tag + ".js");
  const outFile = path.join(tmp, tag + ".min.js");
  fs.writeFileSync(inFile, src);
  execFileSync(process.execPath, [ESPRUINO_CLI, "--board", BOARD, "-m", inFile, "-o", outFile], { stdio: ["ignore", "pipe", "pipe"] });
  return fs.readFileSync(outFile, "utf8");
}

/** The modules as the device bundle holds them (scripts/bundle-cjs.js), minified. */
function es5CodeBytes(modules: string[], tmp: string, tag: string): number {
  const parts: string[] = ["var D = {};"];
  for (const m of modules) {
    const file = path.join(ROOT, "build", "es5", m + ".js");
    need(file);
    const src = fs.readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=.*$/m, "").replace(/require\("([^"]+)"\)/g, (_s, spec: string) => `__req(${JSON.stringify(spec)})`);
    parts.push(`D[${JSON.stringify(m + ".js")}] = function (module, exports, __req) {\n${src}\n};`);
  }
  const min = espruinoMinify(parts.join("\n"), tmp, tag);
  return Buffer.byteLength(min) - Buffer.byteLength("var D={};");
}

/** luac5.3 (POSRT_LUAC) when installed, else the WebAssembly Lua's --luac (string.dump). */
function luacCommand(args: string[]): SpawnSyncReturns<string> {
  const luac = process.env.POSRT_LUAC ?? (onPath("luac5.3") !== undefined ? "luac5.3" : undefined);
  if (luac !== undefined) return spawnSync(luac, args, { encoding: "utf8" });
  return spawnEngine({ name: "luac (WebAssembly)", system: false, cmd: process.execPath, pre: [path.join(ROOT, "scripts", "lua53-wasm.js"), "--luac"] }, args);
}

/** Bytes of `luac5.3 -s` for the modules' sections of the Lua bundle. */
function luaCodeBytes(modules: string[], bundle: string, tmp: string, tag: string): number {
  const chunks: string[] = [];
  for (const m of modules) {
    const key = `["${m.split("/").join(".")}"] = function(...) `;
    const at = bundle.indexOf(key);
    if (at < 0) throw new Error(`bench drivers: module ${m} not in ${LUA_BENCH}`);
    const next = bundle.indexOf('\n["', at + key.length);
    const section = bundle.substring(at + key.length, next < 0 ? bundle.length : next).replace(/\s*end,\s*$/, "\nend");
    chunks.push(`local m${chunks.length} = function(...) ${section}`);
  }
  const src = path.join(tmp, tag + ".lua");
  const out = path.join(tmp, tag + ".luac");
  fs.writeFileSync(src, chunks.join("\n") + "\n");
  const p = luacCommand(["-s", "-o", out, src]);
  if (p.status !== 0 || !fs.existsSync(out)) throw new Error(`bench drivers: luac failed: ${(p.stderr ?? "").trim()}`);
  return fs.statSync(out).size;
}

async function es5RamBytes(name: string): Promise<number> {
  const qjs = await openQuickJs(ES5_MEMORY_LIMIT_BYTES, "bench drivers");
  try {
    qjs.evalValue(fs.readFileSync(ES5_BENCH, "utf8"));
    qjs.evalValue("var __h = 0; 0");
    const base = qjs.used();
    qjs.evalValue(`__h = posrtDriversBench.openDriver(${JSON.stringify(name)}); 0`);
    return qjs.used() - base;
  } finally {
    qjs.dispose();
  }
}

function luaRamBytes(name: string): number {
  // two full collections each time: one alone leaves garbage of the bundle's loading behind
  const script = `local b = dofile(${JSON.stringify(LUA_BENCH)}) local h = false
collectgarbage("collect") collectgarbage("collect") local e = collectgarbage("count")
h = b.openDriver(${JSON.stringify(name)}) collectgarbage("collect") collectgarbage("collect")
io.stdout:write(string.format("RAM_KB %.4f\\n", collectgarbage("count") - e))`;
  const p = spawnLua(["-e", script]);
  const m = /RAM_KB (-?[0-9.]+)/.exec(p.stdout ?? "");
  if (p.status !== 0 || m === null) throw new Error(`bench drivers: ${LUA.name} could not open ${name}: ${(p.stdout ?? "") + (p.stderr ?? "")}`);
  return Math.round(Number(m[1]) * 1024);
}

/** ESPRUINO_BIN, else the host build beside the checkout (../shared or, from a worktree, ../../shared). */
function espruinoBin(): string | undefined {
  if (process.env.ESPRUINO_BIN !== undefined) return fs.existsSync(process.env.ESPRUINO_BIN) ? process.env.ESPRUINO_BIN : undefined;
  for (const up of [[".."], ["..", ".."]]) {
    const c = path.join(ROOT, ...up, "shared", "tools", "espruino", "espruino-host-big");
    if (fs.existsSync(c)) return c;
  }
  return undefined;
}

/** JsVars of the opened driver on the real interpreter (minified bundle, as on a device). */
function espruinoRamVars(bin: string, minified: string, name: string, tmp: string): number {
  const file = path.join(tmp, `espruino-${name}.js`);
  fs.writeFileSync(file, minified + `\nvar __h = 0; var __u0 = process.memory().usage;\n__h = posrtDriversBench.openDriver(${JSON.stringify(name)});\nconsole.log("VARS " + (process.memory().usage - __u0));\nquit();\n`);
  const p = spawnSync("timeout", ["20", bin, file], { encoding: "utf8", cwd: tmp, input: "" });
  const m = /VARS (-?[0-9]+)/.exec(p.stdout ?? "");
  if (m === null) throw new Error(`bench drivers: Espruino could not open ${name}: ${(p.stdout ?? "").slice(-400)}`);
  return Number(m[1]);
}

export const driversBench: BenchArea = {
  name: "driver",
  async run() {
    need(ES5_BENCH);
    need(LUA_BENCH);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-drivers-bench-"));
    const out: { [key: string]: number } = {};
    try {
      const luaBundle = fs.readFileSync(LUA_BENCH, "utf8");
      const bin = espruinoBin();
      const minified = bin === undefined ? "" : espruinoMinify(fs.readFileSync(ES5_BENCH, "utf8"), tmp, "bundle");
      if (bin === undefined) process.stderr.write("bench drivers: no Espruino interpreter (ESPRUINO_BIN): driver.*.espruino_ram_vars not measured\n");
      for (const d of DRIVER_MODULES) {
        out[`driver.${d.name}.es5_code_bytes`] = es5CodeBytes(d.modules, tmp, d.name);
        out[`driver.${d.name}.lua_code_bytes`] = luaCodeBytes(d.modules, luaBundle, tmp, d.name);
        out[`driver.${d.name}.es5_ram_bytes`] = await es5RamBytes(d.name);
        out[`driver.${d.name}.lua_ram_bytes`] = luaRamBytes(d.name);
        if (bin !== undefined) out[`driver.${d.name}.espruino_ram_vars`] = espruinoRamVars(bin, minified, d.name, tmp);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return out;
  },
};
