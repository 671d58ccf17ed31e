import { BenchArea } from "./area";
import { DAY_RECONCILE, FULL_DAY, fullDayScript } from "../device/full-day";
import { ESPRUINO_FIT_VARS, espruinoBinary, NO_ESPRUINO } from "../device/espruino-bin";
import { luaHost } from "../device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../device/lua-session";
import { runDeviceScript } from "../device/run";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Percent of the journal's flash the earlier days fill before the day (issue 9's day). */
const DAY_PREFILL_PERCENT = 90;

/**
 * The full day of issue 9 (cli/device/full-day.ts, examples/device/full-day.posrt: 100 sales from
 * a journal pre-filled to 90 %, a power cut mid-sale with the reversal at the next boot, a void, a
 * lookup, a refund of an earlier day's sale, settlement with batch upload) on the real
 * interpreters: the Lua host under the 160 KB NodeMCU cap, and Espruino's ESP32 build run as a
 * build of ESPRUINO_FIT_VARS variables (75 %, the fit goal; the rest held at power-on), so
 * `device.espruino_vars_total` is the variables the firmware had (12,287 of the build's 16,383).
 * About ten minutes on the host interpreter; `posrt bench --only device` skips it.
 */
export const deviceDayBench: BenchArea = {
  name: "device-day",
  async run() {
    const out: { [key: string]: number } = {};
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-bench-day-"));
    try {
      const script = path.join(dir, "day.posrt");
      fs.writeFileSync(script, fullDayScript(FULL_DAY));
      const h = luaHost();
      if (h.bin === undefined) throw new Error("bench device-day: " + h.error);
      const lua = await runDeviceScript({ target: "lua", interpreter: h.bin, script, prefill_percent: DAY_PREFILL_PERCENT, reconcile: DAY_RECONCILE, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
      if (!lua.ok) console.error(`bench device-day: the Lua day failed at line ${lua.line}: ${lua.error}`);
      out["device.full_day_lua_completed_under_160k_cap"] = lua.ok ? 1 : 0;
      out["device.lua_heap_peak_bytes"] = lua.lua!.heap_peak_bytes;
      out["device.lua_data_heap_bytes"] = lua.lua!.data_heap_bytes;
      const bin = espruinoBinary("16383");
      if (bin === undefined) throw new Error("bench device-day: " + NO_ESPRUINO);
      const esp = await runDeviceScript({ target: "espruino", interpreter: bin, script, prefill_percent: DAY_PREFILL_PERCENT, reconcile: DAY_RECONCILE, var_cap: ESPRUINO_FIT_VARS });
      if (!esp.ok) console.error(`bench device-day: the Espruino day on ${ESPRUINO_FIT_VARS} variables failed at line ${esp.line}: ${esp.error}`);
      const m = esp.espruino!;
      out[`device.full_day_espruino_completed_on_${ESPRUINO_FIT_VARS}_vars`] = esp.ok ? 1 : 0;
      out["device.full_day_espruino_books_agree"] = esp.acquirer.last_settlement !== undefined && esp.acquirer.last_settlement.balanced && esp.acquirer.stans_reused === 0 ? 1 : 0;
      out["device.espruino_boot_vars"] = m.boot_vars;
      out["device.espruino_vars_peak"] = m.peak_vars;
      out["device.espruino_vars_peak_live"] = m.peak_live_vars;
      out["device.espruino_vars_total"] = m.total_vars;
      out["device.full_day_espruino_wall_s"] = Math.round(esp.timing!.wall_ms / 1000);
      return out;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
