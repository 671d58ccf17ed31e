import { BenchArea } from "./area";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLoad } from "../acquirer/load";

/** Connections and transactions of the load (the same as the load test). */
export const BENCH_CONNECTIONS = 100;
export const BENCH_TRANSACTIONS = 10000;
/** Transactions of the durable-state load (fsync per request: fewer, to keep the bench short). */
export const BENCH_DURABLE_TRANSACTIONS = 2000;

/**
 * Acquirer simulator under load: 100 terminal connections on TCP loopback, 10,000 financial
 * transactions (sales, voids, refunds, reversals), clients in this same process (one Node thread
 * serves both sides, so the figures are a floor). tps = transactions ÷ wall time; p99_ms = 99th
 * percentile request→reply latency seen by the terminals. durable_tps / durable_p99_ms: 100
 * connections, 2,000 transactions, with durable state (as `--state`, in the system temporary directory): every request that
 * changed the books sealed, appended and fdatasync'ed before its reply leaves.
 */
export const acquirerBench: BenchArea = {
  name: "acquirer",
  async run() {
    await runLoad({ connections: 10, transactions: 1000, seed: 2 }); // warm-up
    const r = await runLoad({ connections: BENCH_CONNECTIONS, transactions: BENCH_TRANSACTIONS, seed: 1 });
    if (r.money_mismatches !== 0 || r.books_unbalanced) throw new Error("acquirer bench: money lost or duplicated under load");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-bench-state-"));
    let d;
    try {
      d = await runLoad({ connections: BENCH_CONNECTIONS, transactions: BENCH_DURABLE_TRANSACTIONS, seed: 1, stateFile: path.join(dir, "state.json") });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (d.money_mismatches !== 0 || d.books_unbalanced) throw new Error("acquirer bench: money lost or duplicated under load with durable state");
    return {
      "acquirer.tps": Math.round(r.tps), "acquirer.p99_ms": Math.round(r.p99_ms * 10) / 10,
      "acquirer.durable_tps": Math.round(d.tps), "acquirer.durable_p99_ms": Math.round(d.p99_ms * 10) / 10,
    };
  },
};
