// posrt journal crashtest | dump: power-cut testing of the journal and flash-image inspection.
import { Command } from "./command";
import { UsageError, flagBool, flagChoice, flagInt, flagString, parseArgs } from "../args";
import { Progress } from "../progress";
import { CrashOptions, MAX_OPS, MODE_LINEAR, MODE_LOG, MODE_RANDOM, crashtest } from "../../src/sim/journal-crash";
import { MODE_BADSECTOR, MODE_ROT, rotTest } from "../../src/sim/journal-rot";
import { saveNorImage } from "../../hal/emulator/nor-file";
import { dumpImage } from "./journal-dump";
import { AUDIT_USAGE, LOOKUP_USAGE, audit, lookup } from "./app-journal";

const USAGE = `usage: posrt journal crashtest [--seed N] [--ops K] [--mode linear|log|random|rot|badsector] [--cut C] [--image FILE] [--json]
       posrt journal dump FILE [--sector-bytes N] [--json]
       ${LOOKUP_USAGE}
       ${AUDIT_USAGE}

crashtest  runs K transaction-like operations (begin, arm reversal, approve, decline, void, refund,
           attempt, complete, fail, disarm, settle, reclaim) on an emulated 64 KB NOR flash (16 x 4 KB)
           and cuts power at every program/erase (linear), at 0, 1, 2, 4, 8 … (log), or at seeded
           random points, also during recovery (random). After each cut it recovers and checks:
           acknowledged states present exactly once, the cut operation all-or-nothing, reversals
           never lost or duplicated, the STAN never repeats, journal RAM unchanged.
           A violation prints the seed and cut point; the same command (with --cut C) replays it.
           --image writes the final flash image. Exit 1 on any violation.
           rot: on the final image, bit k of every live record flipped at once (every k): all
           corrected, nothing lost; then 3 bytes damaged in each record in turn: the place
           reported, only that record lost, writing goes on (nothing programmed over).
           badsector: each live sector in turn unreadable: reported, the other sectors' records
           kept, STAN never back, the sector remembered as bad after a restart.
           JSON: faults_injected, bits_corrected, records_lost, violations.
dump       decodes a flash image: records, transactions, batch totals, reversals, free space,
           wear per sector. Corrected bits are listed; damage (records lost): the place (sector, offset) and exit 1,
           every other record still listed. Only regular files up to 16 MiB; a file with no
           journal sector header is "not a journal image".
lookup     "Can it be cancelled?" for one transaction of a terminal image: state, the one action
           still possible (void, refund, nothing, wait, contact acquirer, ask the acquirer), why,
           and how much may be refunded (--json keys state, action, reason, refundable_minor).
audit      the audit trail: every void, refund, reversal (with its trigger) and abort.`;

export const DEFAULT_GEOMETRY = { sector_bytes: 4096, sector_count: 16, page_bytes: 256 };
export const DEFAULT_CONFIG = { maxTxnsPerBatch: 300, maxReversals: 8, warnFillPercent: 80 };

function crashOptions(p: ReturnType<typeof parseArgs>): CrashOptions {
  const mode = flagChoice(p, "--mode", [MODE_LINEAR, MODE_LOG, MODE_RANDOM, MODE_ROT, MODE_BADSECTOR], MODE_LINEAR);
  const ops = flagInt(p, "--ops", 200, { min: 1, max: MAX_OPS });
  const cut = p.flags["--cut"] === undefined ? -1 : flagInt(p, "--cut", 0);
  if (cut >= 0 && mode === MODE_RANDOM) throw new UsageError("--cut replays one linear/log cut point; random runs replay from --seed alone");
  return {
    seed: flagInt(p, "--seed", 1, { max: 0xffffffff }), ops, mode, only_cut: cut, ...DEFAULT_GEOMETRY,
    maxTxnsPerBatch: DEFAULT_CONFIG.maxTxnsPerBatch, maxReversals: DEFAULT_CONFIG.maxReversals,
  };
}

async function runCrashtest(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ["--seed", "--ops", "--mode", "--cut", "--image"], booleans: ["--json"] });
  if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
  const o = crashOptions(p);
  if (o.mode === MODE_ROT || o.mode === MODE_BADSECTOR) return runRot(o, flagBool(p, "--json"));
  const t0 = Date.now();
  const bar = new Progress(`crashtest ${o.mode}`);
  const r = crashtest({ ...o, onProgress: (done, total) => bar.tick(done, "", total) });
  bar.end();
  const seconds = (Date.now() - t0) / 1000;
  const image = flagString(p, "--image", "");
  if (image !== "" && r.last !== undefined) saveNorImage(r.last.flash, image);
  for (const v of r.violations) console.error(`violation: ${v}\n  replay: posrt journal crashtest --seed ${o.seed} --ops ${o.ops} --mode ${o.mode}${cutOf(v)}`);
  const out = { seed: r.seed, cut_points: r.cut_points, recoveries: r.recoveries, violations: r.violations.length };
  if (flagBool(p, "--json")) console.log(JSON.stringify(out));
  else console.log(`seed ${out.seed} mode ${o.mode}: ${o.ops} ops, ${r.flash_ops} program/erase operations, ${out.cut_points} cut points, ${out.recoveries} recoveries, ${out.violations} violations (${seconds.toFixed(1)} s)`);
  return r.violations.length > 0 ? 1 : 0;
}

function runRot(o: CrashOptions, json: boolean): number {
  const t0 = Date.now();
  const r = rotTest(o);
  const seconds = (Date.now() - t0) / 1000;
  for (const v of r.violations) console.error(`violation: ${v}\n  replay: posrt journal crashtest --seed ${o.seed} --ops ${o.ops} --mode ${o.mode}`);
  const out = { seed: o.seed, mode: o.mode, records: r.records, faults_injected: r.faults_injected, bits_corrected: r.bits_corrected, records_lost: r.records_lost, recoveries: r.recoveries, violations: r.violations.length };
  if (json) console.log(JSON.stringify(out));
  else console.log(`seed ${o.seed} mode ${o.mode}: ${r.records} live records, ${r.faults_injected} faults injected, ${r.bits_corrected} bits corrected, ${r.records_lost} records lost, ${r.recoveries} recoveries, ${out.violations} violations (${seconds.toFixed(1)} s)`);
  return r.violations.length > 0 ? 1 : 0;
}

/** " --cut K" for a linear/log violation line ("... mode linear cut K..."), else "". */
function cutOf(v: string): string {
  const m = / mode (linear|log) cut (\d+)/.exec(v);
  return m ? ` --cut ${m[2]}` : "";
}

export const journal: Command = {
  name: "journal",
  summary: "journal crash tests (power cut at every write) and flash-image dumps",
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === "crashtest") return runCrashtest(rest);
    if (sub === "dump") return dumpImage(rest);
    if (sub === "lookup") return lookup(rest);
    if (sub === "audit") return audit(rest);
    throw new UsageError(sub === undefined ? "missing subcommand (crashtest, dump, lookup or audit)" : `unknown subcommand "${sub}"`);
  },
};
