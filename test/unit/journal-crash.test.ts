// Crash tests at `npm test` size (the README has the full sweeps), and mutation checks that
// the checker does catch a journal that breaks its power-safety rules.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CrashOptions, crashtest } from "../../src/sim/journal-crash";
import { FlashJournal } from "../../src/journal/journal";
import { FlashLog } from "../../src/journal/log";
import { Reclaimer } from "../../src/journal/reclaim";

const BASE: CrashOptions = { seed: 1, sector_bytes: 4096, sector_count: 16, page_bytes: 256, maxTxnsPerBatch: 300, maxReversals: 8, ops: 200, mode: "linear", only_cut: -1 };

test("linear: power cut at every program/erase of a 200-operation workload, 0 violations", () => {
  const r = crashtest(BASE);
  assert.equal(r.violations, []);
  assert.ok(r.flash_ops >= 100, `${r.flash_ops} flash operations`);
  assert.is(r.cut_points, r.flash_ops);
  assert.ok(r.recoveries >= r.cut_points);
});

test("log: cuts at 0, 1, 2, 4 … of a 1500-operation workload (reclaims included), 0 violations", () => {
  const r = crashtest({ ...BASE, seed: 2, ops: 1500, mode: "log" });
  assert.equal(r.violations, []);
  assert.ok(r.cut_points >= 10);
});

test("random: seeded torn-write cuts, also during recovery, 0 violations", () => {
  const r = crashtest({ ...BASE, seed: 3, ops: 2500, mode: "random" });
  assert.equal(r.violations, []);
  assert.ok(r.cut_points >= 500, `${r.cut_points} cuts`);
});

test("replay: the same seed and cut point give the same result", () => {
  const a = crashtest({ ...BASE, seed: 4, ops: 300, mode: "random" });
  const b = crashtest({ ...BASE, seed: 4, ops: 300, mode: "random" });
  assert.is(a.cut_points, b.cut_points);
  assert.is(a.last?.flash.ops, b.last?.flash.ops);
  const one = crashtest({ ...BASE, only_cut: 37 });
  assert.is(one.cut_points, 1);
});

type Patch = (p: { [k: string]: unknown }) => void;

function mutated(patch: Patch, o: CrashOptions, cls: { prototype: unknown } = FlashJournal): string[] {
  const proto = cls.prototype as { [k: string]: unknown };
  const saved: { [k: string]: PropertyDescriptor } = {};
  for (const k of Object.getOwnPropertyNames(proto)) saved[k] = Object.getOwnPropertyDescriptor(proto, k) as PropertyDescriptor;
  patch(proto);
  try {
    return crashtest(o).violations;
  } finally {
    for (const k of Object.keys(saved)) Object.defineProperty(proto, k, saved[k]);
  }
}

test("the checker catches a journal that skips the re-program of the last record", () => {
  // A weak last record needs a cut at its program and then bad luck on later reads (more
  // than one bit, or single-bit correction would heal it): seed 17 (of 1..24; also 14, 19, 22,
  // 24) hits it with journal format 3 and the transaction index kept in STAN order (the layout
  // and the order reclaim copies records in decide which seeds do; 17 hit before that change too).
  for (const seed of [17]) {
    const v = mutated((p) => { p.solidifyTail = function () { /* mutation */ }; }, { ...BASE, seed, mode: "random", ops: 4000 }, FlashLog);
    assert.ok(v.length > 0, `seed ${seed}`);
  }
});

test("the checker catches a journal that programs over torn bits after a restart", () => {
  const v = mutated((p) => { p.resumeAfterFiller = function (this: { head: number; headPos: number }, s: number, from: number) { this.head = s; this.headPos = from; }; }, { ...BASE, mode: "random", ops: 2000 }, FlashLog);
  assert.ok(v.length > 0 && /unstable|recovery failed|lost|transactions|damaged|assertion/.test(v[0]), v[0]);
});

test("the checker catches a reclaim that forgets to copy reversals forward", () => {
  const v = mutated((p) => { p.copyRev = function () { /* mutation */ }; }, { ...BASE, ops: 300 }, Reclaimer);
  assert.ok(v.some((s) => /reversal \d+ .*lost/.test(s)), v[0]);
});

test("the checker catches a journal that reuses STANs after a restart", () => {
  const v = mutated((p) => { p.resumeCounters = function (this: { stan: number; stanLeft: number }) { this.stan = 0; this.stanLeft = 0; }; }, { ...BASE, ops: 200 });
  assert.ok(v.some((s) => /STAN \d+ repeats/.test(s)), v[0]);
});

test.run();
