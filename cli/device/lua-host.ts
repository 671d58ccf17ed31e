// The project's own Lua 5.3 host with a heap cap (tools/lua-host/lua-host.c), built on demand
// with gcc against Debian's liblua5.3-dev into build/lua-host/.
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { ROOT } from "../paths";

export const LUA_HOST_SOURCE = path.join(ROOT, "tools", "lua-host", "lua-host.c");
export const LUA_HOST_BIN = path.join(ROOT, "build", "lua-host", "lua-host");
const LUA_INCLUDE = "/usr/include/lua5.3";

/** The host binary, built when missing or older than its source; a string `error` says why not. */
export function luaHost(): { bin?: string; error?: string } {
  if (fs.existsSync(LUA_HOST_BIN) && fs.statSync(LUA_HOST_BIN).mtimeMs >= fs.statSync(LUA_HOST_SOURCE).mtimeMs) return { bin: LUA_HOST_BIN };
  if (!fs.existsSync(path.join(LUA_INCLUDE, "lua.h"))) return { error: `no Lua 5.3 headers in ${LUA_INCLUDE} (apt-get install liblua5.3-dev)` };
  fs.mkdirSync(path.dirname(LUA_HOST_BIN), { recursive: true });
  const p = spawnSync("gcc", ["-O2", "-Wall", "-o", LUA_HOST_BIN, LUA_HOST_SOURCE, "-I" + LUA_INCLUDE, "-llua5.3"], { encoding: "utf8" });
  if (p.error !== undefined) return { error: `cannot run gcc (${p.error.message}); apt-get install gcc` };
  if (p.status !== 0) return { error: `gcc failed: ${p.stderr.trim().split("\n").slice(-3).join(" | ")}` };
  return { bin: LUA_HOST_BIN };
}
