-- Runs conformance vector files in Lua 5.3 against the Lua bundle.
-- usage: lua5.3 host.lua BUNDLE FILE...   prints PASS/FAIL lines, then PEAK_KB.
local bundle = assert(arg[1], "usage: host.lua BUNDLE FILE...")
local conf = dofile(bundle)
local peak = collectgarbage("count")
local function sample()
  local kb = collectgarbage("count")
  if kb > peak then peak = kb end
end
for i = 2, #arg do
  local f = assert(io.open(arg[i], "rb"))
  local text = f:read("a")
  f:close()
  local ok, n = pcall(conf.openVectors, text)
  if not ok then
    local msg = type(n) == "table" and n.message or tostring(n)
    print("FAIL " .. arg[i] .. ": cannot load: " .. tostring(msg))
  else
    text = nil
    for c = 0, n - 1 do
      local okRun, why = pcall(conf.runCase, c)
      sample()
      local name = conf.caseName(c)
      if not okRun then
        print("FAIL " .. name .. ": runner crashed: " .. tostring(why))
      elseif why == "" then
        print("PASS " .. name)
      else
        print("FAIL " .. name .. ": " .. why)
      end
    end
    conf.closeVectors()
  end
end
print(string.format("PEAK_KB %.1f", peak))
