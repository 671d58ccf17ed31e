import { BenchArea } from "./area";
import { runConsoleDay } from "../device/console-day";
import { ESPRUINO_FIT_VARS, espruinoBinary, NO_ESPRUINO } from "../device/espruino-bin";
import { luaHost } from "../device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../device/lua-session";
import { makeSetup } from "../sim/setup";
import { SIM_CONFIG } from "../sim/run";
import { World } from "../sim/world";
import { OP_SALE, OP_SIGNIN, Operation } from "../../src/txn/types";
import { desBlockCount } from "../../src/crypto/des";
import { toHex } from "../../src/bytes/index";
import { Bytes } from "../../src/bytes/types";
import { SaleCryptoInput, saleCryptoMs } from "../../firmware/espruino/crypto-bench";
import { ROOT } from "../paths";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { performance } from "perf_hooks";

/** Sales in the benchmark's console day (real time on the Espruino interpreter). */
export const BENCH_DAY_SALES = 20;

/**
 * The console day (cli/device/console-day.ts: boot, sign-in, BENCH_DAY_SALES sales, a power cut
 * after a sale's request left, reboot with the reversal pending, sign-in, a sale that sends the
 * reversal first, settlement) on the real interpreters; its keys are named `device.console_day_*`
 * (the full day of issue 9 is the device-day area, cli/bench/device-day.ts).
 * Espruino: ESP32 build (16,383 variables), firmware from Storage; variables sampled every
 * 10 ms and after every console call (process.memory(false): garbage not yet freed counts).
 * Lua: stripped bytecode under tools/lua-host, 160 KB cap on the heap beyond the loaded code.
 * The Espruino day runs again as on a build of ESPRUINO_FIT_VARS variables (the rest held at
 * power-on): completing it shows the fit goal directly, whatever the sampled peak counts.
 * Then a sale's crypto timed on the ESP32 build of the interpreter and in Node, in this run.
 */
export const deviceBench: BenchArea = {
  name: "device",
  async run() {
    const sale = saleCryptoRun();
    const out: { [key: string]: number } = { "device.des_blocks_per_sale": sale.blocks };
    const h = luaHost();
    if (h.bin === undefined) throw new Error("bench device: " + h.error);
    const lua = await runConsoleDay({ target: "lua", bin: h.bin, sales: BENCH_DAY_SALES, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
    if (!lua.ok) throw new Error("bench device: the Lua console day failed: " + lua.problems.join("; "));
    out["device.console_day_lua_code_heap_bytes"] = lua.lua!.code_bytes;
    out["device.console_day_lua_heap_peak_bytes"] = lua.lua!.peak_bytes;
    out["device.console_day_lua_data_heap_bytes"] = lua.lua!.data_bytes;
    const bin = espruinoBinary("16383");
    if (bin === undefined) throw new Error("bench device: " + NO_ESPRUINO);
    const esp = await runConsoleDay({ target: "espruino", bin, sales: BENCH_DAY_SALES });
    // a day that fails (e.g. out of variables) is a result, not a crash of the bench: the keys
    // below are then measured up to the failure, and the failure is printed
    out["device.espruino_console_day_completed"] = esp.ok ? 1 : 0;
    out["device.espruino_console_day_sales_approved"] = esp.sales_approved;
    if (!esp.ok) console.error("bench device: the Espruino console day failed: " + esp.problems.join("; "));
    if (esp.espruino === undefined) throw new Error("bench device: the Espruino console day measured nothing: " + esp.problems.join("; "));
    out["device.console_day_espruino_boot_vars"] = esp.espruino!.boot_vars;
    out["device.console_day_espruino_vars_peak"] = esp.espruino!.peak_vars;
    out["device.console_day_espruino_vars_peak_live"] = esp.espruino!.peak_live_vars;
    out["device.console_day_espruino_vars_total"] = esp.espruino!.total_vars;
    // the fit goal directly: the same day on only 75 % of the variables (the rest held at power-on)
    const fit = await runConsoleDay({ target: "espruino", bin, sales: BENCH_DAY_SALES, var_cap: ESPRUINO_FIT_VARS });
    if (!fit.ok) console.error(`bench device: the Espruino console day on ${ESPRUINO_FIT_VARS} variables failed: ` + fit.problems.join("; "));
    out[`device.espruino_console_day_completed_on_${ESPRUINO_FIT_VARS}_vars`] = fit.ok ? 1 : 0;
    const e = espruinoSaleCryptoMs(bin, sale.input);
    const nodeMs = saleCryptoMs(sale.input, NODE_CRYPTO_SALES, () => performance.now());
    out["device.espruino_sale_crypto_ms"] = round2(e.crypto_ms);
    out["device.node_sale_crypto_ms"] = round4(nodeMs);
    out["device.espruino_over_node_crypto_ratio"] = Math.round(e.crypto_ms / nodeMs);
    const picoOverHost = (PICO_LEIBNIZ_MS_PER_ITERATION * LEIBNIZ_ITERATIONS) / e.leibniz_ms;
    out["device.espruino_leibniz_100k_ms"] = Math.round(e.leibniz_ms);
    out["device.esp32_over_host_factor"] = round2(picoOverHost / ESP32_OVER_PICO_SPEED);
    out["device.esp32_sale_crypto_ms_projected"] = Math.round((e.crypto_ms * picoOverHost) / ESP32_OVER_PICO_SPEED);
    return out;
  },
};

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Sales timed in Node (fast: many, for a stable mean) and on the Espruino interpreter. */
export const NODE_CRYPTO_SALES = 500;
export const ESPRUINO_CRYPTO_SALES = 5;
/** Longest the Espruino crypto run may take. */
export const ESPRUINO_CRYPTO_TIMEOUT_MS = 120000;

/**
 * Projection to an ESP32, from public measurements (docs/device.md, "Speed"): the Espruino forum
 * thread "Float Speed: Espruino Pico vs Pyboard" (forum.espruino.com, December 2017) times the
 * Leibniz loop below, 1,000,000 iterations, at 458 s on an Espruino Pico (STM32F401, 84 MHz).
 * The bench runs the same loop (LEIBNIZ_ITERATIONS of it) on the host build right after the
 * crypto, so machine load inflates both alike: host→Pico factor = Pico time / host time. Pico
 * →ESP32: the published MicroPython board table (scruss.com, 2025: pyboard STM32F405 @ 168 MHz
 * 13.0 s, ESP32 @ 160 MHz 15.4 s, same interpreter on both) puts an ESP32 at 240 MHz about 2.5
 * times ahead of an STM32F401 at 84 MHz. An estimate, not a measurement on a board.
 */
export const LEIBNIZ_ITERATIONS = 100000;
export const PICO_LEIBNIZ_MS_PER_ITERATION = 458000 / 1000000;
export const ESP32_OVER_PICO_SPEED = 2.5;

/** The firmware's crypto bench bundle (scripts/build.js es5). */
export const CRYPTO_BENCH_FILE = path.join(ROOT, "firmware", "dist", "espruino", "crypto-bench.js");

/** The Leibniz loop of the forum measurement, timed in ms on the interpreter (global `__leibnizMs`). */
const LEIBNIZ = `var __t0 = getTime(), x = 1, pi = 1; for (var i = 2; i < ${LEIBNIZ_ITERATIONS} + 2; i++) { x = x * -1; pi = pi + (x / (2*i-1)); } var __leibnizMs = (getTime() - __t0) * 1000;`;

/**
 * Milliseconds of one sale's crypto on the real interpreter `bin` (code loaded as source), and
 * of the Leibniz calibration loop in the same process.
 */
export function espruinoSaleCryptoMs(bin: string, input: SaleCryptoInput): { crypto_ms: number; leibniz_ms: number } {
  if (!fs.existsSync(CRYPTO_BENCH_FILE)) throw new Error(`bench device: ${CRYPTO_BENCH_FILE} missing (node scripts/build.js es5)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-crypto-"));
  try {
    const script = path.join(dir, "bench.js");
    fs.writeFileSync(script, fs.readFileSync(CRYPTO_BENCH_FILE, "utf8") +
      `\nvar __r; try { __r = "" + posrtCryptoBench.saleCryptoMs(${JSON.stringify(input)}, ${ESPRUINO_CRYPTO_SALES}, function () { return getTime() * 1000; }); } catch (e) { __r = "ERROR " + (e && e.message ? e.message : e); }\n` +
      `${LEIBNIZ}\nprint("@@CRYPTO " + __r + " " + __leibnizMs);\nquit();\n`);
    const p = spawnSync(bin, [script], { cwd: dir, input: "", encoding: "utf8", timeout: ESPRUINO_CRYPTO_TIMEOUT_MS });
    const m = /@@CRYPTO (.*)/.exec(p.stdout ?? "");
    if (m === null || m[1].startsWith("ERROR")) throw new Error("bench device: the sale's crypto on Espruino failed: " + (m === null ? (p.stdout + p.stderr).trim().split("\n").slice(-3).join(" | ") : m[1]));
    const v = m[1].split(" ");
    return { crypto_ms: Number(v[0]), leibniz_ms: Number(v[1]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Sales averaged for device.des_blocks_per_sale (deterministic: the same every run). */
export const DES_BENCH_SALES = 20;

/** A PIN for the timed sale's PIN block (the TEST debit card's; the device's own TEST sale has none). */
const BENCH_PIN = "1234";

/**
 * DES block operations (single DES = 1, triple DES = 3) the terminal's SecurityModule performs
 * per approved sale (MAC out, MAC in, PAN seal, ...), counted only inside the terminal's
 * security calls (the in-process acquirer uses the same DES code and is not counted); and the
 * inputs of the last sale's crypto (working keys, what the MACs cover) for the timed runs.
 */
export function saleCryptoRun(): { blocks: number; input: SaleCryptoInput } {
  const s = makeSetup(1, SIM_CONFIG);
  let counted = 0;
  const seen: { field62?: Bytes; macOut?: Bytes; macIn?: Bytes; macInMac?: Bytes; pan?: string } = {};
  const sec = s.terminalSecurity as unknown as Record<string, unknown>;
  const wrapped: Record<string, unknown> = Object.create(sec);
  for (let o = sec; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      const f = sec[k];
      if (k === "constructor" || typeof f !== "function" || wrapped[k] !== f) continue;
      wrapped[k] = (...a: unknown[]) => {
        if (k === "installWorkingKeys") seen.field62 = a[0] as Bytes;
        if (k === "mac") seen.macOut = a[0] as Bytes;
        if (k === "verifyMac") [seen.macIn, seen.macInMac] = [a[0] as Bytes, a[1] as Bytes];
        if (k === "sealPan") seen.pan = a[0] as string;
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
  if (seen.field62 === undefined || seen.macOut === undefined || seen.macIn === undefined || seen.macInMac === undefined || seen.pan === undefined) {
    throw new Error("bench device: the simulated sale made no sign-in, MAC or PAN seal call");
  }
  const input: SaleCryptoInput = {
    field62_hex: toHex(seen.field62), mac_out_hex: toHex(seen.macOut), mac_in_hex: toHex(seen.macIn), mac_in_mac_hex: toHex(seen.macInMac), pan: seen.pan, pin: BENCH_PIN,
  };
  return { blocks: counted / approved, input };
}

/** The device's sale: the TEST card swiped, no PIN (firmware/device/terminal.ts TEST_CARD). */
function saleOp(kind: number, amount_minor: number): Operation {
  const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };
  return { op: kind, amount_minor, card, origStan: 0, password: "", origRrn: "", origDate: "" };
}
