// The full day of issue 9 (examples/device/full-day.posrt) on the NodeMCU bytecode under the
// Lua host, from a journal pre-filled with earlier settled days to 90 % of its flash: 100 sales,
// a power cut mid-sale with the reversal at the next boot, a void, a lookup, a refund of an
// earlier day's settled sale, and settlement with batch upload. The acquirer's books must agree.
// On the real Espruino interpreter (when present, the ESP32 build, run as a build of 12,287
// variables: 75 %, the fit goal) the same day cut short (SHORT_DAY: 2 sales, one earlier day): the full day takes many minutes there (opening the 90 % journal alone takes one
// to three, docs/device.md), far over npm test's budget; `posrt device run --target espruino
// --prefill 90 ...` runs it, and POSRT_ESPRUINO_FULL_DAY=1 runs it here.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { DAY_RECONCILE, DAY_SALES, DayShape, FULL_DAY, SHORT_DAY, fullDayScript } from "../../cli/device/full-day";
import { ESPRUINO_FIT_VARS, espruinoBinary } from "../../cli/device/espruino-bin";
import { AcquirerBooks } from "../../cli/device/run";
import { runDeviceScript } from "../../cli/device/run";
import { luaHost } from "../../cli/device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../../cli/device/lua-session";
import { STEP_EXPECT, STEP_POWER_CUT, STEP_SWIPE, parseScript } from "../../src/app/script";

const DAY = path.resolve(__dirname, "../../../../examples/device/full-day.posrt");
/**
 * The Espruino build the day runs on in npm test: the ESP32 one. The day cut short fits its
 * 16,383 variables: boot about 8,700 and a sampled peak of 12,865-13,613 (79-83 %, garbage not
 * yet collected counts) since modules load per task and app and engine hand over in tasks of
 * their own (stop 9); the 75 % goal is not met (on a 12,287-variable build the day runs out of
 * memory at the first receipt, tools/espruino/). The full day (POSRT_ESPRUINO_FULL_DAY=1): docs/device.md.
 */
const ESPRUINO_BUILD = "16383";

test("examples/device/full-day.posrt is the day fullDayScript() makes (regenerate it when this fails)", () => {
  const text = fs.readFileSync(DAY, "utf8");
  assert.ok(text === fullDayScript(), "examples/device/full-day.posrt differs from cli/device/full-day.ts");
  const steps = parseScript(text);
  assert.is(steps.filter((s) => s.k === STEP_POWER_CUT).length, 1);
  assert.is(steps.filter((s) => s.k === STEP_SWIPE).length, DAY_SALES + 2, "the day's sales, the cut sale and the refund's card");
});


test("Lua host: the full day from a 90 % pre-filled journal under the NodeMCU heap cap, books agree", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const lines: string[] = [];
  const r = await runDeviceScript({ target: "lua", interpreter: h.bin!, script: DAY, prefill_percent: 90, reconcile: DAY_RECONCILE, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES, log: (l) => lines.push(l) });
  console.log(`  full day on the Lua host: data heap ${r.lua?.data_heap_bytes} bytes live, heap peak ${r.lua?.heap_peak_bytes} (code ${r.lua?.code_bytes}), capped at ${NODEMCU_HEAP_CAP_BYTES} beyond the code`);
  assert.ok(r.prefill !== undefined && r.prefill.used_percent >= 90, JSON.stringify(r.prefill));
  const ready = lines.find((l) => / ready: /.test(l)) ?? "";
  const readsImage = ready.indexOf("batch " + String(r.prefill!.days + 1).padStart(6, "0")) >= 0;
  const steps = parseScript(fs.readFileSync(DAY, "utf8"));
  const refundAt = steps.findIndex((s) => s.k === STEP_EXPECT && s.arg.startsWith("max "));
  assert.ok(refundAt > 0, "the day refunds a sale of an earlier day");
  assert.ok(readsImage, "the board boots on the pre-filled image: " + ready);
  assert.ok(refundAt > 0);
  assert.ok(r.ok, `line ${r.line}: ${r.error} | ${r.screen.join(" | ")}`);
  assert.is(r.boots, 2, "one power cut");
  assertDayBooks(r.acquirer, r.prefill!.days);
});

/** The day's books: one reversal, no trace number twice, every batch settled by batch upload, the day's as one 0320 per live sale/refund and the batch end, totals agreeing. */
function assertDayBooks(a: AcquirerBooks, earlierDays: number, daySales = DAY_SALES): void {
  assert.is(a.reversed, 1, "the sale cut in flight is reversed");
  assert.is(a.stans_reused, 0);
  assert.is(a.settlements, earlierDays + 1, "the day's settlement");
  assert.is(a.settlements_open, 0, "every batch settled");
  assert.is(a.unknown_uploads, 0);
  const s = a.last_settlement!;
  // the day's sales less the voided one, plus the refund of the earlier day's sale
  assert.is(s.live_items, daySales, "the acquirer's live transactions of the day");
  assert.equal({ uploads: s.uploads, batch_ends: s.batch_ends, balanced: s.balanced, closed: s.closed }, { uploads: s.live_items, batch_ends: 1, balanced: true, closed: true },
    "one 0320 per live sale/refund and the batch end, then the totals agree");
}

const FULL = process.env.POSRT_ESPRUINO_FULL_DAY === "1";
const ESPRUINO = espruinoBinary(ESPRUINO_BUILD);
if (ESPRUINO === undefined) console.log("device-day: no Espruino interpreter (ESPRUINO_BIN or shared/tools/espruino): the Espruino day is not run");
else {
  const shape: DayShape = FULL ? FULL_DAY : SHORT_DAY;
  // the fit goal itself: the day runs as on a build with 75 % of the variables (the rest held at power-on)
  test(`Espruino (real interpreter, espruino-host-${ESPRUINO_BUILD} on ${ESPRUINO_FIT_VARS} variables): the ${FULL ? "full day" : "day cut short"} (${shape.sales} sales, ${shape.prefillDays} earlier day(s)), books agree`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-day-"));
    const script = path.join(dir, "day.posrt");
    fs.writeFileSync(script, fullDayScript(shape));
    try {
      const r = await runDeviceScript({ target: "espruino", interpreter: ESPRUINO, script, prefill_percent: FULL ? 90 : 1, prefill_days: shape.prefillDays, reconcile: DAY_RECONCILE, var_cap: ESPRUINO_FIT_VARS });
      const m = r.espruino!;
      const t = r.timing!;
      console.log(`  Espruino day (${ESPRUINO_BUILD} on ${ESPRUINO_FIT_VARS} variables): ${(t.wall_ms / 1000).toFixed(0)} s, boots ${t.boot_ms.map((b) => (b / 1000).toFixed(0) + " s").join(", ")}; variables boot ${m.boot_vars}, peak ${m.peak_vars}, peak live ${m.peak_live_vars} of ${m.total_vars}`);
      assert.ok(r.ok, `line ${r.line}: ${r.error} | ${r.screen.join(" | ")}`);
      assert.is(r.boots, 2, "one power cut");
      assertDayBooks(r.acquirer, shape.prefillDays, shape.sales);
      assert.ok(m.boot_vars > 0 && m.peak_vars >= m.boot_vars && m.peak_vars < m.total_vars && m.total_vars === ESPRUINO_FIT_VARS, JSON.stringify(m));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
