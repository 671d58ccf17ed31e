import { test } from "uvu";
import * as assert from "uvu/assert";
import { runSim, SIM_CONFIG } from "../../cli/sim/run";
import { makeSetup } from "../../cli/sim/setup";
import { replayTrace, TraceItem } from "../../src/txn/replay";

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
  const out = runSim({ seed: 11, ops: 80, faults: "all", trace: true });
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

test.run();
