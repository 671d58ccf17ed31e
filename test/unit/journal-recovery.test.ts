import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CFG, approved, nor, open, sale } from "../support/journal-fixtures";
import { get, set } from "../../src/bytes/index";
import { decodeHeader, encodeHeader, HEADER_BYTES } from "../../src/journal/format";
import { alloc } from "../../src/bytes/index";
import { openJournal, walkRecords } from "../../src/journal/recover";
import { saveNorImage } from "../../hal/emulator/nor-file";
import { dumpImage, dumpObject } from "../../cli/commands/journal-dump";

test("sector header round trip; one flipped bit is corrected, two or a blank header are rejected", () => {
  const b = alloc(HEADER_BYTES);
  const h = { seq: 7, erase_count: 123, low: 3, prev_seq: 6, prev_end: 4000, flags: 0, base_seq: 900, stan_high: 64, batch: 12, closed: 11, bad: [5] };
  const c = { byte: 0, mask: 0 };
  encodeHeader(b, h);
  assert.equal(decodeHeader(b, c), h);
  assert.is(c.mask, 0);
  set(b, 9, get(b, 9) ^ 4);
  assert.equal(decodeHeader(b, c), h);
  assert.equal([c.byte, c.mask], [9, 4]);
  set(b, 9, get(b, 9) ^ 4);
  set(b, 30, get(b, 30) ^ 1);
  assert.is(decodeHeader(b, c), undefined);
  const blank = alloc(HEADER_BYTES);
  for (let i = 0; i < HEADER_BYTES; i++) set(blank, i, 0xff);
  assert.is(decodeHeader(blank, c), undefined);
});

test("a torn tail is truncated and reported as such, not as corruption", () => {
  const f = nor(5);
  const j = open(f);
  j.putTxn(sale(1, 1));
  f.cut_at = f.ops;
  assert.throws(() => j.putTxn(sale(1, 2)), /power lost/);
  f.powerOn();
  const r = open(f);
  assert.equal(r.report.corrupt, []);
  assert.ok(r.getTxn(1, 1) !== undefined);
});

function liveImage(): ReturnType<typeof nor> {
  const f = nor(2);
  const j = open(f);
  for (let s = 1; s <= 120; s++) j.putTxn(approved(sale(1, s)));
  return f;
}

test("mid-log damage (three bytes) is reported with sector and offset, only that record lost", () => {
  const f = liveImage();
  const probe = openJournal(f, { ...CFG, read_only: true });
  const first = probe.report.chain[0];
  let target = -1;
  walkRecords(probe, (r) => { if (r.sector === first && target < 0 && r.offset > 100) target = r.offset; });
  const img = f.image();
  for (const k of [9, 10, 11]) set(img, first * 4096 + target + k, get(img, first * 4096 + target + k) ^ 0x5a);
  const j = openJournal(f, { ...CFG, read_only: true });
  assert.match(j.report.corrupt[0], new RegExp(`^sector ${first} offset ${target}: damaged record`));
  assert.is(j.report.records_lost, 1);
  assert.is(j.txnCount(), 119);
});

test("posrt journal dump: decodes records and state; corruption gives a diagnosis and exit 1", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-dump-"));
  const file = path.join(dir, "j.img");
  const f = liveImage();
  saveNorImage(f, file);
  const d = dumpObject(file, 4096) as { records: unknown[]; transactions: unknown[]; corrupt: string[]; wear: unknown[] };
  assert.ok(d.records.length >= 120);
  assert.is(d.transactions.length, 120);
  assert.equal(d.corrupt, []);
  assert.is(d.wear.length, 16);
  const img = fs.readFileSync(file);
  for (const k of [300, 301, 302]) img[4096 * (open(f).report.chain[0]) + k] ^= 0x42;
  fs.writeFileSync(file, img);
  const log = console.log, err = console.error;
  const lines: string[] = [];
  console.log = () => undefined;
  console.error = (s: string) => { lines.push(s); };
  let code = -1;
  try { code = await dumpImage([file]); } finally { console.log = log; console.error = err; }
  assert.is(code, 1);
  assert.match(lines.join("\n"), /damage at sector \d+ offset \d+/);
  fs.writeFileSync(file, Buffer.alloc(1000));
  assert.throws(() => dumpObject(file, 4096), /not a whole number of 4096-byte sectors/);
});



/** A journal that has reclaimed sectors: sales approved, settled every 40. */
function usedRegion(): { f: ReturnType<typeof nor>; j: ReturnType<typeof open>; maxStan: number } {
  const f = nor();
  const j = open(f);
  let maxStan = 0;
  for (let i = 0; i < 400; i++) {
    const stan = j.nextStan();
    maxStan = stan;
    j.putTxn(sale(j.batch(), stan));
    j.putTxn(approved(sale(j.batch(), stan)));
    if (i % 40 === 39) j.closeBatch();
  }
  return { f, j, maxStan };
}

test("the newest sector's header damaged beyond repair: its records are reported lost and no counter goes back", () => {
  const { f, j, maxStan } = usedRegion();
  const head = j.log.head;
  assert.ok(j.log.headPos > 200, "the head holds records");
  f.damage(head * 4096 + 4, 6);
  const r = openJournal(f, CFG);
  assert.match(r.report.corrupt.join("; "), new RegExp(`sector ${head} offset 0: sector header damaged beyond repair`));
  assert.ok(r.nextStan() > maxStan, "STAN moves past anything the lost sector may have reserved");
});

test("a dead sector whose erase was cut short (old header with bits set, old records intact) is stale data, not damage", () => {
  const { f, j } = usedRegion();
  let dead = -1;
  const img = f.image();
  for (let s = 0; s < 16 && dead < 0; s++) if (!j.sectors.isLive(s) && get(img, s * 4096) === 0 && get(img, s * 4096 + 1) === 0x4a) dead = s;
  assert.ok(dead >= 0, "a reclaimed (retired) sector");
  set(img, dead * 4096 + 1, 0xff);
  set(img, dead * 4096 + 2, 0xff);
  f.load(img);
  const r = openJournal(f, { ...CFG, read_only: true });
  assert.equal(r.report.corrupt, []);
  assert.is(r.report.records_lost, 0);
  assert.is(r.txnCount(), j.txnCount());
});

test.run();
