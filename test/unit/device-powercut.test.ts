// Power cuts on the real Espruino interpreter (when one is present: ESPRUINO_BIN or
// shared/tools/espruino) at every flash operation of a sale, clean and torn: after each cut the
// board boots again from its flash and sends what it owes; at the end the acquirer's books and
// the terminal's agree in count and money, the settlement is accepted, no trace number is used
// twice. Runs on espruino-host-big: the firmware with the app does not fit 16,383 variables yet.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { espruinoBinary } from "../../cli/device/espruino-bin";
import { MIN_CUT_POINTS, runPowerCutSweep } from "../../cli/device/power-cuts";

/** The must-show of issue 9: at least this many cut points. */
const MIN_POINTS = MIN_CUT_POINTS;
const ESPRUINO = espruinoBinary("big");

if (ESPRUINO === undefined) console.log("device-powercut: no Espruino interpreter (ESPRUINO_BIN or shared/tools/espruino): not run");
else {
  test(`Espruino: power cut at each flash operation of a sale (>= ${MIN_POINTS} points), no money discrepancy, no STAN reused`, async () => {
    const r = await runPowerCutSweep({ bin: ESPRUINO });
    console.log(`  power cuts: ${r.cuts.filter((c) => c.hit).length} of ${r.cuts.length} points hit (flash ops: ${r.ops_per_boot} per boot, ${r.ops_per_sale} per sale), ${r.boots} boots; terminal ${r.terminal.txns} txns ${r.terminal.total_minor}, acquirer ${r.acquirer.live_sales} live of ${r.acquirer.seen_sales} seen`);
    assert.equal(r.problems, []);
    assert.ok(r.ops_per_sale > 0, "a sale writes the flash");
    assert.ok(r.cuts.filter((c) => c.hit).length >= MIN_POINTS, `only ${r.cuts.filter((c) => c.hit).length} cuts hit`);
    assert.ok(r.terminal.txns > 0 && r.acquirer.seen_sales > r.acquirer.live_sales, "some sales stood, some were reversed");
    assert.ok(r.boots >= r.cuts.length + 3, "one boot per cut");
  });
}

test.run();
