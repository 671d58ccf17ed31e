#!/usr/bin/env node
// Lua 5.3 without a system Lua: the real Lua 5.3.6 C interpreter compiled to WebAssembly
// (lua-wasm-bindings, the one typescript-to-lua's own tests use), behind the command line of
// the system tools, so callers spawn it exactly like them:
//   node scripts/lua53-wasm.js [-e STAT]... [SCRIPT [ARGS...]]     like lua5.3
//   node scripts/lua53-wasm.js --luac [-s] -o OUT SRC               like luac5.3 (string.dump)
// The WebAssembly build only has an in-memory file system, so file access goes through a small
// synchronous bridge: the Lua side writes a request to its stderr device and reads the answer
// from its stdin device (both byte callbacks here, binary-safe); io.open, io.lines, dofile and
// loadfile are replaced by versions that use it. Bytecode written by --luac is for this
// interpreter (32-bit size_t): it loads here, not in a 64-bit desktop lua5.3, and the reverse.
"use strict";
const fs = require("fs");
const path = require("path");

const GLUE = path.dirname(require.resolve("lua-wasm-bindings/package.json"));
const REQUEST_MARK = 1; // a request starts with byte 0x01, then "POSRT op pathLen dataLen\n"

/** Quotes any byte string as a Lua literal made of ASCII only (decimal escapes). */
function luaQuote(buf) {
  let s = '"';
  for (const b of buf) s += (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 32 ? String.fromCharCode(b) : "\\" + String(b).padStart(3, "0");
  return s + '"';
}

const PRELUDE = `
local stdin, stderr, load, error, tonumber = io.stdin, io.stderr, load, error, tonumber
local function rpc(op, p, data)
  data = data or ""
  stderr:write("\\1POSRT " .. op .. " " .. #p .. " " .. #data .. "\\n", p, data)
  local head = stdin:read("l")
  local n = tonumber(head:match("^OK (%d+)$"))
  if n == nil then return nil, head:sub(5) end
  if n == 0 then return "" end
  return stdin:read(n)
end
local function memfile(text, p, mode)
  local f = { pos = 1, out = {}, closed = false }
  local writing = mode:match("^[wa]") ~= nil
  function f:read(...)
    local fmts = { ... }
    if #fmts == 0 then fmts = { "l" } end
    local res = {}
    for i, fmt in ipairs(fmts) do
      local v
      if type(fmt) == "number" then
        if self.pos > #text and fmt > 0 then v = nil else v = text:sub(self.pos, self.pos + fmt - 1); self.pos = self.pos + #v end
      else
        fmt = fmt:gsub("^%*", "")
        if fmt:sub(1, 1) == "a" then v = text:sub(self.pos); self.pos = #text + 1
        elseif fmt:sub(1, 1) == "n" then
          local s, e = text:find("^%s*[-+]?[%x.xXeEpP]+", self.pos)
          if s then v = tonumber(text:sub(s, e):match("%S+")); self.pos = e + 1 end
        elseif self.pos <= #text then
          local e = text:find("\\n", self.pos, true)
          local keep = fmt:sub(1, 1) == "L"
          if e then v = text:sub(self.pos, keep and e or e - 1); self.pos = e + 1
          else v = text:sub(self.pos); self.pos = #text + 1 end
        end
      end
      res[i] = v
      if v == nil then break end
    end
    return table.unpack(res, 1, #fmts)
  end
  function f:lines(...) local a = { ... } return function() return self:read(table.unpack(a)) end end
  function f:write(...)
    for _, s in ipairs({ ... }) do self.out[#self.out + 1] = tostring(s) end
    return self
  end
  function f:seek(whence, off)
    whence, off = whence or "cur", off or 0
    if whence == "set" then self.pos = off + 1 elseif whence == "end" then self.pos = #text + off + 1 else self.pos = self.pos + off end
    return self.pos - 1
  end
  function f:flush() return self end
  function f:setvbuf() return true end
  function f:close()
    if self.closed then return nil, "file already closed" end
    self.closed = true
    if writing then
      local ok, err = rpc(mode:sub(1, 1) == "a" and "append" or "write", p, table.concat(self.out))
      if ok == nil then return nil, err end
    end
    return true
  end
  return setmetatable(f, { __index = function(_, k) error("file method " .. tostring(k) .. " is not available in the WebAssembly Lua", 2) end, __name = "FILE*" })
end
local real_exit = os.exit
-- C exit() here does not flush stdio first (the runtime stays alive): flush, then exit
os.exit = function(code, close)
  io.stdout:flush()
  return real_exit(code, close)
end
local real_open = io.open
io.open = function(p, mode)
  mode = mode or "r"
  if p:match("^/dev/") then return real_open(p, mode) end
  if mode:match("^[wa]") then return memfile("", p, mode) end
  local text, err = rpc("read", p)
  if text == nil then return nil, p .. ": " .. err, 2 end
  return memfile(text, p, mode)
end
io.lines = function(p, ...)
  if p == nil then return stdin:lines(...) end
  local f = assert(io.open(p, "r"))
  return f:lines(...)
end
loadfile = function(p, mode, env)
  local text, err = rpc("read", p)
  if text == nil then return nil, "cannot open " .. p .. ": " .. err end
  if text:sub(1, 1) == "#" then text = "--" .. text end
  if env == nil then return load(text, "@" .. p, mode or "bt") end
  return load(text, "@" .. p, mode or "bt", env)
end
dofile = function(p)
  local f, err = loadfile(p)
  if f == nil then error(err, 2) end
  return f()
end
`;

/** Builds the chunk that runs the command line like lua.c / luac.c do. */
function driver(argv) {
  const q = (s) => luaQuote(Buffer.from(s, "utf8"));
  const lines = ["local traceback = debug.traceback"];
  const fail = "function(e) io.stdout:flush() io.stderr:write('lua: ' .. traceback(tostring(e), 2) .. '\\n') os.exit(1) end";
  if (argv[0] === "--luac") {
    let strip = false, out = "luac.out";
    const rest = argv.slice(1);
    const srcs = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === "-s") strip = true;
      else if (rest[i] === "-o") out = rest[++i];
      else srcs.push(rest[i]);
    }
    if (srcs.length !== 1) throw new Error("lua53-wasm --luac: one source file, please");
    lines.push(`xpcall(function() local f = assert(loadfile(${q(srcs[0])})) local o = assert(io.open(${q(out)}, "wb")) o:write(string.dump(f, ${strip})) assert(o:close()) end, ${fail})`);
    return lines.join("\n");
  }
  let i = 0;
  const stats = [];
  while (i < argv.length && argv[i].startsWith("-")) {
    if (argv[i] === "-e") stats.push(argv[i + 1] ?? "");
    else if (argv[i] === "--") { i++; break; }
    else if (argv[i] !== "-") throw new Error(`lua53-wasm: option ${argv[i]} is not supported`);
    else break;
    i += 2;
  }
  const script = argv[i];
  const args = script === undefined ? [] : argv.slice(i + 1);
  lines.push(`arg = { [-1] = "lua5.3", [0] = ${script === undefined ? "nil" : q(script)}${args.map((a) => ", " + q(a)).join("")} }`);
  for (const s of stats) lines.push(`xpcall(function() assert(load(${q(s)}, "=(command line)"))() end, ${fail})`);
  if (script !== undefined) lines.push(`xpcall(function() local f = assert(loadfile(${q(script)})) f(table.unpack(arg, 1, #arg)) end, ${fail})`);
  lines.push("io.stdout:flush()");
  return lines.join("\n");
}

/** A growing byte buffer flushed to a file descriptor. */
function sink(fd) {
  let buf = Buffer.alloc(64 * 1024), n = 0;
  const flush = () => {
    let off = 0;
    while (off < n) off += fs.writeSync(fd, buf, off, n - off);
    n = 0;
  };
  const put = (b) => {
    if (n === buf.length) flush();
    buf[n++] = b;
  };
  return { put, flush };
}

function main(argv) {
  const out = sink(1), err = sink(2);
  let answer = Buffer.alloc(0); // bytes waiting on the Lua side's stdin
  let answerPos = 0;
  let req = undefined; // bytes of the request being received
  let want = -1;
  const reply = (ok, data) => {
    const head = Buffer.from(ok ? `OK ${data.length}\n` : `ERR ${data}\n`);
    answer = ok ? Buffer.concat([head, data]) : head;
    answerPos = 0;
  };
  const handle = (bytes) => {
    const nl = bytes.indexOf(10);
    const [, op, pLen] = bytes.subarray(0, nl).toString("latin1").split(" ");
    const p = bytes.subarray(nl + 1, nl + 1 + Number(pLen)).toString("utf8");
    const data = bytes.subarray(nl + 1 + Number(pLen));
    try {
      if (op === "read") reply(true, fs.readFileSync(p));
      else if (op === "write") { fs.writeFileSync(p, data); reply(true, Buffer.alloc(0)); }
      else if (op === "append") { fs.appendFileSync(p, data); reply(true, Buffer.alloc(0)); }
      else reply(false, "unknown request " + op);
    } catch (e) {
      reply(false, e.code === "ENOENT" ? "No such file or directory" : String(e.message));
    }
  };
  const onStderr = (b) => {
    if (req === undefined) {
      if (b === REQUEST_MARK) req = [];
      else err.put(b);
      return;
    }
    req.push(b);
    if (want < 0 && b === 10) {
      const parts = Buffer.from(req).toString("latin1").trim().split(" ");
      want = req.length + Number(parts[2]) + Number(parts[3]);
    }
    if (want >= 0 && req.length === want) {
      const bytes = Buffer.from(req);
      req = undefined;
      want = -1;
      handle(bytes);
    }
  };
  const finish = (code) => {
    out.flush();
    err.flush();
    process.exit(code);
  };
  const glue = require(path.join(GLUE, "dist/glue/glue-lua-5.3.6.js"));
  const factory = require(path.join(GLUE, "dist/binding-factory.js"));
  const Module = glue({
    stdin: () => (answerPos < answer.length ? answer[answerPos++] : null),
    stdout: (b) => out.put(b),
    stderr: onStderr,
    print: (s) => { for (const b of Buffer.from(s + "\n")) out.put(b); },
    printErr: (s) => { for (const b of Buffer.from(s + "\n")) err.put(b); },
    // os.exit(): C exit() flushes the Lua side's stdio into the sinks, then this runs
    quit: (code) => finish(code),
  });
  const lua = factory.createLua(Module, "5.3.6");
  const lauxlib = factory.createLauxLib(Module, lua, "5.3.6");
  const lualib = factory.createLuaLib(Module, "5.3.6");
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  for (const chunk of [PRELUDE, driver(argv)]) {
    if (lauxlib.luaL_dostring(L, chunk) !== 0) {
      const msg = lua.lua_tostring(L, -1);
      for (const b of Buffer.from("lua: " + msg + "\n")) err.put(b);
      finish(1);
    }
  }
  finish(0);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  process.stderr.write("lua53-wasm: " + (e && e.message ? e.message : String(e)) + "\n");
  process.exit(2);
}
