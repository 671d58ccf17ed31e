// Storage faults: single flipped bits are corrected on read, worse damage is reported with its
// place and loses only the damaged record, unreadable sectors are reported and remembered, and
// the terminal never reverses a sale it showed approved because a record was lost.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MODE_BADSECTOR, MODE_ROT, rotTest } from "../../src/sim/journal-rot";
import { newWorkload, randomStep } from "../../src/sim/journal-workload";
import { openJournal, walkRecords } from "../../src/journal/recover";
import { RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_TXN_DELTA } from "../../src/journal/format";
import { newKeys, readKeys } from "../../src/journal/payload";
import { saveNorImage } from "../../hal/emulator/nor-file";
import { dumpImage, dumpObject } from "../../cli/commands/journal-dump";
import { SIM_CONFIG } from "../../cli/sim/run";
import { makeSetup } from "../../cli/sim/setup";
import { World } from "../../cli/sim/world";
import { OP_SALE, OP_SIGNIN } from "../../src/txn/types";
import { FlashJournal } from "../../src/journal/journal";

const GEO = { seed: 1, sector_bytes: 1024, sector_count: 16, page_bytes: 256, maxTxnsPerBatch: 300, maxReversals: 8 };

function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; err: string; out: string }> {
  const log = console.log, err = console.error;
  const o: string[] = [], e: string[] = [];
  console.log = (s: string) => { o.push(s); };
  console.error = (s: string) => { e.push(s); };
  return fn().then((value) => ({ value, err: e.join("\n"), out: o.join("\n") }), (x) => { throw x; }).finally(() => { console.log = log; console.error = err; });
}

test("crashtest --mode rot: each single bit of every record (older and newest sectors) corrected, 0 lost; 3-byte damage loses only that record", () => {
  const r = rotTest({ ...GEO, ops: 70, mode: MODE_ROT });
  assert.equal(r.violations, []);
  assert.ok(r.records >= 20, `${r.records} records`);
  assert.ok(r.bits_corrected >= r.records * 8 * 20, `${r.bits_corrected} bits corrected`);
  assert.is(r.records_lost, r.records - 1, "multi-byte damage: one record per damaged record (the last one is a torn tail)");
});

test("crashtest --mode badsector: each live sector unreadable in turn — reported, others kept, STAN never back, remembered", () => {
  const r = rotTest({ ...GEO, seed: 5, ops: 300, mode: MODE_BADSECTOR });
  assert.equal(r.violations, []);
  assert.ok(r.faults_injected >= 2, `${r.faults_injected} sectors (older and newest)`);
  assert.ok(r.records_lost > 0 && r.records_lost < r.records * 2, `${r.records_lost} records lost`);
});

function image(): { file: string; f: ReturnType<typeof newWorkload>["flash"] } {
  const w = newWorkload({ ...GEO, sector_bytes: 4096 });
  for (let i = 0; i < 80; i++) randomStep(w);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-rot-"));
  return { file: path.join(dir, "j.img"), f: w.flash };
}

test("journal dump: a flipped bit in every record — every record listed with its correction, exit 0", async () => {
  const { file, f } = image();
  const j = openJournal(f, { ...GEO, warnFillPercent: 80, read_only: true });
  const recs: number[] = [];
  walkRecords(j, (r) => { recs.push(r.sector * 4096 + r.offset + ((r.seq * 7) % (r.n + RECORD_OVERHEAD_BYTES))); });
  for (const a of recs) f.flipBit(a, 3);
  saveNorImage(f, file);
  const { value, out } = await quiet(() => dumpImage([file]));
  assert.is(value, 0);
  const d = dumpObject(file, 4096) as { records: { corrected?: string }[]; bits_corrected: number };
  assert.is(d.records.length, recs.length);
  assert.ok(d.records.every((r) => r.corrected !== undefined), "each record shows its correction");
  assert.is(d.bits_corrected, recs.length);
  assert.match(out, /corrected byte \d+ bit 3/);
});

test("journal dump: damage mid newest sector — exit 1 naming sector and offset, every other record listed", async () => {
  const { file, f } = image();
  const j = openJournal(f, { ...GEO, warnFillPercent: 80, read_only: true });
  const newest = j.report.chain[j.report.chain.length - 1];
  const mine: { offset: number; n: number }[] = [];
  let all = 0;
  walkRecords(j, (r) => { all++; if (r.sector === newest) mine.push({ offset: r.offset, n: r.n }); });
  assert.ok(mine.length >= 3);
  const victim = mine[Math.floor(mine.length / 2)];
  f.damage(newest * 4096 + victim.offset + 2, 4);
  saveNorImage(f, file);
  const { value, err } = await quiet(() => dumpImage([file]));
  assert.is(value, 1);
  assert.match(err, new RegExp(`damage at sector ${newest} offset ${victim.offset}`));
  const d = dumpObject(file, 4096) as { records: unknown[]; records_lost: number };
  assert.is(d.records.length, all - 1);
  assert.is(d.records_lost, 1);
});

test("journal dump: random bytes are not a journal image; /dev/zero and directories refused at once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-rot-"));
  const file = path.join(dir, "random.img");
  const b = Buffer.alloc(4096 * 4);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7919 + 13) & 0xff;
  fs.writeFileSync(file, b);
  assert.throws(() => dumpObject(file, 4096), /not a journal image/);
  if (fs.existsSync("/dev/zero")) assert.throws(() => dumpObject("/dev/zero", 4096), /not a regular file/);
  assert.throws(() => dumpObject(dir, 4096), /is a directory/);
});

const blank = { amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };

test("a lost approval record that also disarmed the reversal (damage mid newest sector): no 0400 at power-up for the sale shown approved — outcome unknown, ask the acquirer", () => {
  const setup = makeSetup(31, SIM_CONFIG);
  const w = new World({ seed: 31, faults: "none", config: SIM_CONFIG, codec: setup.codec, security: setup.terminalSecurity, acquirer: setup.acquirer, store: setup.store, trace: false });
  w.step({ ...blank, op: OP_SIGNIN });
  w.step({ ...blank, op: OP_SALE, amount_minor: 4100, card });
  w.step({ ...blank, op: OP_SALE, amount_minor: 777, card });
  assert.ok(w.results.filter((r) => r.op === OP_SALE && r.ok).length === 2, "both sales shown approved");
  const flash = setup.device.flash;
  const probe = openJournal(flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80, read_only: true });
  const disarms: { sector: number; offset: number; n: number }[] = [];
  const k = newKeys();
  walkRecords(probe, (r, rec) => {
    if (r.type !== REC_TXN_DELTA) return;
    readKeys(r.type, rec, RECORD_HEAD_BYTES, r.n, k, true);
    if (k.disarm !== 0) disarms.push({ sector: r.sector, offset: r.offset, n: r.n });
  });
  const first = disarms[0];
  flash.damage(first.sector * 4096 + first.offset + 3, 4);
  const before = w.sent.length;
  w.powerCut("test: damage while off");
  for (let i = 0; i < 20 && w.busy(); i++) w.runOne();
  const after = w.sent.slice(before).map((hex) => setup.codec.unpackWire(Uint8Array.from(Buffer.from(hex, "hex")) as never).mti);
  assert.ok(after.indexOf("0400") < 0, `sent at power-up: ${after.join(",")}`);
  const j = w.journal.inner as FlashJournal;
  assert.match(j.report.corrupt.join("; "), new RegExp(`sector ${first.sector} offset ${first.offset}`));
  assert.is(j.pendingReversals().length, 1, "the reversal is still there (its disarm was lost with the approval)...");
  assert.ok(j.outcomeUnknown(j.pendingReversals()[0].batch, j.pendingReversals()[0].stan), "...and held: outcome unknown");
  assert.equal(setup.ledger.netByCard()["6214830000000009"], 4100 + 777, "the acquirer still has both sales");
});

test.run();
