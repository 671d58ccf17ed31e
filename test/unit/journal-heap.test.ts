// Fixed memory: the journal's RAM (its own allocation accounting, computed from the live
// tables and buffers) is the same after 100 and after 10,000 transactions written.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG, approved, nor, open, request, sale } from "../support/journal-fixtures";
import { FlashJournal } from "../../src/journal/journal";

function sales(j: FlashJournal, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = j.nextStan();
    const t = sale(j.batch(), s);
    const id = j.armReversal(t.batch, s, "98", request(120, s));
    j.putTxn(t);
    j.putTxn(approved(t));
    j.disarmReversal(id);
    if (j.txnCount() >= 200) j.closeBatch();
  }
}

test("journal heap is flat from 100 to 10,000 transactions written", () => {
  const f = nor();
  const j = open(f);
  const atOpen = j.ramBytes();
  sales(j, 100);
  const at100 = j.ramBytes();
  sales(j, 9900);
  const at10k = j.ramBytes();
  assert.is(at100, atOpen);
  assert.is(at10k, at100);
  assert.ok(j.stats.records >= 40000 && j.stats.reclaims > 100, `${j.stats.records} records, ${j.stats.reclaims} reclaims`);
  assert.is(open(f).ramBytes(), at10k, "and after recovery of the full region");
  assert.ok(at10k < 16384, `${at10k} bytes`);
});

test.run();
