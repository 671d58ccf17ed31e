import * as path from "path";

/** Repository root (build/node/cli/.. /.. /..). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const DIST = path.join(ROOT, "firmware", "dist");
export const ES5_CONFORMANCE_BUNDLE = path.join(DIST, "es5", "posrt-conformance.js");
export const LUA_CONFORMANCE_BUNDLE = path.join(DIST, "nodemcu", "posrt-conformance.lua");
export const LUA_HOST = path.join(ROOT, "firmware", "conformance", "host.lua");
export const VECTORS_DIR = path.join(ROOT, "test", "vectors");
/** @deprecated spawn Lua through cli/engines.ts (spawnLua), which falls back to WebAssembly Lua. */
export const LUA_BIN = process.env.POSRT_LUA ?? "lua5.3";
