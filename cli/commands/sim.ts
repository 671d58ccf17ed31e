import { Command } from "./command";
import { UsageError, exclusive, flagBool, flagChoice, flagInt, flagString, parseArgs, parseIntArg } from "../args";
import { Progress } from "../progress";
import { MAX_JOBS, defaultJobs, failed, runSweep } from "../sim/sweep";
import { FAULT_MODES } from "../sim/world";
import { SimReport, runSim } from "../sim/run";
import { writeTraceFile } from "../sim/trace-file";

const USAGE = `usage: posrt sim [--seed N | --seeds A..B [--jobs J]] [--ops K] [--faults none|net|power|storage|net-power|all] [--json] [--trace FILE]

Deterministic simulation of the terminal core (engine + journal) against an in-process
acquirer, on a virtual clock, with seeded operator actions, network faults, power cuts and
storage faults (while off: a flipped bit in a live record, transient read errors, a bad or
worn sector; each must be reported by the journal and none may lose data).
Checks after every step and at the end: money per card (acquirer net = terminal approved),
nothing approved at the terminal reversed at the acquirer, nothing approved at the acquirer
unknown after recovery, settlement totals, STAN never reused, reversal queue bound, RAM.
A seed replays exactly. --seeds runs a sweep and prints a summary (exit 1 on any failure), on
J worker threads (default: one per core; the result is the same as with --jobs 1).
--trace writes one seed's events (not with --seeds), one JSON line each: PANs masked, track
data, PIN blocks and keys left out, mode 0600. Seeds are 0..${"4294967295"}, K is 1..${"1000000"}.
Defaults: --seed 1 --ops 200 --faults all.`;

const KEYS: (keyof SimReport)[] = ["seed", "operations", "approved", "declined", "reversals_sent", "reversals_failed", "power_cuts", "net_faults", "storage_faults", "discrepancies", "violations"];
/** Most seeds one sweep may run. */
export const MAX_SWEEP_SEEDS = 1000000;
/** Seeds are 32-bit (the simulation's PRNG state). */
export const MAX_SEED = 0xffffffff;
/** Most operations per seed. */
export const MAX_OPS = 1000000;

function parseRange(s: string): [number, number] {
  const m = /^(\d+)\.\.(\d+)$/.exec(s);
  if (!m) throw new UsageError(`--seeds must look like A..B, got "${s}"`);
  const a = parseIntArg("--seeds start", m[1], { max: MAX_SEED });
  const b = parseIntArg("--seeds end", m[2], { max: MAX_SEED });
  if (b < a || b - a + 1 > MAX_SWEEP_SEEDS) throw new UsageError(`--seeds ${s}: need A <= B and at most ${MAX_SWEEP_SEEDS} seeds`);
  return [a, b];
}

async function sweep(range: [number, number], ops: number, faults: string, json: boolean, jobs: number): Promise<number> {
  const t0 = Date.now();
  const sum: { [k: string]: number } = {};
  const failing: number[] = [];
  const total = range[1] - range[0] + 1;
  const bar = new Progress(`sim sweep (${Math.min(jobs, total)} threads)`, total);
  const reports = await runSweep({ first: range[0], last: range[1], ops, faults, jobs, onSeed: (done, bad) => bar.tick(done, `${bad} failing`) });
  bar.end();
  for (const r of reports) {
    for (const k of KEYS) if (k !== "seed") sum[k] = (sum[k] ?? 0) + r[k];
    if (failed(r)) failing.push(r.seed);
  }
  const seconds = (Date.now() - t0) / 1000;
  const out = { seeds: range[1] - range[0] + 1, ops_per_seed: ops, faults, ...sum, failing_seeds: failing.slice(0, 50), seconds: Number(seconds.toFixed(1)) };
  if (json) console.log(JSON.stringify(out, null, 2));
  else {
    console.log(`sim sweep: seeds ${range[0]}..${range[1]} × ${ops} ops, faults ${faults}: ${failing.length} failing seed(s) in ${seconds.toFixed(1)} s`);
    for (const k of Object.keys(sum)) console.log(`  ${k.padEnd(18)} ${sum[k]}`);
    if (failing.length > 0) console.log(`  failing seeds: ${failing.slice(0, 50).join(", ")}  (replay: posrt sim --seed N --ops ${ops} --faults ${faults})`);
  }
  return failing.length > 0 ? 1 : 0;
}

export const sim: Command = {
  name: "sim",
  summary: "deterministic simulation: terminal core vs in-process acquirer, network faults, power cuts",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--seed", "--seeds", "--ops", "--faults", "--trace", "--jobs"], booleans: ["--json"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    exclusive(p, ["--seed", "--seeds"]);
    exclusive(p, ["--seeds", "--trace"]);
    const faults = flagChoice(p, "--faults", FAULT_MODES, "all");
    const ops = flagInt(p, "--ops", 200, { min: 1, max: MAX_OPS });
    const json = flagBool(p, "--json");
    const seeds = flagString(p, "--seeds", "");
    const jobs = flagInt(p, "--jobs", defaultJobs(), { min: 1, max: MAX_JOBS });
    if (seeds !== "") return sweep(parseRange(seeds), ops, faults, json, jobs);
    if (p.flags["--jobs"] !== undefined) throw new UsageError("--jobs only applies to a sweep (--seeds)");
    const traceFile = flagString(p, "--trace", "");
    const out = runSim({ seed: flagInt(p, "--seed", 1, { max: MAX_SEED }), ops, faults, trace: traceFile !== "" });
    if (traceFile !== "") writeTraceFile(traceFile, out.trace);
    if (json) console.log(JSON.stringify(out.report, null, 2));
    else {
      for (const k of KEYS) console.log(`${k.padEnd(18)} ${out.report[k]}`);
      for (const d of out.details) console.log(`  ! ${d}`);
    }
    return out.report.discrepancies > 0 || out.report.violations > 0 ? 1 : 0;
  },
};
