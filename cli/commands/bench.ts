import { Command } from "./command";
import { flagBool, flagString, parseArgs, UsageError } from "../args";
import { Progress } from "../progress";
import { BENCH_AREAS } from "../bench/index";

const USAGE = `usage: posrt bench [--json] [--only AREA[,AREA…]]

Measures speed ratios side by side in one run (ours ÷ a peer, same machine, same moment)
and deterministic counts (bytes, flash writes, heap). Areas: ${"{areas}"}.
device-day (issue 9's full day on the real interpreters) takes about ten minutes.`;

export const bench: Command = {
  name: "bench",
  summary: "benchmarks: side-by-side speed ratios and deterministic byte/heap counts",
  usage: USAGE.replace("{areas}", BENCH_AREAS.map((a) => a.name).join(", ")),
  async run(argv) {
    const p = parseArgs(argv, { values: ["--only"], booleans: ["--json"] });
    const only = flagString(p, "--only", "");
    const names = only === "" ? BENCH_AREAS.map((a) => a.name) : only.split(",");
    for (const n of names) if (!BENCH_AREAS.some((a) => a.name === n)) throw new UsageError(`unknown area "${n}"`);
    const out: { [key: string]: number } = {};
    const bar = new Progress("bench", names.length);
    let done = 0;
    for (const area of BENCH_AREAS) {
      if (!names.includes(area.name)) continue;
      bar.tick(done, `measuring ${area.name}`);
      Object.assign(out, await area.run());
      done++;
    }
    bar.end();
    if (flagBool(p, "--json")) console.log(JSON.stringify(out, null, 2));
    else for (const k of Object.keys(out)) console.log(`${k.padEnd(44)} ${formatNumber(out[k])}`);
    return 0;
  },
};

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}
