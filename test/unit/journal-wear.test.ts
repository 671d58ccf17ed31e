// Wear-out and bad sectors: the journal degrades with a clear error, never silent loss.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NorFlash, BAD_PROGRAM, BAD_ERASE } from "../../hal/emulator/nor-flash";
import { CFG, approved, open, sale } from "../support/journal-fixtures";
import { openJournal } from "../../src/journal/recover";
import { TxnRecord } from "../../src/journal/api";
import { errorText } from "../../src/errors";
import { sameTxn } from "../../src/journal/validate";

test("a sector failing mid-write is abandoned; the record lands in a fresh sector; nothing is lost", () => {
  const f = new NorFlash({ sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256, seed: 1 });
  const j = open(f);
  const kept: TxnRecord[] = [];
  for (let s = 1; s <= 10; s++) { const t = approved(sale(1, s)); j.putTxn(t); kept.push(t); }
  f.setBad(j.log.head, BAD_PROGRAM | BAD_ERASE);
  for (let s = 11; s <= 20; s++) { const t = approved(sale(1, s)); j.putTxn(t); kept.push(t); }
  assert.equal(j.badSectors().length, 1);
  const r = openJournal(f, { ...CFG, read_only: true });
  assert.equal(r.report.corrupt, []);
  for (const t of kept) assert.ok(sameTxn(r.getTxn(1, t.stan)!, t), `stan ${t.stan}`);
});

test("wear-out: sectors past their erase cycles go bad, capacity shrinks, then a clear error; data kept", () => {
  const f = new NorFlash({ sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256, seed: 2, endurance_cycles: 6 });
  let j = open(f);
  let failure = "";
  let batch: TxnRecord[] = [];
  let lastCapacity = j.capacityBytes();
  let shrank = false;
  for (let round = 0; round < 400 && failure === ""; round++) {
    try {
      for (let k = 0; k < 25; k++) {
        const t = approved(sale(j.batch(), j.nextStan()));
        j.putTxn(t);
        batch.push(t);
      }
      j.closeBatch();
      batch = [];
    } catch (e) {
      failure = errorText(e);
    }
    if (j.capacityBytes() < lastCapacity) shrank = true;
    lastCapacity = j.capacityBytes();
  }
  assert.ok(shrank, "capacity shrank as sectors wore out");
  assert.match(failure, /^journal: (flash worn out — \d+ of 16 sectors bad|journal full — settle the batch)/);
  const r = openJournal(f, { ...CFG, read_only: true });
  assert.equal(r.report.corrupt, []);
  for (const t of batch) assert.ok(r.getTxn(t.batch, t.stan) !== undefined, `acknowledged stan ${t.stan} still readable`);
});

test("bad sectors from the start: the journal works around them with less capacity", () => {
  const f = new NorFlash({ sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256, seed: 3 });
  for (const s of [3, 4, 5, 6]) f.setBad(s, BAD_PROGRAM | BAD_ERASE);
  const j = open(f);
  const full = j.capacityBytes();
  for (let round = 0; round < 30; round++) {
    for (let k = 0; k < 25; k++) j.putTxn(approved(sale(j.batch(), j.nextStan())));
    j.closeBatch();
  }
  assert.equal(j.badSectors(), [3, 4, 5, 6]);
  assert.ok(j.capacityBytes() < full);
  assert.ok(f.erases[7] > 0 && f.erases[15] > 0, "the good sectors share the wear");
});

test.run();
