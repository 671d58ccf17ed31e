// The batch upload reads each transaction of the batch a bounded number of times: one 0320 per
// approved sale goes out per reply, and the walk goes on from where the last one was found
// (from the first slot each time, 100 items read about 5,000 records: minutes on Espruino).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AcquirerCore } from "../../cli/acquirer/core";
import { terminalSession } from "../../src/app/config";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { READY } from "../support/app-scripts";
import { dayAmount } from "../../cli/device/full-day";

const SALES = 30;

function sale(amount: number): string {
  return ["key enter", "key 1", "expect Amount", `keys ${amount}`, "key enter", "expect Swipe, insert or tap", "swipe debit", "expect Enter PIN",
    "keys 1234", "key enter", "expect Tear off the", "key enter", "expect enter: menu"].join("\n");
}

/**
 * Reads per transaction over the whole settlement (totals, the count, the upload, the report, the
 * settled index: each walks the batch once). The walk from the first slot per item read 675 for 30.
 */
const MAX_READS_PER_TXN = 8;

test(`settlement with a batch upload of ${SALES} sales reads the batch a bounded number of times (not n²)`, () => {
  const core = new AcquirerCore({ seed: 1, reconcile: "unbalanced-once" });
  const s = terminalSession({ acquirer: (frame, t) => core.respond(frame, t).reply, seed: 1 });
  const sales: string[] = [];
  for (let i = 0; i < SALES; i++) sales.push(sale(dayAmount(i)));
  const ready = runScript(s, parseScript(READY + "\n" + sales.join("\n")));
  assert.ok(ready.ok, ready.error + " | " + ready.screen.join(" | ") + " line " + ready.line);
  const j = s.j;
  const read = j.txnAt.bind(j);
  let reads = 0;
  j.txnAt = (i: number, state: number) => {
    const t = read(i, state);
    if (t !== undefined) reads++;
    return t;
  };
  const r = runScript(s, parseScript(["key enter", "key 7", `expect Sales ${SALES}`, "key enter", "expect Report printed."].join("\n")));
  assert.ok(r.ok, r.error);
  const st = core.book.settlements.find((x) => x.closed);
  assert.ok(st !== undefined && st.uploads === SALES, JSON.stringify(st));
  assert.ok(reads <= MAX_READS_PER_TXN * SALES, `${reads} records read for ${SALES} upload items`);
});

test.run();
