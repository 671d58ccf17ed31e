// Lookups by RRN read only the records that can match: each txn slot keeps a one-byte hash of
// its RRN and of its original's RRN (txn-table.ts), so findByRrn, the refund check and the
// lookup skip the others unread. Before, each of them read every record of the journal (the
// refund check several times): 11-30 s on the Espruino interpreter with a 90 % full journal.
// Reads are counted as txn base records read from flash (every `loadTxn` reads exactly one).
import { test } from "uvu";
import { txnReads } from "../../cli/bench/journal";
import * as assert from "uvu/assert";
import { KIND_REFUND, ST_APPROVED, ST_PENDING, TxnRecord } from "../../src/journal/api";
import { digitsHash } from "../../src/journal/digits";
import { FlashJournal } from "../../src/journal/journal";
import { NorFlash } from "../../src/sim/nor-flash";
import { isPowerCut } from "../../src/sim/journal-workload";
import { crashtest } from "../../src/sim/journal-crash";
import { TxnTable } from "../../src/journal/txn-table";
import { findOriginal } from "../../src/app/advisor";
import { OP_REFUND } from "../../src/txn/types";
import { CARD, Harness, MemorySettled, op } from "../support/harness";
import { approved, nor, open, sale } from "../support/journal-fixtures";

const SALES = 110;
/** The settled original (its batch is gone from the journal) and the sale looked up (in the journal). */
const SETTLED_RRN = "209912340007";
const ABSENT_RRN = "330000009999";

/** Txn records read from flash while `run` runs (the bench's counter). */
const reads = txnReads;

function refund(batch: number, stan: number, origRrn: string, amount_minor: number, state: number): TxnRecord {
  const t = sale(batch, stan, "6222021234567890128", amount_minor);
  return { ...t, kind: KIND_REFUND, state, origRrn, origDate: "1126", rrn: state === ST_APPROVED ? "44" + String(stan).padStart(10, "0") : "", respCode: state === ST_APPROVED ? "00" : "" };
}

/**
 * SALES approved sales (each written pending, then its approval with the RRN as a delta, as the
 * terminal does), two approved refunds of the settled original and one pending refund of sale 100.
 */
function fill(j: FlashJournal): void {
  const b = j.batch();
  for (let i = 0; i < SALES; i++) {
    const stan = j.nextStan();
    j.putTxn(sale(b, stan, "6222021234567890128", 1000 + i));
    j.putTxn(approved(sale(b, stan, "6222021234567890128", 1000 + i)));
  }
  j.putTxn(refund(b, j.nextStan(), SETTLED_RRN, 2000, ST_APPROVED));
  j.putTxn(refund(b, j.nextStan(), SETTLED_RRN, 3000, ST_APPROVED));
  j.putTxn(refund(b, j.nextStan(), saleRrn(j, 100), 250, ST_PENDING));
}

/** The RRN of the `k`-th sale written (fixtures: "33" + its STAN). */
function saleRrn(j: FlashJournal, k: number): string {
  return j.allTxns()[k].rrn;
}

/** Slots whose RRN (or original's RRN) hashes like `rrn`: what a lookup must still read. */
function sameHash(j: FlashJournal, rrn: string, orig: boolean): number {
  const all = j.allTxns();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (digitsHash(orig ? all[i].origRrn : all[i].rrn) === digitsHash(rrn)) n++;
  return n;
}

/** (batch, stan, RRN hash, original's RRN hash) of every slot. */
function hashTable(j: FlashJournal): string {
  const tt = j.idx.txns;
  const out: string[] = [];
  for (let i = 0; i < tt.n; i++) out.push(tt.batchOf(i) + "/" + tt.stanOf(i) + ":" + tt.hashOf(i, false) + "," + tt.hashOf(i, true));
  return out.join(" ");
}

/** The lookups' read counts and answers on `j` (filled by `fill`). */
function checkLookups(j: FlashJournal, where: string): void {
  assert.ok(j.txnSlots() > SALES, where);
  const all = j.allTxns();
  let set = 0;
  for (let i = 0; i < all.length; i++) {
    assert.is(j.idx.txns.hashOf(i, false), digitsHash(all[i].rrn), where + ": slot " + i + " RRN hash");
    assert.is(j.idx.txns.hashOf(i, true), digitsHash(all[i].origRrn), where + ": slot " + i + " original's RRN hash");
    if (j.idx.txns.hashOf(i, false) !== 0) set++;
  }
  assert.ok(set >= SALES + 2, where + ": " + set + " slots with an RRN hash");
  assert.is(sameHash(j, ABSENT_RRN, false), 0, "the absent RRN shares no bucket with the journal's (fixture)");
  assert.is(reads(j, () => assert.is(j.findByRrn(ABSENT_RRN), undefined)), 0, where + ": findByRrn of an absent RRN reads nothing (was " + j.txnSlots() + ")");
  const rrn = saleRrn(j, 100);
  let found: TxnRecord | undefined;
  const n = reads(j, () => { found = j.findByRrn(rrn); });
  assert.is(found?.rrn, rrn, where);
  assert.is(found?.amount_minor, 1100, where);
  assert.ok(n <= sameHash(j, rrn, false) && n <= 2, where + ": findByRrn of sale 100 read " + n);
}

test("findByRrn reads only the slots whose RRN hash matches (before: every slot up to the match)", () => {
  const j = open(nor());
  fill(j);
  checkLookups(j, "written");
  const all = j.allTxns();
  for (let i = 0; i < all.length; i++) {
    if (all[i].rrn === "") continue;
    const k = reads(j, () => assert.is(j.findByRrn(all[i].rrn)?.stan, all[i].stan));
    assert.ok(k <= 2, "slot " + i + ": " + k + " reads");
  }
});

test("a lookup by RRN of a sale in the journal (menu 5) reads the sale and its refunds only", () => {
  const j = open(nor());
  fill(j);
  const rrn = saleRrn(j, 100);
  let o: ReturnType<typeof findOriginal>;
  const n = reads(j, () => { o = findOriginal(j, undefined, "rrn", rrn); });
  assert.is(o?.amount_minor, 1100);
  assert.is(o?.openRefund_minor, 250, "the pending refund of it is counted");
  assert.ok(n <= 3, n + " records read (sale + its pending refund + at most one hash collision; before: " + (SALES + 3) + ")");
});

test("a refund against a settled original reads only that original's refunds (the cap is unchanged)", () => {
  const settled = new MemorySettled();
  settled.add({ batch: 1, stan: 9, rrn: SETTLED_RRN, date: "1126", amount_minor: 10000, refunded_minor: 1000, refundBatch: 0, refundBatch_minor: 0 });
  const j = open(nor());
  const h = new Harness({ journal: j, settled });
  h.signIn();
  fill(j);
  const ask = (amount: number) => h.do(op(OP_REFUND, { amount_minor: amount, card: CARD, origRrn: SETTLED_RRN, origDate: "1126" }));
  const sent = h.sentRaw.length;
  let n = reads(j, () => ask(4001));
  assert.is(h.lastResult().text, "refund above what is left of the original (4000)", "10000 - 1000 settled - 2000 - 3000 approved in this batch");
  assert.is(h.sentRaw.length, sent);
  assert.ok(n <= 3, "refused check read " + n + " (its two approved refunds + at most one collision)");
  n = reads(j, () => ask(4000));
  assert.is(h.sentRaw.length, sent + 1, "the refund goes out");
  assert.ok(n <= 5, "check and send read " + n + " (the check as above; the queue's walk over pending refunds reads the refund of sale 100 and this one)");
  n = reads(j, () => h.answer("00"));
  assert.is(h.lastResult().ok, true);
  assert.ok(n <= 2, "the reply read " + n + " (the refund itself, to write its delta)");
  n = reads(j, () => ask(1));
  assert.is(h.lastResult().text, "refund above what is left of the original (0)");
  assert.ok(n <= 4, "read " + n + " (its three approved refunds now)");
});

test("after a power cut and after sector reclaims the hashes are rebuilt from flash: same table, same reads", () => {
  const f: NorFlash = nor();
  const j = open(f);
  fill(j);
  const before = hashTable(j);
  const b = j.batch();
  const stan = j.nextStan();
  j.putTxn(sale(b, stan));
  f.cut_at = f.ops;
  try {
    j.putTxn(approved(sale(b, stan)));
  } catch (e) {
    if (!isPowerCut(e)) throw e;
  }
  f.powerOn();
  const r = open(f);
  const t = r.getTxn(b, stan);
  assert.ok(t !== undefined && t.rrn === "", "the cut approval is lost, the sale kept pending");
  assert.is(hashTable(r).substring(0, before.length), before, "recovery rebuilt every hash");
  checkLookups(r, "recovered");
  r.putTxn(approved(sale(b, stan)));
  assert.is(r.findByRrn(approved(sale(b, stan)).rrn)?.stan, stan);
  const written = hashTable(r);
  for (let k = 0; k < 4; k++) assert.ok(r.reclaimOldest(), "reclaim " + k);
  assert.ok(r.stats.copy_records > SALES / 4, r.stats.copy_records + " records copied forward");
  assert.is(hashTable(r), written, "reclaim keeps the hashes");
  checkLookups(r, "reclaimed");
  const again = open(f);
  assert.is(hashTable(again), written, "recovery after reclaim rebuilt them");
  checkLookups(again, "recovered after reclaim");
});

test("the crash checker catches stale RRN hashes (a table that never sets them)", () => {
  const o = { seed: 1, sector_bytes: 4096, sector_count: 16, page_bytes: 256, maxTxnsPerBatch: 300, maxReversals: 8, ops: 200, mode: "linear", only_cut: 100 };
  assert.equal(crashtest(o).violations, [], "the real table passes");
  const saved = TxnTable.prototype.setHashes;
  TxnTable.prototype.setHashes = function () { /* mutation */ };
  try {
    const v = crashtest(o).violations;
    assert.ok(v.some((s) => /RRN hashes in the index are stale/.test(s)), v[0]);
  } finally {
    TxnTable.prototype.setHashes = saved;
  }
});

test("RRN hash: 0 only for \"\", 1..251 otherwise; 120 consecutive RRNs land in 120 buckets", () => {
  assert.is(digitsHash(""), 0);
  const seen: { [h: number]: boolean } = {};
  let distinct = 0;
  for (let i = 0; i < 120; i++) {
    const h = digitsHash(String(202612030001 + i));
    assert.ok(h >= 1 && h <= 251);
    if (seen[h] !== true) distinct++;
    seen[h] = true;
  }
  assert.is(distinct, 120);
  assert.is(digitsHash("12345678901*"), digitsHash("12345678901*"));
  assert.ok(digitsHash("x") > 0);
});

test.run();
