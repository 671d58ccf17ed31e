// The app's records in the journal: audit trail (bounded, outlives settlement, dropped only
// after release and counted) and keyed blobs (slots 0..7, <= 256 bytes, kept across reclaim).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CFG, approved, nor, open, request, sale } from "../support/journal-fixtures";
import { APP_BLOB_MAX_BYTES, AUDIT_FULL, AUDIT_MAX, AuditEntry } from "../../src/journal/api";
import { FlashJournal } from "../../src/journal/journal";
import { alloc, equal, fromText, len, set, toText } from "../../src/bytes/index";
import { errorText } from "../../src/errors";
import { isPowerCut } from "../../src/sim/journal-workload";

function errorOf(fn: () => void): string {
  try { fn(); } catch (e) { return errorText(e); }
  return "";
}

function entry(i: number, kind: AuditEntry["kind"] = "void"): AuditEntry {
  return { t_s: 1795689600 + i, operator: "OP" + (i % 3), kind, reason: "customer request " + i, batch: 1, stan: 100 + i, rrn: "3311" + String(i).padStart(8, "0"), amount_minor: 1000 + i, outcome: "approved 00" };
}

/** Runs sales through the journal (settling every 50) until `reclaims` more sectors were reclaimed. */
function churn(j: FlashJournal, reclaims: number): void {
  const start = j.stats.reclaims;
  for (let i = 0; i < 20000 && j.stats.reclaims < start + reclaims; i++) {
    const s = j.nextStan();
    const id = j.armReversal(j.batch(), s, "98", request(100, s));
    j.putTxn(sale(j.batch(), s));
    j.putTxn(approved(sale(j.batch(), s)));
    j.disarmReversal(id);
    if (i % 50 === 49) j.closeBatch();
  }
  assert.ok(j.stats.reclaims >= start + reclaims, `${j.stats.reclaims - start} reclaims`);
}

test("audit: appended entries are listed oldest first, identical after a restart", () => {
  const f = nor();
  const j = open(f);
  const kinds: AuditEntry["kind"][] = ["void", "refund", "reversal", "abort", "storage"];
  for (let i = 0; i < kinds.length; i++) j.appendAudit(entry(i, kinds[i]));
  assert.equal(j.auditEntries(), [0, 1, 2, 3, 4].map((i) => entry(i, kinds[i])));
  assert.equal(open(f).auditEntries(), j.auditEntries());
  assert.is(open(f).auditDropped(), 0);
});

test("audit: bounded; full of unreleased entries refuses; after release the oldest released are dropped and counted, across restarts", () => {
  const f = nor();
  let j = open(f);
  for (let i = 0; i < AUDIT_MAX; i++) j.appendAudit(entry(i));
  assert.is(errorOf(() => j.appendAudit(entry(999))), "journal: " + AUDIT_FULL);
  j.releaseAudit(2);
  j = open(f);
  j.appendAudit(entry(AUDIT_MAX));
  j.appendAudit(entry(AUDIT_MAX + 1));
  assert.is(j.auditDropped(), 2);
  assert.is(errorOf(() => j.appendAudit(entry(999))), "journal: " + AUDIT_FULL, "only released entries are dropped");
  j = open(f);
  const list = j.auditEntries();
  assert.is(list.length, AUDIT_MAX);
  assert.equal(list[0], entry(2));
  assert.equal(list[AUDIT_MAX - 1], entry(AUDIT_MAX + 1));
  assert.is(j.auditDropped(), 2);
});

test("audit: outlives settlement and sector reclaim; release survives a restart", () => {
  const f = nor();
  let j = open(f);
  for (let i = 0; i < 5; i++) j.appendAudit(entry(i));
  j.releaseAudit(3);
  j.closeBatch();
  churn(j, 40);
  j = open(f);
  assert.equal(j.auditEntries(), [0, 1, 2, 3, 4].map((i) => entry(i)));
  for (let i = 5; i < AUDIT_MAX + 3; i++) j.appendAudit(entry(i));
  assert.is(j.auditDropped(), 3);
  assert.equal(j.auditEntries()[0], entry(3));
});

test("audit: bad entries refused with a clear error, nothing written", () => {
  const j = open(nor());
  const before = j.stats.records;
  assert.match(errorOf(() => j.appendAudit({ ...entry(1), kind: "refundx" as AuditEntry["kind"] })), /audit kind "refundx"/);
  assert.match(errorOf(() => j.appendAudit({ ...entry(1), outcome: "x".repeat(65) })), /audit outcome longer than 64/);
  assert.match(errorOf(() => j.appendAudit({ ...entry(1), amount_minor: -1 })), /audit amount_minor -1 outside/);
  assert.match(errorOf(() => j.releaseAudit(-1)), /releaseAudit/);
  assert.is(j.stats.records, before);
  assert.equal(j.auditEntries(), []);
});

test("app blobs: slots 0..7, up to 256 bytes, replace, kept across reclaim and restart", () => {
  const f = nor();
  let j = open(f);
  assert.is(j.getAppBlob(0), undefined);
  const big = alloc(APP_BLOB_MAX_BYTES);
  for (let i = 0; i < APP_BLOB_MAX_BYTES; i++) set(big, i, i & 0xff);
  j.putAppBlob(0, fromText("settings v1"));
  j.putAppBlob(7, big);
  j.putAppBlob(3, alloc(0));
  j.putAppBlob(0, fromText("settings v2"));
  assert.match(errorOf(() => j.putAppBlob(8, big)), /slot 8 outside 0..7/);
  assert.match(errorOf(() => j.putAppBlob(1, alloc(257))), /257 bytes, at most 256/);
  churn(j, 40);
  j = open(f);
  const b0 = j.getAppBlob(0)!;
  assert.is(toText(b0, 0, len(b0), "test"), "settings v2");
  assert.ok(equal(j.getAppBlob(7)!, big));
  assert.is(len(j.getAppBlob(3)!), 0);
  assert.is(j.getAppBlob(1), undefined);
  assert.is(j.getAppBlob(9), undefined);
});

test("audit and blobs count against capacity like transactions", () => {
  const j = open(nor());
  const before = j.chargedBytes();
  j.appendAudit(entry(1));
  j.putAppBlob(2, alloc(200));
  assert.ok(j.chargedBytes() >= before + 200 + 40, `${j.chargedBytes() - before} bytes charged`);
});

test("power cut at every flash operation of an append that drops a released entry: all or nothing", () => {
  const base = nor();
  const j0 = open(base);
  for (let i = 0; i < AUDIT_MAX; i++) j0.appendAudit(entry(i));
  j0.releaseAudit(1);
  const img = base.image();
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => entry(from + k));
  const before = JSON.stringify([range(0, AUDIT_MAX), 0]);
  const dropped = JSON.stringify([range(1, AUDIT_MAX), 1]);
  const after = JSON.stringify([[...range(1, AUDIT_MAX), entry(500)], 1]);
  let cuts = 0;
  for (let cut = 0; cut < 40; cut++) {
    const f = nor(cut + 2);
    f.load(img);
    const j = open(f, CFG);
    f.cut_at = f.ops + cut;
    let done = true;
    try {
      j.appendAudit(entry(500));
    } catch (e) {
      if (!isPowerCut(e)) throw e;
      done = false;
      cuts++;
    }
    f.powerOn();
    const r = open(f);
    const got = JSON.stringify([r.auditEntries(), r.auditDropped()]);
    if (done) {
      assert.is(got, after, `no cut at ${cut}`);
      break;
    }
    assert.ok(got === before || got === dropped || got === after, `cut ${cut}: ${got.slice(0, 120)}`);
  }
  assert.ok(cuts >= 2, `${cuts} cut points`);
});

test.run();
