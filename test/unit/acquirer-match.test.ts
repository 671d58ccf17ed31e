// Issue 11, acquirer points 4 and 5: a reversal must match its original on terminal, batch,
// STAN, amount and card; a sign-in (which anyone can send) never locks a terminal out.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AcquirerCore } from "../../cli/acquirer/core";
import { TestTerminal } from "../../cli/acquirer/client";
import { IsoMessage } from "../../src/iso8583/index";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const PAN = "6214830000000009";
const OTHER_PAN = "6225880000000001";
const TMK = "00112233445566778899AABBCCDDEEFF";

function send(core: AcquirerCore, term: TestTerminal, frame: Uint8Array): IsoMessage {
  const r = core.handle(frame, NOW);
  if (r === undefined) throw new Error("no reply");
  return term.read(r).msg;
}

function balanceOf(core: AcquirerCore, pan: string): number {
  return core.accounts().find((a) => a.pan === pan)?.balance_minor as number;
}

test("reversal: a 0400 that differs from its original in amount, card or kind is 25 and moves no money", () => {
  const core = new AcquirerCore({ seed: 1 });
  const term = new TestTerminal({ tid: "T0000001", mid: "M00000000000001", stan: 33 });
  term.acceptSignIn(core.handle(term.signIn(), NOW) as Uint8Array);
  const before = balanceOf(core, PAN);
  const sale = term.sale(PAN, 4100);
  const saleReply = send(core, term, sale);
  assert.is(saleReply.fields["39"], "00");
  const stan = Number(saleReply.fields["11"]);
  // a new 7.77 sale under the same (reused) STAN: the acquirer refuses it (94), and its reversal must not undo 41.00
  term.stan = stan;
  const reused = term.sale(PAN, 777);
  assert.is(send(core, term, reused).fields["39"], "94");
  const wrongAmount = send(core, term, term.reversalOf(reused, "98"));
  assert.is(wrongAmount.fields["39"], "25");
  assert.is(balanceOf(core, PAN), before - 4100, "the 41.00 sale stands");
  term.stan = stan;
  const otherCard = send(core, term, term.reversalOf(term.sale(OTHER_PAN, 4100), "98"));
  assert.is(otherCard.fields["39"], "25", "same amount, other card");
  term.stan = stan;
  const noCard = term.sale(PAN, 4100);
  const stripped = term.reversalOf(noCard, "98");
  const f = term.read(stripped).msg.fields;
  delete f["2"];
  term.stan = stan;
  assert.is(send(core, term, term.frame("0400", f)).fields["39"], "25", "no card at all");
  term.stan = stan;
  const asVoid = term.read(term.voidSale(PAN, 4100, term.batch, "000001")).msg.fields;
  assert.is(send(core, term, term.frame("0400", { ...asVoid, "39": "98" })).fields["39"], "25", "a void's reversal does not undo a sale");
  assert.is(balanceOf(core, PAN), before - 4100, "no mismatch moved money");
  const live = core.book.txns.find((t) => t.kind === "sale" && t.stan === saleReply.fields["11"]);
  assert.equal([live?.approved, live?.reversed], [true, false]);
  // the real reversal (same terminal, batch, STAN, amount, card) undoes it, once
  assert.is(send(core, term, term.reversalOf(sale, "98")).fields["39"], "00");
  assert.is(balanceOf(core, PAN), before);
  assert.is(send(core, term, term.reversalOf(sale, "98")).fields["39"], "00");
  assert.is(balanceOf(core, PAN), before, "a repeated reversal moves nothing");
});

test("reversal of a void must carry the void's amount and card too", () => {
  const core = new AcquirerCore({ seed: 2 });
  const term = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
  term.acceptSignIn(core.handle(term.signIn(), NOW) as Uint8Array);
  const before = balanceOf(core, PAN);
  const sale = send(core, term, term.sale(PAN, 2500));
  const voidReq = term.voidSale(PAN, 2500, term.batch, sale.fields["11"]);
  assert.is(send(core, term, voidReq).fields["39"], "00");
  assert.is(balanceOf(core, PAN), before);
  const f = term.read(term.reversalOf(voidReq, "98")).msg.fields;
  term.stan--;
  assert.is(send(core, term, term.frame("0400", { ...f, "4": "000000002400" })).fields["39"], "25");
  assert.is(balanceOf(core, PAN), before, "void stands");
  assert.is(send(core, term, term.reversalOf(voidReq, "98")).fields["39"], "00");
  assert.is(balanceOf(core, PAN), before - 2500, "the void's reversal restores the sale");
});

test("sign-in: strangers' 0800s for a registered terminal never lock it out; new keys replace old ones only once used", () => {
  const core = new AcquirerCore({ seed: 5, terminals: [{ tid: "T0000001", mid: "M00000000000001", tmk: TMK }] });
  const real = new TestTerminal({ tid: "T0000001", mid: "M00000000000001", tmk_hex: TMK });
  const first = core.handle(real.signIn(), NOW) as Uint8Array;
  assert.is(real.acceptSignIn(first).fields["39"], "00");
  assert.is(send(core, real, real.sale(PAN, 100)).fields["39"], "00");
  const stranger = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" }); // knows the ids, not the master key
  for (let i = 0; i < 20; i++) {
    const r = core.handle(stranger.signIn(i % 2 === 0 ? "003" : "001"), NOW) as Uint8Array;
    assert.throws(() => stranger.acceptSignIn(r), /check value mismatch/, "the keys are sealed under the terminal's own master key");
  }
  const after = real.read(core.handle(real.sale(PAN, 200), NOW) as Uint8Array);
  assert.is(after.msg.fields["39"], "00", "the keys in use still work after 20 strangers' sign-ins");
  assert.ok(after.macOk);
  // the real terminal signs in again; strangers sign in between that and its first use of the new keys
  assert.is(real.acceptSignIn(core.handle(real.signIn(), NOW) as Uint8Array).fields["39"], "00");
  for (let i = 0; i < 5; i++) core.handle(stranger.signIn(), NOW);
  const fresh = real.read(core.handle(real.sale(PAN, 300), NOW) as Uint8Array);
  assert.equal([fresh.msg.fields["39"], fresh.macOk], ["00", true], "the new keys work despite the strangers' sign-ins");
  const oldKeys = new TestTerminal({ tid: "T0000001", mid: "M00000000000001", tmk_hex: TMK, stan: 900 });
  oldKeys.acceptSignIn(first);
  assert.is(oldKeys.read(core.handle(oldKeys.sale(PAN, 400), NOW) as Uint8Array).msg.fields["39"], "A0", "once the new keys were used, the old ones are retired");
});

test.run();
