// The acquirer simulator's reconcile switch (posrt acquirer --reconcile, cli/acquirer/types.ts
// ReconcileMode): how a settlement (0500) is answered, and that a batch upload then closes the
// batch with the totals compared once more.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "path";
import { spawn } from "child_process";
import { AcquirerCore, ReconcileMode } from "../../cli/acquirer/core";
import { TestTerminal } from "../../cli/acquirer/client";
import { buildTotals48, parseTotals48 } from "../../src/acquirer/protocol";
import { IsoMessage } from "../../src/iso8583/index";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const PAN = "6214830000000009";

function setup(reconcile?: ReconcileMode) {
  const core = new AcquirerCore({ seed: 1, reconcile });
  const term = new TestTerminal({ tid: "T0000001", mid: "M00000000000001" });
  term.acceptSignIn(core.handle(term.signIn(), NOW) as Uint8Array);
  return { core, term };
}

function send(core: AcquirerCore, term: TestTerminal, frame: Uint8Array): IsoMessage {
  const { msg, macOk } = term.read(core.handle(frame, NOW) as Uint8Array);
  assert.ok(macOk, `reply MAC for ${msg.mti}`);
  return msg;
}

/** Two sales of 10.00 and 20.00: the fields of each (to upload them) and the totals that agree with them. */
function twoSales(core: AcquirerCore, term: TestTerminal) {
  const items = [1000, 2000].map((amount) => {
    const f = term.saleFields(PAN, amount);
    const m = send(core, term, term.frame("0200", f));
    assert.is(m.fields["39"], "00");
    return { "2": PAN, "4": f["4"], "61": term.batch + m.fields["11"] };
  });
  return { items, totals: buildTotals48({ debit_count: 2, debit_minor: 3000, credit_count: 0, credit_minor: 0 }, "0") };
}

function record(core: AcquirerCore, batch: string) {
  const s = core.book.settlements.find((x) => x.batch === batch);
  return s === undefined ? undefined : { uploads: s.uploads, unknown: s.unknown_uploads, batch_ends: s.batch_ends ?? 0, balanced: s.balanced, closed: s.closed };
}

test("default (totals): agreeing totals settle at once with 00, flag 1; no upload", () => {
  const { core, term } = setup();
  const { totals } = twoSales(core, term);
  const r = send(core, term, term.settlement(totals));
  assert.is(r.fields["39"], "00");
  assert.is(parseTotals48(r.fields["48"]).flag, "1");
  assert.equal(record(core, "000001"), { uploads: 0, unknown: 0, batch_ends: 0, balanced: true, closed: true });
});

test("unbalanced-once: agreeing totals get 95 until the batch is uploaded; the batch end closes it, totals agree; the next batch too", () => {
  const { core, term } = setup("unbalanced-once");
  for (const batch of ["000001", "000002"]) {
    term.batch = batch;
    const { items, totals } = twoSales(core, term);
    const first = send(core, term, term.settlement(totals));
    assert.is(first.fields["39"], "95", "asked for a batch upload though the totals agree");
    assert.is(parseTotals48(first.fields["48"]).flag, "2");
    assert.equal(parseTotals48(first.fields["48"]).totals, { debit_count: 2, debit_minor: 3000, credit_count: 0, credit_minor: 0 }, "the acquirer's own totals");
    assert.is(send(core, term, term.settlement(totals)).fields["39"], "95", "a repeated 0500 before the upload: 95 again");
    assert.is(record(core, batch)?.closed, false);
    for (const it of items) assert.is(send(core, term, term.upload(it, false)).fields["39"], "00");
    assert.is(send(core, term, term.upload({ "48": totals }, true)).fields["39"], "00");
    assert.equal(record(core, batch), { uploads: 2, unknown: 0, batch_ends: 1, balanced: true, closed: true });
    const again = send(core, term, term.settlement(totals));
    assert.is(again.fields["39"], "00", "once uploaded, a 0500 of the batch (its batch-end reply lost) is answered balanced");
  }
  assert.is(core.terminals.get("T0000001")?.batch, "000003", "each batch end moved the batch on");
});

test("unbalanced-once: a batch end whose totals differ from the books closes the batch as not balanced", () => {
  const { core, term } = setup("unbalanced-once");
  const { items } = twoSales(core, term);
  const wrong = buildTotals48({ debit_count: 2, debit_minor: 2999, credit_count: 0, credit_minor: 0 }, "0");
  assert.is(send(core, term, term.settlement(wrong)).fields["39"], "95");
  send(core, term, term.upload(items[0], false));
  assert.is(send(core, term, term.upload({ "48": wrong }, true)).fields["39"], "00");
  assert.equal(record(core, "000001"), { uploads: 1, unknown: 0, batch_ends: 1, balanced: false, closed: true });
  assert.is(send(core, term, term.settlement(wrong)).fields["39"], "95");
});

test("always: every 0500 gets 95, even after the upload closed the batch; never: 00 though the totals differ", () => {
  const a = setup("always");
  const sa = twoSales(a.core, a.term);
  assert.is(send(a.core, a.term, a.term.settlement(sa.totals)).fields["39"], "95");
  for (const it of sa.items) send(a.core, a.term, a.term.upload(it, false));
  send(a.core, a.term, a.term.upload({ "48": sa.totals }, true));
  assert.equal(record(a.core, "000001"), { uploads: 2, unknown: 0, batch_ends: 1, balanced: true, closed: true });
  assert.is(send(a.core, a.term, a.term.settlement(sa.totals)).fields["39"], "95");

  const n = setup("never");
  twoSales(n.core, n.term);
  const wrong = buildTotals48({ debit_count: 1, debit_minor: 1000, credit_count: 0, credit_minor: 0 }, "0");
  const r = send(n.core, n.term, n.term.settlement(wrong));
  assert.is(r.fields["39"], "00");
  assert.is(parseTotals48(r.fields["48"]).flag, "1");
  assert.equal(record(n.core, "000001"), { uploads: 0, unknown: 0, batch_ends: 0, balanced: false, closed: true }, "the record keeps that the totals differed");
});

test("an unknown mode is refused: by the core, and by posrt acquirer with one line", async () => {
  assert.throws(() => new AcquirerCore({ reconcile: "sometimes" as ReconcileMode }), /reconcile mode "sometimes" is not one of totals, unbalanced-once, always, never/);
  const p = spawn(process.execPath, [BIN, "acquirer", "--port", "0", "--host", "127.0.0.1", "--reconcile", "sometimes"]);
  let err = "";
  p.stderr?.on("data", (b: Buffer) => (err += b.toString()));
  const code = await new Promise((r) => p.on("exit", r));
  assert.is(code, 2);
  assert.match(err, /--reconcile must be one of totals, unbalanced-once, always, never, got "sometimes"/);
});

test.run();
