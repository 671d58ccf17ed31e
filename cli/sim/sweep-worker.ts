// Worker thread of a sweep (cli/sim/sweep.ts): runs the seed ranges it is sent, one report per seed.
import { parentPort, workerData } from "worker_threads";
import { runSim } from "./run";

const { ops, faults } = workerData as { ops: number; faults: string };
parentPort!.on("message", ([first, last]: [number, number]) => {
  for (let seed = first; seed <= last; seed++) parentPort!.postMessage({ report: runSim({ seed, ops, faults, trace: false }).report });
  parentPort!.postMessage({ chunkDone: true });
});
