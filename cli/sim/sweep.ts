// A sweep of seeded simulations on every core: worker threads take seeds in small chunks and
// send back each seed's report; the reports are put back in seed order, so the summary is
// the same as a single-threaded run (jobs = 1 runs in this thread, no worker).
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { SimReport, runSim } from "./run";

export interface SweepOptions {
  first: number;
  last: number;
  ops: number;
  faults: string;
  /** Threads to use; 1 runs here without workers. */
  jobs: number;
  /** After each finished seed: how many are done and how many failed so far. */
  onSeed?: (done: number, failing: number) => void;
}

/** Seeds a worker takes at a time (small: seeds differ in cost, the last chunk should be short). */
export const SWEEP_CHUNK = 4;
/** Most worker threads a sweep starts. */
export const MAX_JOBS = 64;

/** Threads a sweep uses by default: one per core. */
export function defaultJobs(): number {
  const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_JOBS, n));
}

export function failed(r: SimReport): boolean {
  return r.discrepancies > 0 || r.violations > 0;
}

/** Runs seeds first..last; resolves to their reports in seed order. */
export async function runSweep(o: SweepOptions): Promise<SimReport[]> {
  const count = o.last - o.first + 1;
  const reports: SimReport[] = new Array<SimReport>(count);
  let done = 0;
  let failing = 0;
  const got = (r: SimReport): void => {
    reports[r.seed - o.first] = r;
    done++;
    if (failed(r)) failing++;
    if (o.onSeed) o.onSeed(done, failing);
  };
  const jobs = Math.max(1, Math.min(o.jobs, Math.ceil(count / SWEEP_CHUNK), MAX_JOBS));
  if (jobs === 1) {
    for (let seed = o.first; seed <= o.last; seed++) got(runSim({ seed, ops: o.ops, faults: o.faults, trace: false }).report);
    return reports;
  }
  let next = o.first;
  const take = (): [number, number] | undefined => {
    if (next > o.last) return undefined;
    const a = next;
    next = Math.min(o.last, a + SWEEP_CHUNK - 1) + 1;
    return [a, next - 1];
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < jobs; i++) workers.push(runWorker(o, take, got));
  try {
    await Promise.all(workers);
  } finally {
    stopAll();
  }
  return reports;
}

const live = new Set<Worker>();

function stopAll(): void {
  for (const w of live) void w.terminate();
  live.clear();
}

function runWorker(o: SweepOptions, take: () => [number, number] | undefined, got: (r: SimReport) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, "sweep-worker.js"), { workerData: { ops: o.ops, faults: o.faults } });
    live.add(w);
    const feed = (): void => {
      const chunk = take();
      if (chunk === undefined) {
        live.delete(w);
        void w.terminate().then(() => resolve());
      } else w.postMessage(chunk);
    };
    w.on("message", (m: { report?: SimReport; chunkDone?: boolean }) => {
      if (m.report !== undefined) got(m.report);
      if (m.chunkDone === true) feed();
    });
    w.on("error", (e) => reject(e));
    w.on("online", feed);
  });
}
