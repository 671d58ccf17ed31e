// The interpreters behind the tests (cli/engines.ts): system lua5.3/duk when installed, else the
// Node stand-ins (Lua 5.3 in WebAssembly, QuickJS). Checks that the stand-ins behave like the
// tools they replace, and that nothing spawns lua5.3, luac5.3 or duk around cli/engines.ts
// (which is what makes `.ci/run`'s second pass, without them, the whole fresh-machine path).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { LUA, ES5, onPath } from "../../cli/engines";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const LUA_WASM = path.join(ROOT, "scripts", "lua53-wasm.js");
const ES5_QUICKJS = path.join(ROOT, "scripts", "es5-quickjs.js");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-engines-"));

const SCRIPT = `
local path = arg[1]
local f = assert(io.open(path, "rb")) local text = f:read("a") f:close()
print("bytes", #text, "first line", text:match("^[^\\n]*"))
local o = assert(io.open(path .. ".copy", "wb")) o:write(text, "\\0\\255") o:close()
local m = dofile(arg[2])
print("module", m.answer, 7 // 2, 7 / 1, math.maxinteger, 0xffffffff + 1, _VERSION)
print(select("#", io.open(path .. ".none")))
io.write("no newline")
os.exit(tonumber(arg[3]))
`;

function runBoth(cmd: string, pre: string[]): { out: string; code: number | null; copy: Buffer } {
  const script = path.join(TMP, "s.lua");
  const data = path.join(TMP, "data.txt");
  const mod = path.join(TMP, "mod.lua");
  fs.writeFileSync(script, SCRIPT);
  fs.writeFileSync(data, "line one\nline two é\n");
  fs.writeFileSync(mod, "return { answer = 42 }");
  fs.rmSync(data + ".copy", { force: true });
  const p = spawnSync(cmd, [...pre, script, data, mod, "3"], { encoding: "utf8" });
  return { out: p.stdout, code: p.status, copy: fs.readFileSync(data + ".copy") };
}

test("WebAssembly Lua: arg, io.open read/write (binary), dofile, integer/float rules, os.exit code", () => {
  const w = runBoth(process.execPath, [LUA_WASM]);
  assert.is(w.code, 3);
  assert.is(w.out, [
    "bytes\t21\tfirst line\tline one",
    "module\t42\t3\t7.0\t9223372036854775807\t4294967296\tLua 5.3",
    "3",
    "no newline",
  ].join("\n"));
  assert.equal([...w.copy.subarray(-2)], [0, 255]);
  if (onPath("lua5.3") !== undefined) {
    const s = runBoth("lua5.3", []);
    assert.is(w.out, s.out, "same output as lua5.3");
    assert.is(s.code, 3);
    assert.equal(w.copy, s.copy);
  }
});

test("WebAssembly Lua: -e chunks run in order; an error exits 1 with lua's message on stderr", () => {
  const ok = spawnSync(process.execPath, [LUA_WASM, "-e", "x = 6", "-e", "print(x * 7)"], { encoding: "utf8" });
  assert.is(ok.stdout, "42\n");
  assert.is(ok.status, 0);
  const bad = spawnSync(process.execPath, [LUA_WASM, "-e", "error('boom')"], { encoding: "utf8" });
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /^lua: \(command line\):1: boom/);
});

test("WebAssembly luac: stripped bytecode that the same Lua loads", () => {
  const src = path.join(TMP, "b.lua");
  const out = path.join(TMP, "b.luac");
  fs.writeFileSync(src, "local t = {} for i = 1, 3 do t[i] = i * i end print(table.concat(t, ','))");
  const c = spawnSync(process.execPath, [LUA_WASM, "--luac", "-s", "-o", out, src], { encoding: "utf8" });
  assert.is(c.status, 0, c.stderr);
  assert.equal([...fs.readFileSync(out).subarray(0, 5)], [0x1b, 0x4c, 0x75, 0x61, 0x53]);
  assert.is(spawnSync(process.execPath, [LUA_WASM, out], { encoding: "utf8" }).stdout, "1,4,9\n");
});

test("QuickJS stand-in for duk: print, and an uncaught error exits 1", () => {
  const file = path.join(TMP, "a.js");
  fs.writeFileSync(file, "var a = [1, 2]; print('sum', a[0] + a[1]);");
  const ok = spawnSync(process.execPath, [ES5_QUICKJS, file], { encoding: "utf8" });
  assert.is(ok.stdout, "sum 3\n");
  assert.is(ok.status, 0);
  fs.writeFileSync(file, "print('before'); null.x;");
  const bad = spawnSync(process.execPath, [ES5_QUICKJS, file], { encoding: "utf8" });
  assert.is(bad.status, 1);
  assert.is(bad.stdout, "before\n");
  assert.match(bad.stderr, /TypeError/);
});

test("the engines in use are named, and are the system tools exactly when those are on the PATH", () => {
  assert.is(LUA.system, process.env.POSRT_LUA !== undefined ? process.env.POSRT_LUA !== "wasm" : onPath("lua5.3") !== undefined);
  assert.is(ES5.system, process.env.POSRT_DUK !== undefined ? process.env.POSRT_DUK !== "quickjs" : onPath("duk") !== undefined);
  assert.ok(LUA.name.length > 0 && ES5.name.length > 0);
});

/** Source files that could spawn an interpreter. */
function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "dist") sources(rel, out);
    } else if (/\.(ts|js)$/.test(e.name)) out.push(rel);
  }
  return out;
}

test("nothing spawns lua5.3, luac5.3 or duk except through cli/engines.ts (and the build's luac step)", () => {
  const allowed = ["cli/engines.ts", "scripts/build.js", "scripts/lua53-wasm.js", "test/unit/engines.test.ts"];
  const direct = /\b(spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*(["'`](lua5\.3|luac5\.3|duk)\b|LUA_BIN\b)/;
  const offenders = [...sources("cli"), ...sources("test"), ...sources("scripts"), ...sources("bin")]
    .filter((f) => !allowed.includes(f.split(path.sep).join("/")))
    .filter((f) => direct.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
  assert.equal(offenders, []);
});

test.after(() => fs.rmSync(TMP, { recursive: true, force: true }));

test.run();
