import { test } from "uvu";
import * as assert from "uvu/assert";
import { runSim, SIM_CONFIG } from "../../cli/sim/run";
import { makeSetup } from "../../cli/sim/setup";
import { replayTrace, TraceItem } from "../../src/txn/replay";
import { World } from "../../cli/sim/world";
import { DemoDay } from "../../cli/demo/day";
import { EV_OP, OP_SALE, OP_SIGNIN, OP_SETTLE } from "../../src/txn/types";
import { ST_REVERSED } from "../../src/journal/api";

test("a seed replays exactly (report and every byte sent)", () => {
  const a = runSim({ seed: 7, ops: 120, faults: "all", trace: false });
  const b = runSim({ seed: 7, ops: 120, faults: "all", trace: false });
  assert.equal(a.report, b.report);
  assert.equal(a.sent, b.sent);
  assert.ok(a.report.power_cuts > 0 && a.report.net_faults > 0, "the seed exercises faults");
  const c = runSim({ seed: 8, ops: 120, faults: "all", trace: false });
  assert.not.equal(a.sent, c.sent);
});

test("without faults: no reversals, no cuts, money agrees", () => {
  const r = runSim({ seed: 3, ops: 150, faults: "none", trace: false }).report;
  assert.is(r.power_cuts, 0);
  assert.is(r.net_faults, 0);
  assert.is(r.discrepancies, 0);
  assert.is(r.violations, 0);
  assert.ok(r.approved > 50);
});

test("the recorded trace replays to the same bytes through a fresh core", () => {
  const out = runSim({ seed: 11, ops: 80, faults: "net-power", trace: true });
  const setup = makeSetup(11, SIM_CONFIG);
  const items = out.trace.map((l) => JSON.parse(l) as TraceItem);
  const r = replayTrace({
    open: () => setup.store.open(), armCut: (n) => { setup.store.armCut(n); }, dead: () => setup.store.cutHappened(),
    imageCrc: () => 0, security: setup.terminalSecurity, codec: setup.codec, config: SIM_CONFIG,
  }, items);
  assert.equal(r.sent, out.sent);
  assert.is(r.crashes, 0);
});

test("sweep of seeds: zero discrepancies and violations", () => {
  for (let seed = 100; seed < 110; seed++) {
    const r = runSim({ seed, ops: 100, faults: "all", trace: false }).report;
    assert.is(r.discrepancies, 0, "seed " + seed);
    assert.is(r.violations, 0, "seed " + seed);
  }
});




function world(seed: number): { w: World; setup: ReturnType<typeof makeSetup> } {
  const setup = makeSetup(seed, SIM_CONFIG);
  const w = new World({ seed, faults: "none", config: SIM_CONFIG, codec: setup.codec, security: setup.terminalSecurity, acquirer: setup.acquirer, store: setup.store, trace: false });
  return { w, setup };
}

const blank = { amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };

test("against the real acquirer: magic .97 (bad MAC → A0), .98 (no reply → 98), .99 (wrong STAN → 06) are all reversed", () => {
  const { w, setup } = world(5);
  w.step({ ...blank, op: OP_SIGNIN });
  const reasons: string[] = [];
  w.onEffect = (e) => {
    if (e.k !== 1) return;
    const m = setup.codec.unpackWire(e.b as never);
    if (m.mti === "0400") reasons.push(m.fields["39"]);
  };
  for (const cents of [97, 98, 99]) w.step({ ...blank, op: OP_SALE, amount_minor: 1000 + cents, card });
  assert.equal(reasons, ["A0", "98", "06"]);
  for (const t of w.journal.txns()) assert.is(t.state, ST_REVERSED);
  assert.equal(setup.ledger.netByCard(), {}, "the acquirer's money is back where it was");
  w.step({ ...blank, op: OP_SETTLE });
  assert.ok(w.results[w.results.length - 1].ok);
});
function sent(w: World, setup: ReturnType<typeof makeSetup>): string[] {
  return w.sent.map((hex) => {
    const m = setup.codec.unpackWire(Uint8Array.from(Buffer.from(hex, "hex")) as never);
    return m.mti + (m.fields["39"] !== undefined ? "/" + m.fields["39"] : "");
  });
}

test("NOR-flash journal: power lost after the 0200 left, before its reply — 0400 (98) at power-up", () => {
  const { w, setup } = world(9);
  w.step({ ...blank, op: OP_SIGNIN });
  w.feed({ k: EV_OP, t_ms: w.t_ms, op: { ...blank, op: OP_SALE, amount_minor: 2500, card } });
  assert.equal(sent(w, setup), ["0800", "0200"]);
  w.runOne(); // the request reaches the acquirer: approved there, the reply is on its way
  w.powerCut("test: after the request left");
  for (let i = 0; i < 10 && w.busy(); i++) w.runOne();
  assert.equal(sent(w, setup), ["0800", "0200", "0400/98"]);
  assert.is(w.journal.txns()[0].state, ST_REVERSED);
  assert.equal(setup.ledger.netByCard(), {});
});

test("NOR-flash journal: a torn write at every point of an approval never loses the sale's money", () => {
  for (let nth = 1; nth <= 8; nth++) {
    const { w, setup } = world(20 + nth);
    w.step({ ...blank, op: OP_SIGNIN });
    setup.store.armCut(nth);
    w.step({ ...blank, op: OP_SALE, amount_minor: 3100, card });
    for (let i = 0; i < 20 && w.busy(); i++) w.runOne();
    for (let k = 0; k < 2 && !w.results.some((r) => r.op === OP_SETTLE && r.ok); k++) w.step({ ...blank, op: OP_SETTLE });
    const t = w.journal.txns();
    assert.ok(w.results.some((r) => r.op === OP_SETTLE && r.ok), `cut at write ${nth}: settled`);
    const net = setup.ledger.netByCard()["6214830000000009"] ?? 0;
    assert.ok(net === 0 || net === 3100, `cut at write ${nth}: net ${net}`);
    if (w.results.some((r) => r.op === OP_SALE && r.ok)) assert.is(net, 3100, `cut at write ${nth}: shown approved, so charged`);
    else assert.is(net, 0, `cut at write ${nth}: not shown approved, so not charged`);
    assert.is(t.length, 0, "batch closed");
    assert.ok(w.counters.power_cuts <= 1);
  }
});

test("the demo day runs and shows what it promises (masked receipts, reversals, void, refund, settlement)", () => {
  const lines: string[] = [];
  new DemoDay((l) => lines.push(l)).run();
  const text = lines.join("\n");
  assert.match(text, /scripted demo/);
  assert.match(text, /→ 0400 trace \d{6} reason 98/);
  assert.match(text, /│ VOID/);
  assert.match(text, /│ REFUND/);
  assert.match(text, /settled — totals agree/);
  assert.match(text, /621483\*\*\*\*\*\*0009/);
  assert.not.match(text, /6214830000000009/);
  assert.match(text, /charged 40\.00 net/);
});

test.run();
