-- Runs conformance vector files in Lua 5.3 against the Lua bundle.
-- usage: lua5.3 host.lua BUNDLE FILE...   prints PASS/FAIL lines, then the heap figures
-- (KB from collectgarbage("count")): EMPTY_KB before the bundle, BUNDLE_KB right after loading
-- it (both after a full collection), PEAK_KB the highest value sampled while the vectors ran.
-- Sampling: after every case and from a count hook every SAMPLE_INSTRUCTIONS VM instructions.
local SAMPLE_INSTRUCTIONS = 1000
local bundle = assert(arg[1], "usage: host.lua BUNDLE FILE...")
collectgarbage("collect")
local empty_kb = collectgarbage("count")
local conf = dofile(bundle)
collectgarbage("collect")
local bundle_kb = collectgarbage("count")
local peak = bundle_kb
local samples = 0
local function sample()
  local kb = collectgarbage("count")
  samples = samples + 1
  if kb > peak then peak = kb end
end
debug.sethook(sample, "", SAMPLE_INSTRUCTIONS)
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
debug.sethook()
print(string.format("EMPTY_KB %.3f", empty_kb))
print(string.format("BUNDLE_KB %.3f", bundle_kb))
print(string.format("SAMPLES %d", samples))
print(string.format("PEAK_KB %.3f", peak))
