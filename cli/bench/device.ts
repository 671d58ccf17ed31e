import { BenchArea } from "./area";
import { runConsoleDay } from "../device/console-day";
import { espruinoBinary, NO_ESPRUINO } from "../device/espruino-bin";
import { luaHost } from "../device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../device/lua-session";

/** Sales in the benchmark's console day (real time on the Espruino interpreter). */
export const BENCH_DAY_SALES = 20;

/**
 * The console day (cli/device/console-day.ts: boot, sign-in, BENCH_DAY_SALES sales, a power cut
 * after a sale's request left, reboot with the reversal pending, sign-in, a sale that sends the
 * reversal first, settlement) on the real interpreters. Not the full day of issue 9 (no void,
 * refund, lookup, no pre-filled journal): the console has no such calls until the app boots on
 * the device. Espruino: ESP32 build (16,383 variables), firmware from Storage; variables sampled
 * every 10 ms and after every console call (process.memory(false): garbage not yet freed counts).
 * Lua: stripped bytecode under tools/lua-host, 160 KB cap on the heap beyond the loaded code.
 */
export const deviceBench: BenchArea = {
  name: "device",
  async run() {
    const out: { [key: string]: number } = {};
    const h = luaHost();
    if (h.bin === undefined) throw new Error("bench device: " + h.error);
    const lua = await runConsoleDay({ target: "lua", bin: h.bin, sales: BENCH_DAY_SALES, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
    if (!lua.ok) throw new Error("bench device: the Lua console day failed: " + lua.problems.join("; "));
    out["device.lua_code_heap_bytes"] = lua.lua!.code_bytes;
    out["device.lua_console_day_heap_peak_bytes"] = lua.lua!.peak_bytes;
    out["device.lua_console_day_data_heap_bytes"] = lua.lua!.data_bytes;
    const bin = espruinoBinary("16383");
    if (bin === undefined) throw new Error("bench device: " + NO_ESPRUINO);
    const esp = await runConsoleDay({ target: "espruino", bin, sales: BENCH_DAY_SALES });
    if (!esp.ok) throw new Error("bench device: the Espruino console day failed: " + esp.problems.join("; "));
    out["device.espruino_boot_vars"] = esp.espruino!.boot_vars;
    out["device.espruino_console_day_vars_peak"] = esp.espruino!.peak_vars;
    out["device.espruino_vars_total"] = esp.espruino!.total_vars;
    return out;
  },
};
