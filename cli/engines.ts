// The interpreters the tests and tools spawn, found once: the system `lua5.3` and `duk` when they
// are on the PATH, otherwise stand-ins that need nothing but Node:
// - Lua: the real Lua 5.3.6 C interpreter compiled to WebAssembly (scripts/lua53-wasm.js,
//   same command line as lua5.3);
// - strict ES5: QuickJS (scripts/es5-quickjs.js, same command line as duk). QuickJS also knows
//   ES2015+, so on that path the "ES5 only" guarantee comes from the ES5 syntax and globals check
//   (cli/portable/es5.ts) alone; tests name the engine that ran.
// POSRT_LUA / POSRT_DUK name another binary, or "wasm" / "quickjs" to force the stand-in.
import * as fs from "fs";
import * as path from "path";
import { spawnSync, SpawnSyncOptionsWithStringEncoding, SpawnSyncReturns } from "child_process";
import { ROOT } from "./paths";

export interface Engine {
  /** What ran, for messages and test names: "lua5.3", "Lua 5.3 (WebAssembly)", "duk", "QuickJS". */
  name: string;
  /** True for the system interpreter, false for the Node stand-in. */
  system: boolean;
  cmd: string;
  /** Arguments before the caller's (the stand-in's script). */
  pre: string[];
}

/** The full path of an executable on the PATH, or undefined. */
export function onPath(name: string, envPath = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === "") continue;
    const full = path.join(dir, name);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      if (fs.statSync(full).isFile()) return full;
    } catch {
      // not here
    }
  }
  return undefined;
}

const LUA_WASM: Engine = { name: "Lua 5.3 (WebAssembly)", system: false, cmd: process.execPath, pre: [path.join(ROOT, "scripts", "lua53-wasm.js")] };
const ES5_QUICKJS: Engine = { name: "QuickJS", system: false, cmd: process.execPath, pre: [path.join(ROOT, "scripts", "es5-quickjs.js")] };

function pick(envVar: string, binary: string, standIn: Engine, standInKey: string): Engine {
  const forced = process.env[envVar];
  if (forced === standInKey) return standIn;
  if (forced !== undefined && forced !== "") return { name: path.basename(forced), system: true, cmd: forced, pre: [] };
  return onPath(binary) !== undefined ? { name: binary, system: true, cmd: binary, pre: [] } : standIn;
}

/** Lua 5.3: `lua5.3` on the PATH, else the WebAssembly build. */
export const LUA: Engine = pick("POSRT_LUA", "lua5.3", LUA_WASM, "wasm");
/** A strict ES5 engine: `duk` on the PATH, else QuickJS. */
export const ES5: Engine = pick("POSRT_DUK", "duk", ES5_QUICKJS, "quickjs");

/** Runs `engine` with `args` like spawnSync (utf8 output, large buffer). */
export function spawnEngine(engine: Engine, args: string[], opts: Partial<SpawnSyncOptionsWithStringEncoding> = {}): SpawnSyncReturns<string> {
  return spawnSync(engine.cmd, [...engine.pre, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...opts });
}

/** Runs Lua 5.3 (see LUA) with lua5.3's command line. */
export function spawnLua(args: string[], opts: Partial<SpawnSyncOptionsWithStringEncoding> = {}): SpawnSyncReturns<string> {
  return spawnEngine(LUA, args, opts);
}
