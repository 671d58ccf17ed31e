-- NodeMCU (ESP32) modules on a desktop, for running the device firmware under tools/lua-host
-- (Lua 5.3 with a heap cap): node.uptime and tmr timers on a virtual clock, net sockets whose
-- sends go over real TCP to the acquirer (host.exchange, 127.0.0.1 only), and the `file`
-- module on real files in the current folder (a killed process keeps them: a power cut).
--   lua-host [--cap BYTES] host-device.lua FIRMWARE [DATA_CAP_BYTES]
-- DATA_CAP_BYTES: once the code is loaded the cap becomes heap-after-code + DATA_CAP_BYTES, the
-- heap a build whose code sits in NodeMCU's Lua Flash Store has for its data.
-- Then reads console lines "N<TAB>lua expression" from stdin and answers "@@N json". Extra
-- commands: __run(ms) lets virtual time pass; __mem() gives {used, peak, code}.
local MAX_EVENTS = 100000
local now_us = 0
local queue, next_id = {}, 1

local function schedule(fn, ms)
  local id = next_id
  next_id = next_id + 1
  queue[#queue + 1] = { id = id, t = now_us + math.max(ms, 0) * 1000, fn = fn }
  return id
end

local function cancel(id)
  for i = 1, #queue do
    if queue[i].id == id then table.remove(queue, i) return end
  end
end

local urandom = io.open("/dev/urandom", "rb")
node = {
  uptime = function() return now_us end,
  -- the chip's id and its hardware random number generator, as NodeMCU firmware has them
  chipid = function() return "lua-host-1" end,
  random = function(lo, hi) return lo + urandom:read(1):byte() % (hi - lo + 1) end,
}

local timer_mt = { __index = {
  alarm = function(self, ms, mode, fn)
    if self.ev then cancel(self.ev) end
    local function fire()
      if mode == tmr.ALARM_AUTO then self.ev = schedule(fire, ms) else self.ev = nil end
      fn(self)
    end
    self.ev = schedule(fire, ms)
    return true
  end,
  stop = function(self) if self.ev then cancel(self.ev) self.ev = nil end return true end,
  unregister = function(self) if self.ev then cancel(self.ev) self.ev = nil end end,
} }
tmr = { ALARM_SINGLE = 0, ALARM_SEMI = 1, ALARM_AUTO = 2, create = function() return setmetatable({}, timer_mt) end }

local socket_mt = { __index = {
  on = function(self, ev, fn) self.h[ev] = fn end,
  connect = function(self, port, ip)
    if ip ~= "127.0.0.1" then error("host-device: only 127.0.0.1 is reachable here, not " .. tostring(ip)) end
    self.port, self.ip = port, ip
    schedule(function() if self.h.connection then self.h.connection(self) end end, 1)
  end,
  -- sends are gathered until a whole frame (2-byte length + body) is there, then exchanged
  send = function(self, data)
    schedule(function() if self.h.sent then self.h.sent(self) end end, 1)
    self.out = (self.out or "") .. data
    if #self.out < 2 then return end
    local n = self.out:byte(1) * 256 + self.out:byte(2)
    if #self.out < 2 + n then return end
    local frame = self.out:sub(1, 2 + n)
    self.out = self.out:sub(3 + n)
    local reply = host.exchange(self.ip, self.port, frame, 5000)
    if reply ~= nil then schedule(function() if self.h.receive then self.h.receive(self, reply) end end, 5) end
  end,
  close = function(self) end,
} }
net = { TCP = 1, createConnection = function() return setmetatable({ h = {} }, socket_mt) end }

local fd_mt = { __index = {
  seek = function(self, whence, off) return self.f:seek(whence == "set" and "set" or whence == "end" and "end" or "cur", off or 0) end,
  read = function(self, n) return self.f:read(n) end,
  write = function(self, s) return self.f:write(s) ~= nil end,
  flush = function(self) self.f:flush() end,
  close = function(self) self.f:close() end,
} }
file = {
  exists = function(name) local f = io.open(name, "rb") if f then f:close() return true end return false end,
  open = function(name, mode)
    local m = (mode == "w" or mode == "w+") and "w+b" or (mode == "r+" and "r+b") or "rb"
    local f = io.open(name, m)
    if f == nil then return nil end
    return setmetatable({ f = f }, fd_mt)
  end,
  remove = function(name) os.remove(name) end,
  rename = function(from, to) return os.rename(from, to) ~= nil end,
}

function __run(ms)
  local stop = now_us + ms * 1000
  for _ = 1, MAX_EVENTS do
    local first = nil
    for i = 1, #queue do
      if first == nil or queue[i].t < queue[first].t then first = i end
    end
    if first == nil or queue[first].t > stop then break end
    local ev = table.remove(queue, first)
    now_us = ev.t
    ev.fn()
  end
  now_us = stop
  return true
end

local function json(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" or t == "number" then return tostring(v) end
  if t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  end
  local parts = {}
  for i = 1, #v do parts[i] = json(v[i]) end
  return "[" .. table.concat(parts, ",") .. "]"
end

local code_bytes, live_peak = 0, 0
-- heap now, allocator peak (garbage included), heap after code, highest live heap (after a
-- full collection at the end of every console command)
function __mem() return { host.used(), host.peak(), code_bytes, live_peak } end

collectgarbage("collect")
dofile(assert(arg[1], "usage: host-device.lua FIRMWARE"))
collectgarbage("collect")
code_bytes = host.used()
if arg[2] ~= nil then host.set_cap(code_bytes + math.tointeger(tonumber(arg[2]))) end
host.reset_peak()
print("@@BOOT " .. code_bytes)
while true do
  local line = host.readline()
  if line == nil then break end
  local tab = line:find("\t", 1, true)
  if tab ~= nil then
    local n, code = line:sub(1, tab - 1), line:sub(tab + 1)
    local fn, err = load("return " .. code, "console")
    local ok, val
    if fn == nil then ok, val = false, err else ok, val = pcall(fn) end
    if ok then print("@@" .. n .. " " .. json(val))
    else print("@@" .. n .. " " .. json({ "ERROR", type(val) == "table" and tostring(val.message) or tostring(val) })) end
    collectgarbage("collect")
    if host.used() > live_peak then live_peak = host.used() end
  end
end
