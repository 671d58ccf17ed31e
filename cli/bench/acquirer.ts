import { BenchArea } from "./area";
import { runLoad } from "../acquirer/load";

/** Connections and transactions of the load (the same as the load test). */
export const BENCH_CONNECTIONS = 100;
export const BENCH_TRANSACTIONS = 10000;

/**
 * Acquirer simulator under load: 100 terminal connections on TCP loopback, 10,000 financial
 * transactions (sales, voids, refunds, reversals), clients in this same process (one Node thread
 * serves both sides, so the figures are a floor). tps = transactions ÷ wall time; p99_ms = 99th
 * percentile request→reply latency seen by the terminals.
 */
export const acquirerBench: BenchArea = {
  name: "acquirer",
  async run() {
    await runLoad({ connections: 10, transactions: 1000, seed: 2 }); // warm-up
    const r = await runLoad({ connections: BENCH_CONNECTIONS, transactions: BENCH_TRANSACTIONS, seed: 1 });
    if (r.money_mismatches !== 0 || r.books_unbalanced) throw new Error("acquirer bench: money lost or duplicated under load");
    return { "acquirer.tps": Math.round(r.tps), "acquirer.p99_ms": Math.round(r.p99_ms * 10) / 10 };
  },
};
