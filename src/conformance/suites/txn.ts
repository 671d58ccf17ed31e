// Suite txn.trace: a recorded event trace (operator actions, bytes received, timers, power
// cuts with torn writes) replayed through the transaction engine over the NOR-flash journal.
// Out: every frame sent (hex), each operation's result code, the number of cuts, defects
// caught (must be 0) and the CRC-32 of the final flash image — identical on node, es5, lua.
import { Suite } from "../suite";
import { fail } from "../../errors";
import { flashTerminal } from "../../sim/flash-terminal";
import { MAX_TRACE_ITEMS, TraceItem, replayTrace } from "../../txn/replay";

interface TraceInput {
  seed: number;
  trace: TraceItem[];
  /** Flash sectors of 4 KB (default 16); short traces use fewer to stay light. */
  sectors?: number;
}

function asInput(input: unknown): TraceInput {
  const o = input as { [k: string]: unknown };
  if (typeof o !== "object" || typeof o.seed !== "number" || typeof o.trace !== "object") fail("txn.trace", "input needs {\"seed\": number, \"trace\": [item…]}");
  const items = o.trace as TraceItem[];
  if (items.length > MAX_TRACE_ITEMS) fail("txn.trace", "more than " + MAX_TRACE_ITEMS + " items");
  if (o.sectors !== undefined && typeof o.sectors !== "number") fail("txn.trace", "\"sectors\" must be a number");
  return { seed: o.seed as number, trace: items, sectors: o.sectors as number | undefined };
}

export const TXN_SUITES: Suite[] = [
  {
    name: "txn.trace",
    run: (input: unknown) => {
      const t = asInput(input);
      const r = replayTrace(flashTerminal(t.seed, undefined, t.sectors), t.trace);
      return { sent: r.sent, results: r.results, cuts: r.cuts, crashes: r.crashes, flash_crc: r.flash_crc };
    },
  },
];
