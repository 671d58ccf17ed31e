import { test } from "uvu";
import * as assert from "uvu/assert";
import { Harness, CARD, MemorySettled, op } from "../support/harness";
import { MemoryJournal } from "../support/memory-journal";
import { EV_BYTES, EV_CANNOT_COMPLETE, EV_OP, EV_POWER_UP, EV_TIMER, FX_FINISH_CARD, FX_SET_CLOCK, OP_BALANCE, OP_REFUND, OP_SALE, OP_SETTLE, OP_VOID } from "../../src/txn/types";
import { KIND_SALE, REV_FAILED, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../../src/journal/api";
import { MSG_REVERSAL_FAILED, sameSecret } from "../../src/txn/engine";
import { fromHex } from "../../src/bytes/index";
import { reversalBase, saleRequest } from "../../src/txn/messages";

function signedIn(): Harness {
  const h = new Harness();
  h.signIn();
  return h;
}

function sale(h: Harness, amount = 1234, card = CARD) {
  h.do(op(OP_SALE, { amount_minor: amount, card }));
  return h.last();
}

function mem(h: Harness): MemoryJournal {
  return h.j as MemoryJournal;
}

test("sign-in: keys installed, batch and clock from the reply, no MAC on 0800", () => {
  const h = new Harness();
  h.do(op(OP_SALE, { amount_minor: 100, card: CARD }));
  assert.is(h.lastResult().text, "sign in first");
  h.signIn();
  const req = h.codec.unpackWire(h.sentRaw[0]);
  assert.is(req.mti, "0800");
  assert.is(req.fields["64"], undefined);
  assert.is(req.fields["60"], "00000001003");
  assert.ok(h.sm.hasWorkingKeys());
  assert.is(h.j.batch(), 7);
  assert.ok(h.effects.some((e) => e.k === FX_SET_CLOCK && e.text === "0101120000"));
  assert.is(h.lastResult().ok, true);
});

test("sign-in with a bad key check value keeps the terminal signed out", () => {
  const h = new Harness();
  h.do(op(1));
  h.answer("00", { "62": "0000000100000001" });
  assert.not.ok(h.sm.hasWorkingKeys());
  assert.match(h.lastResult().text, /working keys rejected/);
});

test("sale approved: 0200 fields, journal approved, reversal disarmed, receipt masked", () => {
  const h = signedIn();
  const req = sale(h, 1234);
  assert.is(req.mti, "0200");
  assert.is(req.fields["3"], "000000");
  assert.is(req.fields["4"], "000000001234");
  assert.is(req.fields["60"], "22000007000");
  assert.is(req.fields["41"], "TERM0001");
  assert.is(mem(h).pendingReversals().length, 1, "armed before the reply");
  assert.is(h.j.txns()[0].state, ST_PENDING);
  h.answer("00");
  const t = h.j.txns()[0];
  assert.is(t.state, ST_APPROVED);
  assert.is(t.rrn.length, 12);
  assert.is(t.authCode, "A1B2C3");
  assert.is(h.j.pendingReversals().length, 0);
  const receipt = h.printed[h.printed.length - 1].join("\n");
  assert.match(receipt, /621483\*\*\*\*\*\*0009/);
  assert.not.match(receipt, /6214830000000009/);
  assert.ok(h.eng.idle());
});

test("declined sale: no reversal, declined in the journal", () => {
  const h = signedIn();
  sale(h, 5151);
  h.answer("51");
  assert.is(h.j.txns()[0].state, ST_DECLINED);
  assert.is(h.j.pendingReversals().length, 0);
  assert.is(h.lastResult().code, "51");
});

test("trigger 98: no reply within the timeout → 0400 with 39=98, no track/PIN/26/53", () => {
  const h = signedIn();
  sale(h);
  h.fireTimer();
  const rev = h.last();
  assert.is(rev.mti, "0400");
  assert.is(rev.fields["39"], "98");
  for (const f of ["35", "36", "52", "26", "53"]) assert.is(rev.fields[f], undefined, "field " + f);
  assert.is(rev.fields["4"], "000000001234");
  assert.is(rev.fields["11"], h.codec.unpackWire(h.sentRaw[1]).fields["11"]);
  assert.ok(rev.fields["64"] !== undefined);
  const original = h.codec.unpackWire(h.sentRaw[1]);
  assert.ok(original.fields["2"] !== undefined && original.fields["2"].length >= 12, "the 0200 carried a PAN");
  assert.is(rev.fields["2"], original.fields["2"], "the 0400 carries the PAN again");
  const stored = h.codec.unpackBare(h.j.pendingReversals()[0].request);
  assert.is(stored.fields["2"], undefined, "the journal's copy holds no PAN");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
  assert.is(h.j.pendingReversals().length, 0);
});

test("trigger A0: reply with a bad MAC", () => {
  const h = signedIn();
  const req = sale(h);
  const reply = h.replyTo(req, { "39": "00" });
  reply.fields["64"] = "0000000000000000";
  h.deliver(reply);
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["39"], "A0");
  h.answer("25");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("trigger A0: reply without a MAC", () => {
  const h = signedIn();
  const req = sale(h);
  h.deliver(h.replyTo(req, { "39": "00" }, { mac: false }));
  assert.is(h.last().fields["39"], "A0");
});

test("trigger 06: mismatched reply (STAN, terminal, MTI, proc code, garbage)", () => {
  const cases: Array<(h: Harness, req: any) => void> = [
    (h, req) => h.deliver(h.replyTo(req, { "39": "00", "11": "999999" })),
    (h, req) => h.deliver(h.replyTo(req, { "39": "00", "41": "OTHER001" })),
    (h, req) => h.deliver(h.replyTo(req, { "39": "00", "42": "OTHERMERCHANT01" })),
    (h, req) => h.deliver(h.replyTo(req, { "39": "00", "3": "310000" })),
    (h, req) => h.deliver(h.replyTo(req, { "39": "00" }, { mti: "0230" })),
    (h) => h.run(EV_BYTES, { data: fromHex("0004DEADBEEF") }),
    (h) => h.run(EV_BYTES, { data: fromHex("FFFF00") }),
  ];
  for (const drive of cases) {
    const h = signedIn();
    const req = sale(h);
    drive(h, req);
    assert.is(h.last().mti, "0400");
    assert.is(h.last().fields["39"], "06");
    assert.is(h.j.txns()[0].state, ST_PENDING);
  }
});

test("trigger 06: the card cannot complete after host approval (chip)", () => {
  const h = signedIn();
  sale(h, 2000, { ...CARD, chip: true, icc: "9F2608AABBCCDDEEFF0011" });
  const fx = h.answer("00");
  assert.ok(fx.some((e) => e.k === FX_FINISH_CARD));
  assert.is(h.j.pendingReversals().length, 1, "still armed while the card finishes");
  h.complete(false);
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["39"], "06");
  assert.is(h.last().fields["55"], "9F2608AABBCCDDEEFF0011");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("trigger 06 with the card's final field 55: the reversal carries it", () => {
  const h = signedIn();
  sale(h, 2100, { ...CARD, chip: true, icc: "9F2608AABBCCDDEEFF0011" });
  h.answer("00");
  h.run(EV_CANNOT_COMPLETE, { data: fromHex("9F2608111111111111111195050000008000") });
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["39"], "06");
  assert.is(h.last().fields["55"], "9F2608111111111111111195050000008000");
  assert.is(h.j.pendingReversals().length, 1);
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
  assert.is(h.j.pendingReversals().length, 0);
});

test("trigger 06: the receipt cannot be produced (awaitCompletion on a magnetic-stripe sale)", () => {
  const h = new Harness({ config: { awaitCompletion: true } });
  h.signIn();
  sale(h, 1500);
  const fx = h.answer("00");
  assert.ok(fx.some((e) => e.k === FX_FINISH_CARD));
  assert.is(h.printed.length, 0, "no receipt before completion");
  h.complete(false);
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["39"], "06");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("chip sale completed by the card: approved only then", () => {
  const h = signedIn();
  sale(h, 2000, { ...CARD, chip: true, icc: "9F2701" });
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_PENDING);
  h.complete(true);
  assert.is(h.j.txns()[0].state, ST_APPROVED);
  assert.is(h.j.pendingReversals().length, 0);
});

test("power lost after the request left, before the reply: reversal at power-up", () => {
  const h = signedIn();
  sale(h);
  const sentBefore = h.sentRaw.length;
  h.powerCut();
  assert.is(h.sentRaw.length, sentBefore + 1);
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["39"], "98");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("power lost while the chip card finishes: reversed at power-up", () => {
  const h = signedIn();
  sale(h, 700, { ...CARD, chip: true });
  h.answer("00");
  h.powerCut();
  assert.is(h.last().mti, "0400");
  h.answer("12");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("late reply after the timeout is ignored (the reversal stands)", () => {
  const h = signedIn();
  const req = sale(h);
  h.fireTimer();
  const late = h.replyTo(req, { "39": "00" });
  h.deliver(late);
  assert.is(h.last().mti, "0400", "late 0210 counts against the 0400 in flight");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("reversal retries run out: said plainly, record kept, pending sale waits for settlement", () => {
  const h = signedIn();
  sale(h);
  h.fireTimer(); // sale
  h.fireTimer(); // reversal 1
  h.fireTimer(); // reversal 2
  h.fireTimer(); // reversal 3
  assert.ok(h.shown.some((s) => s.indexOf(MSG_REVERSAL_FAILED) === 0));
  const m = mem(h);
  assert.is(m.revs.length, 1);
  assert.is(m.revs[0].state, REV_FAILED);
  assert.is(m.revs[0].attempts, 3);
  assert.is(h.j.txns()[0].state, ST_PENDING);
  // settlement re-arms and drains it before the 0500
  h.do(op(OP_SETTLE));
  assert.is(h.last().mti, "0400");
  h.answer("00");
  assert.is(h.last().mti, "0500");
  assert.is(h.j.txns()[0].state, ST_REVERSED);
});

test("pending reversals go out before any new online request, oldest first", () => {
  const h = signedIn();
  sale(h, 100);
  h.fireTimer();
  h.fireTimer();
  h.fireTimer();
  h.fireTimer(); // failed: kept
  sale(h, 200);
  const stan2 = h.last().fields["11"];
  h.fireTimer(); // second sale: no reply; its reversal goes out at once
  assert.is(h.last().mti, "0400");
  assert.is(h.last().fields["11"], stan2);
  // a power cut now: at power-up it is still the first pending one
  h.powerCut();
  assert.is(h.last().fields["11"], stan2);
  h.fireTimer();
  h.fireTimer(); // attempts 2 and 3 (one made before the cut) → failed
  const before = h.sentRaw.length;
  sale(h, 300);
  assert.is(h.sentRaw.length, before + 1);
  assert.is(h.last().mti, "0200", "no pending reversal left: the sale goes out");
});

test("FIFO: pending reversals drain oldest first, at power-up and before the next sale", () => {
  const h = signedIn();
  const base = (stan: number) => h.codec.packBare(reversalBase(saleRequest({ cfg: h.cfg, stan, batch: 7, amount_minor: stan, card: CARD })));
  h.j.armReversal(7, 50, "98", base(50));
  h.j.armReversal(7, 51, "A0", base(51));
  h.powerCut();
  assert.is(h.last().fields["11"], "000050");
  assert.is(h.last().fields["39"], "98");
  h.answer("00");
  assert.is(h.last().fields["11"], "000051");
  assert.is(h.last().fields["39"], "A0");
  h.answer("25");
  assert.ok(h.eng.idle());
  h.j.armReversal(7, 52, "06", base(52));
  sale(h, 100);
  assert.is(h.last().mti, "0400", "the pending reversal goes first");
  assert.is(h.last().fields["11"], "000052");
  h.answer("00");
  assert.is(h.last().mti, "0200", "then the sale");
  h.answer("00");
  assert.is(h.lastResult().ok, true);
});

test("refund: 0220 proc 200000 60.1=25, original RRN and date; never reversed, repeated", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const rrn = h.j.txns()[0].rrn;
  h.do(op(OP_REFUND, { amount_minor: 400, card: CARD, origRrn: rrn, origDate: "0101" }));
  const req = h.last();
  assert.is(req.mti, "0220");
  assert.is(req.fields["3"], "200000");
  assert.is(req.fields["37"], rrn);
  assert.is(req.fields["61"], "0000000000000101");
  assert.is(req.fields["60"].substring(0, 2), "25");
  h.fireTimer();
  assert.is(h.last().mti, "0220", "a refund is repeated, not reversed");
  assert.is(h.last().fields["11"], req.fields["11"]);
  assert.is(h.j.pendingReversals().length, 0);
  h.answer("00");
  const txns = h.j.txns();
  assert.is(txns[1].state, ST_APPROVED);
  assert.is(txns[0].refunded_minor, 400);
});

test("refund caps: partial and repeated up to the original; configurable max without it", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const rrn = h.j.txns()[0].rrn;
  const refund = (amount: number, r = rrn) => h.do(op(OP_REFUND, { amount_minor: amount, card: CARD, origRrn: r, origDate: "0101" }));
  refund(600);
  h.answer("00");
  refund(500);
  assert.match(h.lastResult().text, /above what is left/);
  refund(400);
  h.answer("00");
  refund(1);
  assert.match(h.lastResult().text, /above what is left/);
  refund(50001, "999999999999");
  assert.match(h.lastResult().text, /above the maximum/);
  refund(50000, "999999999999");
  assert.is(h.last().mti, "0220");
});

test("refund after settlement: capped at the original minus what was refunded (index of settled sales)", () => {
  const settled = new MemorySettled();
  const h = new Harness({ settled });
  h.signIn();
  sale(h, 1000);
  h.answer("00");
  const rrn = h.j.txns()[0].rrn;
  const refund = (amount: number) => h.do(op(OP_REFUND, { amount_minor: amount, card: CARD, origRrn: rrn, origDate: "0101" }));
  refund(300);
  h.answer("00");
  h.do(op(OP_SETTLE));
  h.answer("00");
  assert.is(h.lastResult().ok, true);
  assert.is(h.j.findByRrn(rrn), undefined, "the journal no longer holds the sale");
  assert.equal(settled.find(rrn)?.refunded_minor, 300);
  const sent = h.sentRaw.length;
  refund(40000);
  assert.is(h.lastResult().text, "refund above what is left of the original (700)", "400.00 against a settled 10.00 sale");
  assert.is(h.sentRaw.length, sent, "nothing sent");
  refund(500);
  h.answer("00");
  assert.is(h.lastResult().ok, true);
  refund(201);
  assert.is(h.lastResult().text, "refund above what is left of the original (200)", "an approved refund of this batch counts before the next settlement");
  h.do(op(OP_SETTLE));
  h.answer("00");
  assert.equal(settled.find(rrn)?.refunded_minor, 800, "folded into the index at settlement");
  refund(201);
  assert.is(h.lastResult().text, "refund above what is left of the original (200)");
  refund(200);
  h.answer("00");
  assert.is(h.lastResult().ok, true);
});

test("void: password, same batch, full amount, not twice; approved void marks the sale voided", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const s = h.j.txns()[0];
  h.do(op(OP_VOID, { origStan: s.stan, password: "000000" }));
  assert.is(h.lastResult().text, "wrong supervisor password");
  h.do(op(OP_VOID, { origStan: s.stan, password: "123456", amount_minor: 999 }));
  assert.is(h.lastResult().text, "a void is for the full amount only");
  h.do(op(OP_VOID, { origStan: 999, password: "123456" }));
  assert.match(h.lastResult().text, /no sale with trace/);
  h.do(op(OP_VOID, { origStan: s.stan, password: "123456" }));
  const req = h.last();
  assert.is(req.mti, "0200");
  assert.is(req.fields["3"], "200000");
  assert.is(req.fields["4"], "000000001000");
  assert.is(req.fields["61"], "000007" + String(s.stan).padStart(6, "0"));
  assert.is(req.fields["37"], s.rrn);
  assert.is(req.fields["60"].substring(0, 2), "23");
  h.answer("00");
  assert.is(h.j.getTxn(7, s.stan)?.state, ST_VOIDED);
  h.do(op(OP_VOID, { origStan: s.stan, password: "123456" }));
  assert.match(h.lastResult().text, /already voided/);
});

test("approved written, disarm lost to a cut, reversal never confirmed: the sale is pending, not approved", () => {
  const h = signedIn();
  sale(h, 1000);
  const m = mem(h);
  const revs = m.revs.map((r) => ({ ...r }));
  h.answer("00");
  m.revs = revs; // the cut tore the disarm
  h.powerCut();
  h.fireTimer();
  h.fireTimer();
  h.fireTimer();
  assert.is(m.revs[0].state, REV_FAILED);
  assert.is(h.j.txns()[0].state, ST_PENDING, "outcome unknown: the acquirer may have reversed it");
});

test("a reversed void gives the sale back", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const s = h.j.txns()[0];
  h.do(op(OP_VOID, { origStan: s.stan, password: "123456" }));
  h.fireTimer();
  h.answer("00");
  assert.is(h.j.getTxn(7, s.stan)?.state, ST_APPROVED);
});

test("void approved, power cut before the reversal is disarmed: reversal restores the sale", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const s = h.j.txns()[0];
  h.do(op(OP_VOID, { origStan: s.stan, password: "123456" }));
  // simulate the window: the void's approval written, disarm lost
  const m = mem(h);
  const revs = m.revs.map((r) => ({ ...r }));
  h.answer("00");
  m.revs = revs;
  h.powerCut();
  assert.is(h.last().mti, "0400");
  h.answer("00");
  assert.is(h.j.getTxn(7, s.stan)?.state, ST_APPROVED);
});

test("balance inquiry: 0200 proc 310000, not journaled, no reversal", () => {
  const h = signedIn();
  h.do(op(OP_BALANCE, { card: CARD }));
  assert.is(h.last().fields["3"], "310000");
  h.answer("00", { "54": "1002156C000000010000" });
  assert.match(h.lastResult().text, /balance/);
  assert.is(h.j.txns().length, 0);
  h.do(op(OP_BALANCE, { card: CARD }));
  h.fireTimer();
  assert.is(h.j.pendingReversals().length, 0);
  assert.match(h.lastResult().text, /balance inquiry failed/);
});

test("settlement balanced: 48 totals from the journal, batch closes and increments", () => {
  const h = signedIn();
  sale(h, 1000); h.answer("00");
  sale(h, 2500); h.answer("00");
  sale(h, 300); h.answer("51");
  const rrn = h.j.txns()[0].rrn;
  h.do(op(OP_REFUND, { amount_minor: 200, card: CARD, origRrn: rrn, origDate: "0101" })); h.answer("00");
  h.do(op(OP_SETTLE));
  const req = h.last();
  assert.is(req.mti, "0500");
  assert.is(req.fields["48"], "002000000003500001000000000200" + "0");
  h.answer("00", { "48": req.fields["48"].substring(0, 30) + "1" });
  assert.is(h.j.batch(), 8);
  assert.is(h.j.txns().length, 0);
  assert.ok(h.lastResult().ok);
});

test("settlement mismatch: batch upload 0320 then batch end, then close", () => {
  const h = signedIn();
  for (let i = 0; i < 10; i++) { sale(h, 100 + i); h.answer("00"); }
  h.do(op(OP_SETTLE));
  const f48 = h.last().fields["48"];
  h.answer("95", { "48": "009000000000999000000000000000" + "2" });
  const first = h.j.txns()[0];
  for (let i = 0; i < 10; i++) {
    const up = h.last();
    assert.is(up.mti, "0320");
    assert.is(up.fields["60"], "00000007201");
    assert.is(up.fields["61"], "000007" + String(first.stan + i).padStart(6, "0"));
    assert.is(up.fields["4"], String(100 + i).padStart(12, "0"));
    assert.is(up.fields["2"], CARD.pan);
    h.answer("00");
  }
  assert.is(h.last().fields["60"].substring(8), "202");
  assert.is(h.last().fields["48"], f48);
  h.answer("00");
  assert.is(h.j.batch(), 8);
});

test("settlement waits for unresolved transactions", () => {
  // A refund is never reversed: while unanswered it stays pending, so settlement (after its
  // round of repeats) must refuse to close the batch rather than settle without it.
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const rrn = h.j.txns()[0].rrn;
  h.do(op(OP_REFUND, { amount_minor: 400, card: CARD, origRrn: rrn, origDate: "0101" }));
  for (let i = 0; i < 3; i++) h.fireTimer();
  const sent = h.sentRaw.length;
  h.do(op(OP_SETTLE));
  for (let i = 0; i < 3; i++) {
    assert.is(h.last().mti, "0220", "settlement first repeats the refund");
    h.fireTimer();
  }
  assert.is(h.sentRaw.length, sent + 3, "three repeats, no 0500");
  assert.is(h.lastResult().ok, false);
  assert.is(h.lastResult().text, "1 transaction(s) without outcome — contact acquirer before settling");
  assert.is(h.j.batch(), 7);
  assert.is(h.j.txns()[1].state, ST_PENDING);
});

test("STAN increases across operations and power cuts", () => {
  const h = signedIn();
  const stans: number[] = [];
  for (let i = 0; i < 5; i++) { sale(h, 100); stans.push(Number(h.last().fields["11"])); h.answer("00"); h.powerCut(); }
  for (let i = 1; i < stans.length; i++) assert.ok(stans[i] > stans[i - 1]);
});

test("partial reads are reassembled; stray bytes while idle are ignored", () => {
  const h = signedIn();
  const req = sale(h);
  const wire = h.codec.packWire(h.replyTo(req, { "39": "00" }));
  for (const piece of Harness.pieces(wire, 3)) h.run(EV_BYTES, { data: piece });
  assert.is(h.j.txns()[0].state, ST_APPROVED);
  h.run(EV_BYTES, { data: wire });
  assert.ok(h.eng.idle());
  assert.is(h.j.txns()[0].state, ST_APPROVED);
});

test("stale timer ids and events without data do not disturb", () => {
  const h = signedIn();
  sale(h);
  h.run(EV_TIMER, { id: 12345 });
  h.run(EV_BYTES, {});
  assert.is(h.last().mti, "0200");
  h.answer("00");
  assert.is(h.j.txns()[0].state, ST_APPROVED);
  h.run(EV_POWER_UP);
  assert.ok(h.eng.idle());
});

test("journal full: the sale is refused with the journal's message, nothing sent", () => {
  const h = new Harness({ journal: new MemoryJournal({ maxTxnsPerBatch: 1 }) });
  h.signIn();
  sale(h, 100); h.answer("00");
  const before = h.sentRaw.length;
  h.do(op(OP_SALE, { amount_minor: 100, card: CARD }));
  assert.match(h.lastResult().text, /journal full/);
  assert.is(h.sentRaw.length, before);
  assert.is(h.j.pendingReversals().length, 0, "no reversal armed for a request that never left");
  h.run(EV_POWER_UP);
  assert.is(h.sentRaw.length, before, "and no 0400 goes out later");
});

test("an unanswered refund is repeated first, before a later online request", () => {
  const h = signedIn();
  sale(h, 1000);
  h.answer("00");
  const rrn = h.j.txns()[0].rrn;
  h.do(op(OP_REFUND, { amount_minor: 400, card: CARD, origRrn: rrn, origDate: "0101" }));
  const refundStan = h.last().fields["11"];
  for (let i = 0; i < 3; i++) h.fireTimer();
  assert.is(h.j.txns()[1].state, ST_PENDING, "three sends unanswered");
  sale(h, 500);
  assert.is(h.last().mti, "0220", "the refund goes before the sale");
  assert.is(h.last().fields["11"], refundStan);
  h.answer("00");
  assert.is(h.j.txns()[1].state, ST_APPROVED);
  assert.is(h.last().mti, "0200", "then the sale");
  h.answer("00");
  assert.is(h.lastResult().ok, true);
});

test("journal nearly full: the approval says settle soon", () => {
  const h = new Harness({ journal: new MemoryJournal({ maxTxnsPerBatch: 5, warnFillPercent: 60 }) });
  h.signIn();
  for (let i = 0; i < 3; i++) { sale(h, 100); h.answer("00"); }
  assert.match(h.shown[h.shown.length - 1], /journal 60 % full: settle soon/);
});

test("sameSecret compares whole strings", () => {
  assert.ok(sameSecret("123456", "123456"));
  assert.not.ok(sameSecret("12345", "123456"));
  assert.not.ok(sameSecret("1234567", "123456"));
  assert.not.ok(sameSecret("", "123456"));
  assert.not.ok(sameSecret("123457", "123456"));
});

test("fuzzed replies never crash: each ends in a reversal, a repeat or a clear result", () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < 300; i++) {
    const h = signedIn();
    const req = sale(h, 100 + i);
    const wire = h.codec.packWire(h.replyTo(req, { "39": "00" }));
    const n = wire as unknown as Uint8Array;
    const mutated = new Uint8Array(n);
    const flips = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < flips; k++) mutated[Math.floor(rnd() * mutated.length)] = Math.floor(rnd() * 256);
    if (rnd() < 0.3) mutated[0] = 0; // damaged length
    h.run(EV_BYTES, { data: mutated as any });
    if (!h.eng.idle() && h.last().mti === "0200") h.fireTimer();
    const t = h.j.txns()[0];
    const reversing = h.last().mti === "0400";
    assert.ok(reversing || t.state === ST_APPROVED || t.state === ST_DECLINED, "case " + i);
    assert.is(t.kind, KIND_SALE);
  }
});

test.run();
