// Transaction-engine figures: flash bytes programmed per approved sale (journal records of
// the whole sale lifecycle — STAN reservation, reversal armed, pending, approved, disarmed —
// headers, CRCs and reclaim copies included), measured on the emulated NOR flash.
import { BenchArea } from "./area";
import { makeSetup } from "../sim/setup";
import { SIM_CONFIG } from "../sim/run";
import { World } from "../sim/world";
import { OP_SALE, OP_SETTLE, OP_SIGNIN, Operation } from "../../src/txn/types";

/** Approved sales measured (below the batch capacity, settled in between). */
export const BENCH_SALES = 200;
const SALES_PER_BATCH = 50;

function op(kind: number, amount_minor: number): Operation {
  const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "0A1B2C3D4E5F6071", chip: false, icc: "" };
  return { op: kind, amount_minor, card, origStan: 0, password: "", origRrn: "", origDate: "" };
}

/** Flash bytes programmed per approved sale, settlements (batch close) included. */
export function saleBytesProgrammed(): number {
  const s = makeSetup(1, SIM_CONFIG);
  const w = new World({ seed: 1, faults: "none", config: SIM_CONFIG, codec: s.codec, security: s.terminalSecurity, acquirer: s.acquirer, store: s.store, trace: false });
  w.step(op(OP_SIGNIN, 0));
  const before = s.device.flash.bytes_programmed;
  let approved = 0;
  for (let i = 0; i < BENCH_SALES; i++) {
    w.step(op(OP_SALE, 1000 + (i % 40) * 100 + 1));
    if (w.results[w.results.length - 1].ok) approved++;
    if ((i + 1) % SALES_PER_BATCH === 0) w.step(op(OP_SETTLE, 0));
  }
  if (approved !== BENCH_SALES) throw new Error(`bench: only ${approved} of ${BENCH_SALES} sales approved`);
  return (s.device.flash.bytes_programmed - before) / approved;
}

export const txnBench: BenchArea = {
  name: "txn",
  run: async () => ({ "txn.sale_bytes_programmed": Math.round(saleBytesProgrammed() * 10) / 10 }),
};
