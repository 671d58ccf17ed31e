import { test } from "uvu";
import * as assert from "uvu/assert";
import { AcquirerCore } from "../../cli/acquirer/core";
import { TestTerminal } from "../../cli/acquirer/client";
import { Ledger } from "../../cli/acquirer/ledger";
import { MAGIC_AMOUNTS, TEST_CARDS, buildTotals48, parseBalance54, parseTotals48 } from "../../src/acquirer/protocol";
import { IsoMessage } from "../../src/iso8583/index";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const PAN = "6214830000000009";

function setup(opts: { seed?: number; terminals?: { tid: string; mid?: string }[] } = {}) {
  const core = new AcquirerCore({ seed: opts.seed ?? 1, terminals: opts.terminals });
  const term = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
  const signed = term.acceptSignIn(core.handle(term.signIn(), NOW) as Uint8Array);
  return { core, term, signed };
}

/** Sends one frame; returns the decoded reply (MAC checked) or undefined for no reply. */
function send(core: AcquirerCore, term: TestTerminal, frame: Uint8Array): IsoMessage | undefined {
  const r = core.handle(frame, NOW);
  if (r === undefined) return undefined;
  const { msg, macOk } = term.read(r);
  if (msg.mti !== "0810" && !["A0", "77", "97"].includes(msg.fields["39"])) assert.ok(macOk, `reply MAC for ${msg.mti} ${msg.fields["39"]}`);
  return msg;
}

function balanceOf(core: AcquirerCore, pan: string): number {
  return core.accounts().find((a) => a.pan === pan)?.balance_minor as number;
}

function assertBooksBalance(book: Ledger): void {
  assert.equal([...book.netByPan()].sort(), [...book.netFromTransactions()].sort(), "money moved equals live transactions");
}

test("sign-in hands out working keys for 60.3 = 001, 003 and 004; restricted mode refuses strangers", () => {
  for (const scheme of ["001", "003", "004"]) {
    const core = new AcquirerCore({ seed: 3 });
    const term = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
    const m = term.acceptSignIn(core.handle(term.signIn(scheme), NOW) as Uint8Array);
    assert.is(m.fields["39"], "00");
    assert.is(term.sm.keyScheme(), scheme);
    assert.is(send(core, term, term.sale(PAN, 100))?.fields["39"], "00");
  }
  const core = new AcquirerCore({ seed: 3, terminals: [{ tid: "T0000001", mid: "M00000000000001" }] });
  const stranger = new TestTerminal({ tid: "T0000002", mid: "M00000000000001" });
  assert.is(stranger.read(core.handle(stranger.signIn(), NOW) as Uint8Array).msg.fields["39"], "97");
  const known = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
  assert.is(known.acceptSignIn(core.handle(known.signIn(), NOW) as Uint8Array).fields["39"], "00");
});

test("a registered terminal with its own master key gets keys only it can open", () => {
  const tmk = "00112233445566778899AABBCCDDEEFF";
  const core = new AcquirerCore({ seed: 4, terminals: [{ tid: "T0000001", mid: "M00000000000001", tmk }] });
  const own = new TestTerminal({ tid: "T0000001", mid: "M00000000000001", tmk_hex: tmk });
  const reply = core.handle(own.signIn(), NOW) as Uint8Array;
  assert.is(own.acceptSignIn(reply).fields["39"], "00");
  assert.is(send(core, own, own.sale(PAN, 100))?.fields["39"], "00");
  const withTestKey = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
  assert.throws(() => withTestKey.acceptSignIn(reply), /check value mismatch/);
  assert.is(send(core, own, own.frame("0200", { "3": "000000", "60": "22000001000" }))?.fields["39"], "30", "a MAC-verified format error is MAC'd");
});

test("every magic amount gives its documented answer, and money moves only when approved", () => {
  for (const magic of MAGIC_AMOUNTS) {
    const { core, term } = setup();
    const before = balanceOf(core, PAN);
    const amount = 1200 + magic.cents;
    const r = core.handle(term.sale(PAN, amount), NOW);
    if (magic.effect === "no_reply") assert.is(r, undefined, magic.label);
    else {
      const { msg, macOk } = term.read(r as Uint8Array);
      assert.is(msg.fields["39"], magic.rc, magic.label);
      assert.is(macOk, magic.effect !== "bad_mac", `MAC ${magic.label}`);
      if (magic.effect === "wrong_stan") assert.is.not(msg.fields["11"], "000002");
      else assert.is(msg.fields["11"], "000002");
    }
    assert.is(balanceOf(core, PAN), magic.rc === "00" ? before - amount : before, magic.label);
    assertBooksBalance(core.book);
  }
});

test("test cards: empty, expired, do-not-honour, wrong PIN, low balance, invalid PAN", () => {
  const { core, term } = setup();
  const rc = (pan: string, amount: number) => send(core, term, term.sale(pan, amount))?.fields["39"];
  assert.is(rc(TEST_CARDS[2].pan, 100), "51");
  assert.is(rc(TEST_CARDS[3].pan, 100), "54");
  assert.is(rc(TEST_CARDS[4].pan, 100), "05");
  assert.is(rc(TEST_CARDS[5].pan, 100), "55");
  assert.is(rc(TEST_CARDS[6].pan, 5000), "00");
  assert.is(rc(TEST_CARDS[6].pan, 1), "51");
  assert.is(rc("6214830000000001", 100), "14", "fails Luhn");
  assert.is(rc("4000000000000002", 100), "00", "other Luhn-valid PAN opens an account");
  const bal = send(core, term, term.balance(PAN));
  assert.is(parseBalance54(bal?.fields["54"] as string).balance_minor, balanceOf(core, PAN));
});

test("a repeated STAN is 94 and moves no money", () => {
  const { core, term } = setup();
  const frame = term.sale(PAN, 1000);
  const before = balanceOf(core, PAN);
  assert.is(send(core, term, frame)?.fields["39"], "00");
  assert.is(send(core, term, frame)?.fields["39"], "94");
  assert.is(balanceOf(core, PAN), before - 1000);
});

test("reversal is idempotent: unknown → 25, first → 00 and money back, repeat → 00 and nothing moves", () => {
  const { core, term } = setup();
  const before = balanceOf(core, PAN);
  const sale = term.sale(PAN, 4242);
  assert.is(send(core, term, sale)?.fields["39"], "00");
  const rev = term.reversalOf(sale, "98");
  for (let i = 0; i < 3; i++) {
    const m = send(core, term, rev);
    assert.is(m?.mti, "0410");
    assert.is(m?.fields["39"], "00");
    assert.is(balanceOf(core, PAN), before, `after reversal ${i}`);
  }
  const lost = term.sale(PAN, 777); // never reached the acquirer
  assert.is(send(core, term, term.reversalOf(lost, "98"))?.fields["39"], "25");
  assert.is(send(core, term, lost)?.fields["39"], "94", "the original arriving after its reversal is refused");
  assert.is(balanceOf(core, PAN), before);
  assertBooksBalance(core.book);
});

test("void: same batch, full amount, once; its reversal restores the sale", () => {
  const { core, term } = setup();
  const before = balanceOf(core, PAN);
  const saleFrame = term.sale(PAN, 5000);
  const sale = send(core, term, saleFrame) as IsoMessage;
  assert.is(send(core, term, term.voidSale(PAN, 4999, term.batch, sale.fields["11"]))?.fields["39"], "64", "partial void");
  const voidFrame = term.voidSale(PAN, 5000, term.batch, sale.fields["11"]);
  assert.is(send(core, term, voidFrame)?.fields["39"], "00");
  assert.is(balanceOf(core, PAN), before);
  assert.is(send(core, term, term.voidSale(PAN, 5000, term.batch, sale.fields["11"]))?.fields["39"], "12", "voided twice");
  assert.is(send(core, term, term.voidSale(PAN, 5000, term.batch, "999999"))?.fields["39"], "25");
  assert.is(send(core, term, term.reversalOf(voidFrame, "98"))?.fields["39"], "00");
  assert.is(balanceOf(core, PAN), before - 5000, "void reversed: sale stands again");
  assertBooksBalance(core.book);
});

test("refund: partial and repeated up to the original amount, by RRN", () => {
  const { core, term } = setup();
  const before = balanceOf(core, PAN);
  const sale = send(core, term, term.sale(PAN, 10000)) as IsoMessage;
  const rrn = sale.fields["37"];
  const r1 = send(core, term, term.refund(PAN, 3000, rrn, sale.fields["13"]));
  assert.is(r1?.mti, "0230");
  assert.is(r1?.fields["39"], "00");
  assert.is(send(core, term, term.refund(PAN, 7000, rrn, sale.fields["13"]))?.fields["39"], "00");
  assert.is(send(core, term, term.refund(PAN, 1, rrn, sale.fields["13"]))?.fields["39"], "13", "over the original");
  assert.is(send(core, term, term.refund(PAN, 1, "000000999999", "1126"))?.fields["39"], "25");
  assert.is(balanceOf(core, PAN), before);
  assertBooksBalance(core.book);
});

test("refund repeated with the same trace gets the first answer again; money moves once", () => {
  const { core, term } = setup();
  const before = balanceOf(core, PAN);
  const sale = send(core, term, term.sale(PAN, 10000)) as IsoMessage;
  const stan = term.stan;
  const first = send(core, term, term.refund(PAN, 2500, sale.fields["37"], sale.fields["13"])) as IsoMessage;
  term.stan = stan;
  const again = send(core, term, term.refund(PAN, 2500, sale.fields["37"], sale.fields["13"])) as IsoMessage;
  assert.is(again.fields["39"], "00");
  assert.is(again.fields["37"], first.fields["37"], "same RRN");
  assert.is(again.fields["38"], first.fields["38"], "same auth code");
  assert.is(balanceOf(core, PAN), before - 10000 + 2500, "the refund moved money once");
  term.stan = stan;
  const other = send(core, term, term.refund(PAN, 100, sale.fields["37"], sale.fields["13"])) as IsoMessage;
  assert.is(other.fields["39"], "94", "a different refund under a used trace is a duplicate");
  assertBooksBalance(core.book);
});

test("settlement: equal totals → 00 and the batch advances; a mismatch → 95, upload, batch end", () => {
  const { core, term } = setup();
  const s1 = send(core, term, term.sale(PAN, 1000)) as IsoMessage;
  send(core, term, term.sale(PAN, 2000));
  send(core, term, term.refund(PAN, 500, s1.fields["37"], s1.fields["13"]));
  const good = buildTotals48({ debit_count: 2, debit_minor: 3000, credit_count: 1, credit_minor: 500 }, "0");
  const r = send(core, term, term.settlement(good)) as IsoMessage;
  assert.is(r.fields["39"], "00");
  assert.is(parseTotals48(r.fields["48"]).flag, "1");
  assert.is(core.terminals.get("T0000001")?.batch, "000002");

  term.batch = "000002";
  const sale = term.saleFields(PAN, 700);
  const saleMsg = send(core, term, term.frame("0200", sale)) as IsoMessage;
  const wrong = buildTotals48({ debit_count: 2, debit_minor: 1400, credit_count: 0, credit_minor: 0 }, "0");
  const m = send(core, term, term.settlement(wrong)) as IsoMessage;
  assert.is(m.fields["39"], "95");
  assert.equal(parseTotals48(m.fields["48"]).totals, { debit_count: 1, debit_minor: 700, credit_count: 0, credit_minor: 0 });
  assert.is(send(core, term, term.upload({ "2": PAN, "4": sale["4"], "61": "000002" + saleMsg.fields["11"] }, false))?.fields["39"], "00");
  assert.is(send(core, term, term.upload({ "2": PAN, "4": sale["4"], "61": "000002123456" }, false))?.fields["39"], "00");
  assert.is(send(core, term, term.upload({}, true))?.fields["39"], "00");
  const rec = core.book.settlements.find((x) => x.batch === "000002");
  assert.equal({ uploads: rec?.uploads, unknown: rec?.unknown_uploads, closed: rec?.closed }, { uploads: 2, unknown: 1, closed: true });
  assert.is(core.terminals.get("T0000001")?.batch, "000003");
});

test("MAC: a bad request MAC is A0 with no money moved; a terminal that never signed in gets 77 (97 when restricted)", () => {
  const { core, term, signed } = setup();
  const before = balanceOf(core, PAN);
  const frame = term.sale(PAN, 1000);
  frame[frame.length - 1] ^= 0x01;
  assert.is(send(core, term, frame)?.fields["39"], "A0");
  assert.is(balanceOf(core, PAN), before);
  const stranger = new TestTerminal({ tid: "T0000009", mid: "M00000000000001" });
  stranger.sm.installWorkingKeys(Buffer.from(signed.fields["62"], "hex") as never); // keys it was never given
  assert.is(stranger.read(core.handle(stranger.sale(PAN, 1), NOW) as Uint8Array).msg.fields["39"], "77");
  const strict = setup({ terminals: [{ tid: "T0000001" }] });
  assert.is(stranger.read(strict.core.handle(stranger.sale(PAN, 1), NOW) as Uint8Array).msg.fields["39"], "97");
  assert.is(balanceOf(core, PAN), before);
});

test("snapshot and restore: a restored core continues exactly like the original", () => {
  const a = setup({ seed: 9 });
  send(a.core, a.term, a.term.sale(PAN, 1234));
  const restored = new AcquirerCore({ seed: 1, state: a.core.snapshot() });
  const next = a.term.sale(PAN, 4321);
  const r1 = a.core.handle(next, NOW) as Uint8Array;
  const r2 = restored.handle(next, NOW) as Uint8Array;
  assert.is(Buffer.from(r2).toString("hex"), Buffer.from(r1).toString("hex"));
  assert.equal(restored.accounts(), a.core.accounts());
});

test.run();
