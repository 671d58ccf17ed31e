// A refund's approval is two journal writes (the original's refunded total, then the refund
// itself): a power cut at every write of a refund — of a sale in the open batch and of a
// settled sale — never counts the refund twice, and what is left can still be refunded.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SIM_CONFIG } from "../../cli/sim/run";
import { makeSetup } from "../../cli/sim/setup";
import { World } from "../../cli/sim/world";
import { SettledIndex } from "../../src/app/settled";
import { AppStore } from "../../src/app/store";
import { Journal, KIND_REFUND, KIND_SALE, ST_APPROVED, ST_PENDING, TxnRecord, refundKey } from "../../src/journal/api";
import { alloc, len } from "../../src/bytes/index";
import { cborWriter, wArray, wBytes, wText, wUint } from "../../src/codec/cbor";
import { readTxn, writeTxn } from "../../src/journal/payload";
import { approved, nor, open, sale as fixtureSale } from "../support/journal-fixtures";
import { OP_REFUND, OP_SALE, OP_SETTLE, OP_SIGNIN, OpResult, Operation } from "../../src/txn/types";

const PAN = "6214830000000009";
const card = { pan: PAN, expiry: "3012", track2: PAN + "D30121010000", pinBlock: "", chip: false, icc: "" };
const blank = { amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
const SALE = 73385;
const FIRST = 67756;
const REST = SALE - FIRST;
/** Bound on the write points tried (a refund or a settlement takes fewer: the loop ends once the cut misses both). */
const MAX_NTH = 40;

function world(seed: number, settledIndex: boolean): { w: World; setup: ReturnType<typeof makeSetup>; index: () => SettledIndex } {
  const setup = makeSetup(seed, SIM_CONFIG);
  let index: SettledIndex | undefined;
  const settled = settledIndex ? (j: Journal) => (index = new SettledIndex(j as unknown as AppStore)) : undefined;
  const w = new World({ seed, faults: "none", config: SIM_CONFIG, codec: setup.codec, security: setup.terminalSecurity, acquirer: setup.acquirer, store: setup.store, trace: false, settled });
  return { w, setup, index: () => index as SettledIndex };
}

/** Settles the open batch (again if a cut stopped it); asserts the batch was closed. */
function settle(w: World, batch = w.journal.batch()): void {
  for (let k = 0; k < 3 && w.journal.batch() === batch; k++) {
    w.step({ ...blank, op: OP_SETTLE });
    for (let i = 0; i < 20 && w.busy(); i++) w.runOne();
  }
  assert.ok(w.journal.batch() !== batch, "batch " + batch + " settled");
}

function refund(sale: { rrn: string; date: string }, amount_minor: number): Operation {
  return { ...blank, op: OP_REFUND, amount_minor, card, origRrn: sale.rrn, origDate: sale.date };
}

/** Sign in and one approved sale; returns its RRN and date. */
function saleDone(w: World): { rrn: string; date: string } {
  w.step({ ...blank, op: OP_SIGNIN });
  w.step({ ...blank, op: OP_SALE, amount_minor: SALE, card });
  const t = w.journal.txns().find((x) => x.kind === KIND_SALE) as TxnRecord;
  assert.is(t.state, ST_APPROVED);
  return { rrn: t.rrn, date: t.time.substring(0, 4) };
}

/** Runs `op` with a cut armed at write `nth` (disarmed if the op took fewer writes), lets the power-up finish; true if the power was cut. */
function withCut(w: World, setup: ReturnType<typeof makeSetup>, nth: number, op: Operation): boolean {
  const cuts = w.counters.power_cuts;
  setup.store.armCut(nth);
  w.step(op);
  for (let i = 0; i < 20 && w.busy(); i++) w.runOne();
  setup.device.flash.cut_at = -1;
  assert.ok(!w.journal.txns().some((t) => t.state === ST_PENDING), `cut at write ${nth}: nothing left pending`);
  return w.counters.power_cuts > cuts;
}

/** Runs `op` (no cut) and returns its result. */
function run(w: World, op: Operation): OpResult {
  const n = w.results.length;
  w.step(op);
  for (let i = 0; i < 20 && w.busy(); i++) w.runOne();
  assert.ok(w.results.length > n, "the operation has a result");
  return w.results[w.results.length - 1];
}

function net(setup: ReturnType<typeof makeSetup>): number {
  return setup.ledger.netByCard()[PAN] ?? 0;
}

test("a power cut at every write of a refund of a sale in the open batch counts it once", () => {
  let between = 0;
  let missed = false;
  for (let nth = 1; nth <= MAX_NTH && !missed; nth++) {
    const { w, setup } = world(40 + nth, false);
    const sale = saleDone(w);
    const sent = w.sent.length;
    missed = !withCut(w, setup, nth, refund(sale, FIRST));
    const repeated = w.sent.length - sent > 1;
    const s = w.journal.txns().find((x) => x.kind === KIND_SALE) as TxnRecord;
    const r = w.journal.txns().find((x) => x.kind === KIND_REFUND) as TxnRecord | undefined;
    const approved = r !== undefined && r.state === ST_APPROVED;
    assert.is(net(setup), approved ? REST : SALE, `cut at write ${nth}: acquirer agrees with the journal`);
    assert.is(s.refunded_minor, approved ? FIRST : 0, `cut at write ${nth}: refunded once`);
    if (approved) assert.is(s.refundedBy, refundKey(r.batch, r.stan), `cut at write ${nth}: the sale names the refund it counted`);
    if (repeated && approved) between++;
    // What is left (all of it if the first refund did not go through) can still be refunded.
    const left = approved ? REST : SALE;
    const rest = run(w, refund(sale, left));
    assert.ok(rest.ok, `cut at write ${nth}: the rest (${left}) refunded: ${rest.text}`);
    assert.is((w.journal.txns().find((x) => x.kind === KIND_SALE) as TxnRecord).refunded_minor, SALE, `cut at write ${nth}: all refunded, once`);
    assert.not.ok(run(w, refund(sale, 1)).ok, `cut at write ${nth}: nothing more`);
    assert.is(net(setup), 0);
    settle(w);
  }
  assert.ok(missed, "every write point of the refund was cut");
  assert.ok(between > 0, "some cut fell between the refund's reply and its own record (the repeat was approved)");
});

test("a power cut at every write of a refund of a settled sale, and of the settlement after it, counts it once", () => {
  let between = 0;
  let missedRefund = false;
  let missedSettle = false;
  for (let nth = 1; nth <= MAX_NTH && !(missedRefund && missedSettle); nth++) {
    const { w, setup, index } = world(60 + nth, true);
    const sale = saleDone(w);
    settle(w);
    assert.is(index().find(sale.rrn)?.refunded_minor, 0);
    const sent = w.sent.length;
    if (!withCut(w, setup, nth, refund(sale, FIRST))) missedRefund = true;
    const repeated = w.sent.length - sent > 1;
    const r = w.journal.txns().find((x) => x.kind === KIND_REFUND) as TxnRecord | undefined;
    const approved = r !== undefined && r.state === ST_APPROVED;
    if (repeated && approved) between++;
    assert.is(net(setup), approved ? REST : SALE, `cut at write ${nth}: acquirer agrees with the journal`);
    // The settlement that counts the refund into the index, cut at every write too.
    const open = w.journal.batch();
    if (!withCut(w, setup, nth, { ...blank, op: OP_SETTLE })) missedSettle = true;
    settle(w, open);
    assert.is(index().find(sale.rrn)?.refunded_minor, approved ? FIRST : 0, `cut at write ${nth}: the index counts the refund once`);
    const left = approved ? REST : SALE;
    assert.not.ok(run(w, refund(sale, left + 1)).ok, `cut at write ${nth}: not more than what is left`);
    const rest = run(w, refund(sale, left));
    assert.ok(rest.ok, `cut at write ${nth}: the rest (${left}) refunded: ${rest.text}`);
    assert.is(net(setup), 0);
    settle(w);
    assert.is(index().find(sale.rrn)?.refunded_minor, SALE, `cut at write ${nth}: all refunded, once`);
  }
  assert.ok(missedRefund && missedSettle, "every write point of the refund and of the settlement was cut");
  assert.ok(between > 0, "some cut fell between the refund's reply and its own record");
});

test("journal: refundedBy survives a reopen (full record and delta); records of the earlier format read as 0", () => {
  const f = nor(7);
  const j = open(f);
  const t = approved(fixtureSale(1, 5));
  j.putTxn(t);
  j.putTxn({ ...t, refunded_minor: 700, refundedBy: refundKey(999999, 999999) });
  const back = open(f).getTxn(1, 5) as TxnRecord;
  assert.is(back.refunded_minor, 700);
  assert.is(back.refundedBy, 999999999999);
  const buf = alloc(256);
  const n = writeTxn(buf, 0, 256, { ...t, refundedBy: 1000009 });
  assert.is(readTxn(buf, 0, n).refundedBy, 1000009);
  // The same record as the earlier format wrote it: 16 fields, without refundedBy.
  const old = alloc(256);
  const w = cborWriter(old, 0, 256);
  wArray(w, 16);
  for (const v of [t.batch, t.stan, t.kind, t.state, t.amount_minor]) wUint(w, v);
  wText(w, t.currency); wText(w, t.panMasked); wBytes(w, t.panSealed, 0, len(t.panSealed));
  for (const v of [t.time, t.rrn, t.authCode, t.respCode]) wText(w, v);
  wUint(w, 0); wText(w, ""); wText(w, ""); wUint(w, 300);
  const r = readTxn(old, 0, w.pos);
  assert.is(r.refunded_minor, 300);
  assert.is(r.refundedBy, 0);
  assert.throws(() => j.putTxn({ ...t, refundedBy: 1.5 }), /refundedBy/);
});

test.run();
