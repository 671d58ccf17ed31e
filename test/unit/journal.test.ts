import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG, approved, nor, open, request, sale, sealer } from "../support/journal-fixtures";
import { REV_FAILED, REV_PENDING, ST_APPROVED, ST_VOIDED } from "../../src/journal/api";
import { JOURNAL_FULL, STAN_BLOCK } from "../../src/journal/journal";
import { openJournal, walkRecords } from "../../src/journal/recover";
import { crc32, equal, set, toHex, writeU32 } from "../../src/bytes/index";
import { FORMAT_VERSION, HEADER_CRC_AT } from "../../src/journal/format";
import { errorText } from "../../src/errors";

function errorOf(fn: () => void): string {
  try { fn(); } catch (e) { return errorText(e); }
  return "";
}

test("transactions: put, update by delta, get, findByRrn, txns in STAN order — and again after reopen", () => {
  const f = nor();
  let j = open(f);
  const stans = [j.nextStan(), j.nextStan(), j.nextStan()];
  for (const s of [stans[2], stans[0], stans[1]]) j.putTxn(sale(j.batch(), s));
  j.putTxn(approved(sale(j.batch(), stans[1])));
  for (const jj of [j, open(f)]) {
    assert.equal(jj.txns().map((t) => t.stan), stans);
    const t = jj.getTxn(jj.batch(), stans[1]);
    assert.is(t?.state, ST_APPROVED);
    assert.is(jj.findByRrn(t?.rrn ?? "x")?.stan, stans[1]);
    assert.is(sealer.openPan(t!.panSealed), "6222021234567890128");
    assert.is(jj.getTxn(jj.batch(), 999), undefined);
    j = jj;
  }
});

test("walks: txnAt in ascending STAN (the index stays sorted, also after reopen), state picked from the index without reads, counts", () => {
  const f = nor();
  let j = open(f);
  const stans = [j.nextStan(), j.nextStan(), j.nextStan(), j.nextStan()];
  for (const s of [stans[3], stans[1], stans[0], stans[2]]) j.putTxn(sale(j.batch(), s));
  j.putTxn(approved(sale(j.batch(), stans[2])));
  for (const jj of [j, open(f)]) {
    const walked: number[] = [];
    for (let i = 0; i < jj.txnSlots(); i++) walked.push(jj.txnAt(i, 0)?.stan ?? -1);
    assert.equal(walked, stans);
    assert.equal(walked, jj.txns().map((t) => t.stan));
    const before = jj.report.bytes_read;
    const approvedOnes: number[] = [];
    for (let i = 0; i < jj.txnSlots(); i++) {
      const t = jj.txnAt(i, ST_APPROVED);
      if (t !== undefined) approvedOnes.push(t.stan);
    }
    assert.equal(approvedOnes, [stans[2]]);
    const picked = jj.report.bytes_read - before;
    for (let i = 0; i < jj.txnSlots(); i++) jj.txnAt(i, 0);
    const all = jj.report.bytes_read - before - picked;
    assert.ok(picked > 0 && picked * 2 < all, `only the approved record is read (${picked} of ${all} bytes)`);
    assert.is(jj.txnAt(jj.txnSlots(), 0), undefined);
    assert.is(jj.countTxns(0), 4);
    assert.is(jj.countTxns(ST_APPROVED), 1);
    j = jj;
  }
  j.closeBatch();
  assert.is(j.countTxns(0), 0);
  assert.is(j.txnSlots(), 0);
});

test("reversal state from the index: pending, failed, none; countPendingReversals", () => {
  const j = open(nor());
  const a = j.nextStan();
  const b = j.nextStan();
  j.putTxn(sale(j.batch(), a));
  j.putTxn(sale(j.batch(), b));
  const ra = j.armReversal(j.batch(), a, "98", request(60, a));
  const rb = j.armReversal(j.batch(), b, "98", request(60, b));
  assert.is(j.countPendingReversals(), 2);
  j.failReversal(rb);
  assert.is(j.reversalStateOf(j.batch(), a), REV_PENDING);
  assert.is(j.reversalStateOf(j.batch(), b), REV_FAILED);
  j.completeReversal(ra);
  assert.is(j.reversalStateOf(j.batch(), a), 0);
  assert.is(j.countPendingReversals(), 0);
  assert.is(j.reversalStateOf(j.batch(), 999), 0);
});

test("STAN: reserved in blocks, never repeats across restarts", () => {
  const f = nor();
  let j = open(f);
  const seen: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (let i = 0; i < 3; i++) seen.push(j.nextStan());
    j = open(f);
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `STAN ${seen[i]} after ${seen[i - 1]}`);
  assert.is(seen[3], STAN_BLOCK + 1, "a restart skips the rest of the reserved block");
});

test("batch number persisted; closeBatch drops the batch's transactions and failed reversals", () => {
  const f = nor();
  let j = open(f);
  j.setBatch(41);
  const s1 = j.nextStan();
  j.putTxn(approved(sale(41, s1)));
  const id = j.armReversal(41, s1, "98", request(60, s1));
  j.recordAttempt(id); j.recordAttempt(id); j.recordAttempt(id);
  j.failReversal(id);
  assert.equal(j.reversals().map((v) => v.state), [REV_FAILED]);
  assert.equal(j.pendingReversals(), []);
  j = open(f);
  assert.is(j.batch(), 41);
  j.closeBatch();
  assert.is(j.batch(), 42);
  j = open(f);
  assert.is(j.batch(), 42);
  assert.is(j.txnCount(), 0);
  assert.equal(j.reversals(), []);
  assert.match(errorOf(() => j.putTxn(sale(41, 7))), /batch 41 is closed/);
});

test("reversal FIFO: oldest first, attempts and reasons persisted, completed/disarmed leave", () => {
  const f = nor();
  let j = open(f);
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const s = j.nextStan();
    j.putTxn(sale(j.batch(), s));
    ids.push(j.armReversal(j.batch(), s, "98", request(80 + i, s)));
  }
  assert.is(j.recordAttempt(ids[0]), 1);
  assert.is(j.recordAttempt(ids[0]), 2);
  j.setReversalReason(ids[2], "A0");
  j.completeReversal(ids[1]);
  j.disarmReversal(ids[3]);
  for (const jj of [j, open(f)]) {
    const p = jj.pendingReversals();
    assert.equal(p.map((v) => v.id), [ids[0], ids[2]]);
    assert.equal(p.map((v) => v.attempts), [2, 0]);
    assert.equal(p.map((v) => v.reason), ["98", "A0"]);
    assert.ok(equal(p[1].request, request(82, p[1].stan)), toHex(p[1].request));
    assert.ok(p.every((v) => v.state === REV_PENDING));
  }
});

test("reversal queue has a fixed capacity with its own clear error", () => {
  const j = open(nor());
  for (let i = 0; i < CFG.maxReversals; i++) j.armReversal(1, i + 1, "98", request(40, i));
  assert.match(errorOf(() => j.armReversal(1, 99, "98", request(40, 99))), /reversal queue full/);
});

test("full journal refuses with the distinct error and loses nothing unsettled", () => {
  const f = nor();
  let j = open(f, { ...CFG, maxTxnsPerBatch: 2000 });
  const kept: number[] = [];
  let refusal = "";
  let warned = -1;
  for (let i = 0; i < 2000 && refusal === ""; i++) {
    const s = j.nextStan();
    refusal = errorOf(() => j.putTxn(approved(sale(j.batch(), s, "4761739001010010", 100 + i))));
    if (refusal === "") kept.push(s);
    if (warned < 0 && j.nearlyFull()) warned = kept.length;
  }
  assert.is(refusal, "journal: " + JOURNAL_FULL);
  assert.ok(warned > 0 && warned < kept.length, `nearlyFull() at ${warned} of ${kept.length}`);
  assert.ok(j.fillPercent() >= 95, `fill ${j.fillPercent()}%`);
  assert.is(errorOf(() => j.armReversal(j.batch(), 1, "98", request(100, 1))), "journal: " + JOURNAL_FULL);
  j.putTxn({ ...j.getTxn(j.batch(), kept[0])!, state: ST_VOIDED });
  j = open(f, { ...CFG, maxTxnsPerBatch: 2000 });
  assert.is(j.txnCount(), kept.length);
  for (const s of kept) assert.is(j.getTxn(j.batch(), s)?.amount_minor, 100 + kept.indexOf(s));
  assert.is(j.getTxn(j.batch(), kept[0])?.state, ST_VOIDED);
  j.closeBatch();
  j.putTxn(sale(j.batch(), j.nextStan()));
  assert.ok(j.fillPercent() < 5, `after settlement ${j.fillPercent()}%`);
});

test("transaction slots: maxTxnsPerBatch is a capacity limit with the same error", () => {
  const j = open(nor(), { ...CFG, maxTxnsPerBatch: 3 });
  for (let i = 1; i <= 3; i++) j.putTxn(sale(1, i));
  assert.is(errorOf(() => j.putTxn(sale(1, 4))), "journal: " + JOURNAL_FULL);
  assert.is(j.fillPercent(), 100);
});

test("bad input is a clear error: a clear PAN in panMasked, overlong fields, non-integers", () => {
  const j = open(nor());
  assert.match(errorOf(() => j.putTxn({ ...sale(1, 1), panMasked: "6222021234567890128" })), /more than 10 digits/);
  assert.match(errorOf(() => j.putTxn({ ...sale(1, 1), rrn: "1234567890123" })), /rrn longer than 12/);
  assert.match(errorOf(() => j.putTxn({ ...sale(1, 1), amount_minor: 1.5 })), /amount_minor/);
  assert.match(errorOf(() => j.armReversal(1, 1, "98", request(600, 1))), /request of 600 bytes/);
  assert.match(errorOf(() => j.setBatch(0)), /batch 0 outside/);
  assert.match(errorOf(() => j.recordAttempt(12345)), /no reversal 12345/);
  assert.is(j.txnCount(), 0);
});

test("read-only open refuses writes", () => {
  const f = nor();
  open(f).putTxn(sale(1, 1));
  const ro = openJournal(f, { ...CFG, read_only: true });
  assert.is(ro.txnCount(), 1);
  assert.match(errorOf(() => ro.nextStan()), /read-only/);
});

test("a region written in journal format 2 is refused with a clear error, never taken for erased and reused", () => {
  const f = nor();
  const j = open(f);
  j.putTxn(sale(j.batch(), j.nextStan()));
  const img = f.image();
  const s = j.log.head * 4096;
  set(img, s + 2, 2);
  writeU32(img, s + HEADER_CRC_AT, crc32(img, s, HEADER_CRC_AT));
  f.load(img);
  assert.match(errorOf(() => open(f)), /sector \d+ holds journal format 2; this build reads format 3/);
  set(img, s + 2, FORMAT_VERSION);
  writeU32(img, s + HEADER_CRC_AT, crc32(img, s, HEADER_CRC_AT));
  f.load(img);
  assert.is(open(f).txnCount(), 1, "the same bytes as format 3 open");
});

test("record seqs past 65,535 (16 bits on flash): read back in order, a damaged record reported with its full seq, nothing else lost", () => {
  const f = nor();
  const j = open(f);
  for (let i = 0; i < 22000 && j.log.nextSeq <= 65536 + 40; i++) {
    const stan = j.nextStan();
    const id = j.armReversal(j.batch(), stan, "98", request(40, stan));
    j.putTxn(sale(j.batch(), stan));
    j.putTxnDisarm(approved(sale(j.batch(), stan)), id);
    if (i % 100 === 99) j.closeBatch();
  }
  assert.ok(j.log.nextSeq > 65536 + 40, `seq reached ${j.log.nextSeq}`);
  const txns = j.txnCount();
  const ro = openJournal(f, { ...CFG, read_only: true });
  assert.is(ro.txnCount(), txns);
  assert.is(ro.report.records_lost, 0);
  const seen: { seq: number; sector: number; offset: number }[] = [];
  walkRecords(ro, (r) => { seen.push({ seq: r.seq, sector: r.sector, offset: r.offset }); });
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].seq > seen[i - 1].seq, `seq ${seen[i].seq} after ${seen[i - 1].seq}`);
  const victim = seen[seen.length - 3];
  assert.ok(victim.seq > 65536, `victim seq ${victim.seq}`);
  f.damage(victim.sector * 4096 + victim.offset + 5, 3);
  const d = openJournal(f, { ...CFG, read_only: true });
  assert.is(d.report.records_lost, 1);
  assert.match(d.report.corrupt.join("; "), new RegExp(`1 record\\(s\\) lost \\(seq ${victim.seq}\\)`));
});

test.run();
