// The full day of issue 9 (examples/device/full-day.posrt) on the NodeMCU bytecode under the
// Lua host, from a journal pre-filled with earlier settled days to 90 % of its flash: 100 sales,
// a power cut mid-sale with the reversal at the next boot, a void, a lookup, a refund of an
// earlier day's settled sale, and settlement. The acquirer's books must agree. (On Espruino the same day
// runs with `posrt device run --target espruino --prefill 90`; minutes of real time, so not here.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { DAY_RECONCILE, DAY_SALES, fullDayScript } from "../../cli/device/full-day";
import { AcquirerBooks } from "../../cli/device/run";
import { runDeviceScript } from "../../cli/device/run";
import { luaHost } from "../../cli/device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../../cli/device/lua-session";
import { STEP_EXPECT, STEP_POWER_CUT, STEP_SWIPE, parseScript } from "../../src/app/script";

const DAY = path.resolve(__dirname, "../../../../examples/device/full-day.posrt");

test("examples/device/full-day.posrt is the day fullDayScript() makes (regenerate it when this fails)", () => {
  const text = fs.readFileSync(DAY, "utf8");
  assert.ok(text === fullDayScript(), "examples/device/full-day.posrt differs from cli/device/full-day.ts");
  const steps = parseScript(text);
  assert.is(steps.filter((s) => s.k === STEP_POWER_CUT).length, 1);
  assert.is(steps.filter((s) => s.k === STEP_SWIPE).length, DAY_SALES + 2, "the day's sales, the cut sale and the refund's card");
});


test("Lua host: the full day from a 90 % pre-filled journal, books agree", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const lines: string[] = [];
  const r = await runDeviceScript({ target: "lua", interpreter: h.bin!, script: DAY, prefill_percent: 90, reconcile: DAY_RECONCILE, data_cap_bytes: 0, log: (l) => lines.push(l) });
  console.log(`  full day on the Lua host: data heap ${r.lua?.data_heap_bytes} bytes live, heap peak ${r.lua?.heap_peak_bytes} (code ${r.lua?.code_bytes}); cap goal ${NODEMCU_HEAP_CAP_BYTES} beyond the code`);
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
function assertDayBooks(a: AcquirerBooks, earlierDays: number): void {
  assert.is(a.reversed, 1, "the sale cut in flight is reversed");
  assert.is(a.stans_reused, 0);
  assert.is(a.settlements, earlierDays + 1, "the day's settlement");
  assert.is(a.settlements_open, 0, "every batch settled");
  assert.is(a.unknown_uploads, 0);
  const s = a.last_settlement!;
  // the day's sales less the voided one, plus the refund of the earlier day's sale
  assert.is(s.live_items, DAY_SALES, "the acquirer's live transactions of the day");
  assert.equal({ uploads: s.uploads, batch_ends: s.batch_ends, balanced: s.balanced, closed: s.closed }, { uploads: s.live_items, batch_ends: 1, balanced: true, closed: true },
    "one 0320 per live sale/refund and the batch end, then the totals agree");
}

test.run();
