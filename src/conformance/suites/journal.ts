// Suite journal.trace: a list of operations run on the journal over a small emulated NOR flash
// (power cuts and restarts included); out is the CRC-32 of the final flash image and the
// number of records recovery finds. Node, es5 and lua must produce the same image bit for bit.
// Ops: any workload operation ("stan", "begin", "arm", "approve", …), "random N" (N seeded
// operations), "cut K" (power is cut at the K-th next program/erase; the run recovers and
// checks when it fires) and "reopen" (restart and check without a cut).
import { Suite } from "../suite";
import { crc32 } from "../../bytes/index";
import { fail } from "../../errors";
import { OPS, Workload, isPowerCut, newWorkload, randomStep, runOp } from "../../sim/journal-workload";
import { CHECK_OK, recoverAndCheck } from "../../sim/journal-check";
import { openJournal } from "../../journal/recover";

/** Trace geometry: 8 sectors of 1 KB, 128-byte pages; small so es5 and lua stay fast. */
export const TRACE_GEOMETRY = { sector_bytes: 1024, sector_count: 8, page_bytes: 128, maxTxnsPerBatch: 20, maxReversals: 4 };
/** Most operations one trace may run (a "random N" counts N). */
export const MAX_TRACE_OPS = 2000;

interface TraceInput {
  seed: number;
  ops: string[];
}

function asTrace(input: unknown): TraceInput {
  const o = input as { [k: string]: unknown };
  if (typeof o !== "object" || typeof o.seed !== "number" || typeof o.ops !== "object") fail("journal.trace", "input needs {\"seed\": number, \"ops\": [string…]}");
  const ops = o.ops as unknown[];
  const out: string[] = [];
  for (let i = 0; i < ops.length; i++) {
    if (typeof ops[i] !== "string") fail("journal.trace", "op " + i + " is not a string");
    out.push(ops[i] as string);
  }
  return { seed: o.seed as number, ops: out };
}

/** The number after "name " in an op such as "cut 3". */
function argOf(op: string, name: string): number {
  const digits = op.substring(name.length + 1);
  let n = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57 || n > MAX_TRACE_OPS) fail("journal.trace", "bad count in \"" + op + "\"");
    n = n * 10 + (c - 48);
  }
  if (digits.length === 0 || n > MAX_TRACE_OPS) fail("journal.trace", "bad count in \"" + op + "\"");
  return n;
}

function restart(w: Workload, where: string): void {
  w.flash.powerOn();
  if (recoverAndCheck(w, where) !== CHECK_OK) fail("journal.trace", w.violations.join("; "));
}

/** Runs one named op; a power cut inside it is recovered from (and checked) at once. */
function step(w: Workload, op: string, at: number): number {
  let count = 1;
  try {
    if (op.substring(0, 7) === "random ") {
      count = argOf(op, "random");
      for (let i = 0; i < count; i++) randomStep(w);
    } else if (op.substring(0, 4) === "cut ") {
      w.flash.cut_at = w.flash.ops + argOf(op, "cut");
    } else if (op === "reopen") {
      restart(w, "op " + at);
    } else {
      if (OPS.indexOf(op) < 0) fail("journal.trace", "unknown op \"" + op + "\" at " + at);
      runOp(w, op);
    }
  } catch (e) {
    if (!isPowerCut(e)) throw e;
    restart(w, "cut in op " + at);
  }
  return count;
}

function runTrace(input: unknown): unknown {
  const t = asTrace(input);
  const w = newWorkload({ seed: t.seed, sector_bytes: TRACE_GEOMETRY.sector_bytes, sector_count: TRACE_GEOMETRY.sector_count, page_bytes: TRACE_GEOMETRY.page_bytes, maxTxnsPerBatch: TRACE_GEOMETRY.maxTxnsPerBatch, maxReversals: TRACE_GEOMETRY.maxReversals });
  let total = 0;
  for (let i = 0; i < t.ops.length; i++) {
    total += step(w, t.ops[i], i);
    if (total > MAX_TRACE_OPS) fail("journal.trace", "more than " + MAX_TRACE_OPS + " operations");
  }
  w.flash.cut_at = -1;
  const image = w.flash.image();
  const crc = crc32(image);
  const j = openJournal(w.flash, { maxTxnsPerBatch: w.cfg.maxTxnsPerBatch, maxReversals: w.cfg.maxReversals, warnFillPercent: 80, read_only: true });
  return { crc32: crc, records: j.report.records };
}

export const JOURNAL_SUITES: Suite[] = [{ name: "journal.trace", run: runTrace }];
