import { BenchArea } from "./area";
import { runConsoleDay } from "../device/console-day";
import { espruinoBinary, NO_ESPRUINO } from "../device/espruino-bin";
import { luaHost } from "../device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../device/lua-session";
import { makeSetup } from "../sim/setup";
import { SIM_CONFIG } from "../sim/run";
import { World } from "../sim/world";
import { OP_SALE, OP_SIGNIN, Operation } from "../../src/txn/types";
import { desBlockCount } from "../../src/crypto/des";

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
    const out: { [key: string]: number } = { "device.des_blocks_per_sale": desBlocksPerSale() };
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

/** Sales averaged for device.des_blocks_per_sale (deterministic: the same every run). */
export const DES_BENCH_SALES = 20;

/**
 * DES block operations (single DES = 1, triple DES = 3) the terminal's SecurityModule performs
 * per approved sale (MAC out, MAC in, PAN seal, ...), counted only inside the terminal's
 * security calls (the in-process acquirer uses the same DES code and is not counted).
 */
export function desBlocksPerSale(): number {
  const s = makeSetup(1, SIM_CONFIG);
  let counted = 0;
  const sec = s.terminalSecurity as unknown as Record<string, unknown>;
  const wrapped: Record<string, unknown> = Object.create(sec);
  for (let o = sec; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      const f = sec[k];
      if (k === "constructor" || typeof f !== "function" || wrapped[k] !== f) continue;
      wrapped[k] = (...a: unknown[]) => {
        const b0 = desBlockCount();
        try {
          return (f as (...x: unknown[]) => unknown).apply(sec, a);
        } finally {
          counted += desBlockCount() - b0;
        }
      };
    }
  }
  const w = new World({ seed: 1, faults: "none", config: SIM_CONFIG, codec: s.codec, security: wrapped as unknown as typeof s.terminalSecurity, acquirer: s.acquirer, store: s.store, trace: false });
  w.step(saleOp(OP_SIGNIN, 0));
  counted = 0;
  let approved = 0;
  for (let i = 0; i < DES_BENCH_SALES; i++) {
    w.step(saleOp(OP_SALE, 1000 + i * 100));
    if (w.results[w.results.length - 1].ok) approved++;
  }
  if (approved !== DES_BENCH_SALES) throw new Error(`bench device: only ${approved} of ${DES_BENCH_SALES} sales approved: ${JSON.stringify(w.results[w.results.length - 1])}`);
  return counted / approved;
}

/** The device's sale: the TEST card swiped, no PIN (firmware/device/terminal.ts TEST_CARD). */
function saleOp(kind: number, amount_minor: number): Operation {
  const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };
  return { op: kind, amount_minor, card, origStan: 0, password: "", origRrn: "", origDate: "" };
}
