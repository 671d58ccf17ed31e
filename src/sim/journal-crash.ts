// Crash testing the journal: run the seeded workload and cut power at every program/erase
// operation (linear), at operations 0, 1, 2, 4, 8, … (log), or at seeded random points many
// times in one long run (random). After each cut: recover and check (journal-check.ts).
// The same options replay the same cuts, torn bits included.
import { errorText } from "../errors";
import { Prng, nextBelow, prng } from "./prng";
import { Workload, WorkloadOptions, isPowerCut, newWorkload, randomStep } from "./journal-workload";
import { CHECK_CUT, CHECK_OK, recoverAndCheck } from "./journal-check";

export const MODE_LINEAR = "linear";
export const MODE_LOG = "log";
export const MODE_RANDOM = "random";
/** Operations run after a recovery before the journal is reopened once more and checked again. */
export const AFTER_CUT_OPS = 6;
/** Random mode: the next cut comes within this many program/erase operations. */
export const RANDOM_CUT_GAP = 8;
/** Random mode: most cuts in a row during one recovery. */
export const MAX_RECOVERY_CUTS = 4;
/** Bound on workload length. */
export const MAX_OPS = 1000000;

export interface CrashOptions extends WorkloadOptions {
  ops: number;
  mode: string;
  /** Linear/log: run only this cut point (replay); -1 for all. */
  only_cut: number;
  /** Called after each cut point (done, total; total is ops in random mode), for progress lines. */
  onProgress?: (this: void, done: number, total: number) => void;
}

export interface CrashResult {
  seed: number;
  mode: string;
  /** Program/erase operations the uncut workload performs (linear/log). */
  flash_ops: number;
  cut_points: number;
  recoveries: number;
  violations: string[];
  /** Final workload, for images and figures. */
  last?: Workload;
}

/** Runs the crash test described by `o`. */
export function crashtest(o: CrashOptions): CrashResult {
  if (o.ops < 1 || o.ops > MAX_OPS) return { seed: o.seed, mode: o.mode, flash_ops: 0, cut_points: 0, recoveries: 0, violations: ["ops must be 1.." + MAX_OPS] };
  if (o.mode === MODE_RANDOM) return randomRun(o);
  const clean = newWorkload(o);
  const problem = runOps(clean, o.ops, "seed " + o.seed + " (no cut)");
  const res: CrashResult = { seed: o.seed, mode: o.mode, flash_ops: clean.flash.ops, cut_points: 0, recoveries: 0, violations: [], last: clean };
  if (problem !== "") res.violations.push(problem);
  const points = cutPoints(o, clean.flash.ops);
  for (let i = 0; i < points.length; i++) {
    res.cut_points++;
    const w = runWithCut(o, points[i], res);
    res.last = w;
    if (o.onProgress !== undefined) o.onProgress(i + 1, points.length);
    if (res.violations.length > 0) break;
  }
  return res;
}

function cutPoints(o: CrashOptions, total: number): number[] {
  const out: number[] = [];
  if (o.only_cut >= 0) {
    out.push(o.only_cut);
    return out;
  }
  if (o.mode === MODE_LINEAR) {
    for (let k = 0; k < total; k++) out.push(k);
    return out;
  }
  out.push(0);
  for (let k = 1; k < total; k = k * 2) out.push(k);
  return out;
}

/** Runs up to `n` operations; "" or the reason a non-power error stopped them. Power cuts propagate. */
function runOps(w: Workload, n: number, where: string): string {
  for (let i = 0; i < n; i++) {
    try {
      randomStep(w);
    } catch (e) {
      if (isPowerCut(e)) throw e;
      return where + ": operation " + i + " failed: " + errorText(e);
    }
  }
  return "";
}

function record(res: CrashResult, w: Workload): void {
  for (let i = 0; i < w.violations.length; i++) res.violations.push(w.violations[i]);
}

/** One run of the workload with power cut at flash operation `k`, then recovery, more work and a second check. */
function runWithCut(o: CrashOptions, k: number, res: CrashResult): Workload {
  const w = newWorkload(o);
  const where = "seed " + o.seed + " mode " + o.mode + " cut " + k;
  w.flash.cut_at = k;
  let cut = false;
  try {
    const p = runOps(w, o.ops, where);
    if (p !== "") res.violations.push(p);
  } catch (e) {
    cut = true;
  }
  if (!cut) return w;
  res.recoveries++;
  w.flash.powerOn();
  if (recoverAndCheck(w, where) === CHECK_OK) {
    const p = runOps(w, AFTER_CUT_OPS, where + " (after recovery)");
    if (p !== "") res.violations.push(p);
    res.recoveries++;
    recoverAndCheck(w, where + " (reopened)");
  }
  record(res, w);
  return w;
}

const STEP_OK = 0;
const STEP_CUT = 1;
const STEP_FAILED = 2;

/** One workload step: STEP_OK, STEP_CUT (power was cut) or STEP_FAILED (violation recorded). */
function stepOrCut(w: Workload, where: string): number {
  try {
    randomStep(w);
  } catch (e) {
    if (isPowerCut(e)) return STEP_CUT;
    w.violations.push(where + ": " + errorText(e));
    return STEP_FAILED;
  }
  return STEP_OK;
}

function scheduleCut(w: Workload, rng: Prng): void {
  w.flash.cut_at = w.flash.ops + nextBelow(rng, RANDOM_CUT_GAP);
}

/** Recovers after a cut; one time in four the power is cut again during recovery. Returns false on a violation. */
function recoverUnderCuts(w: Workload, rng: Prng, res: CrashResult, where: string): boolean {
  for (let round = 0; round < MAX_RECOVERY_CUTS; round++) {
    res.recoveries++;
    w.flash.powerOn();
    if (round + 1 < MAX_RECOVERY_CUTS && nextBelow(rng, 4) === 0) w.flash.cut_at = w.flash.ops + nextBelow(rng, RANDOM_CUT_GAP);
    const status = recoverAndCheck(w, where + " recovery " + round);
    if (status !== CHECK_CUT) return status === CHECK_OK;
    res.cut_points++;
  }
  return false;
}

/** One long run: a cut every few flash operations (also during recovery), recovery and checks each time. */
function randomRun(o: CrashOptions): CrashResult {
  const w = newWorkload(o);
  const rng = prng((o.seed ^ 0x5a5a5a5a) >>> 0);
  const res: CrashResult = { seed: o.seed, mode: o.mode, flash_ops: 0, cut_points: 0, recoveries: 0, violations: [], last: w };
  scheduleCut(w, rng);
  for (let i = 0; i < o.ops && w.violations.length === 0; i++) {
    const step = stepOrCut(w, "seed " + o.seed + " mode random op " + i);
    if (o.onProgress !== undefined) o.onProgress(i + 1, o.ops);
    if (step === STEP_FAILED) break;
    if (step === STEP_CUT) {
      res.cut_points++;
      if (!recoverUnderCuts(w, rng, res, "seed " + o.seed + " mode random cut " + res.cut_points + " (flash op " + w.flash.ops + ")")) break;
      scheduleCut(w, rng);
    }
  }
  w.flash.cut_at = -1;
  res.flash_ops = w.flash.ops;
  record(res, w);
  return res;
}
