import * as fs from "fs";
import { Command } from "./command";
import { UsageError, flagBool, flagString, parseArgs } from "../args";
import { espruinoBinary, NO_ESPRUINO } from "../device/espruino-bin";
import { RunReport, runEspruinoScript } from "../device/run";

const USAGE = `usage: posrt device run --target espruino [--interpreter PATH] [--flash-dir DIR] --script FILE [--json]

Runs the device firmware on a real interpreter the way a board runs it (Espruino: written into
Storage, evaluated from there), connected to an acquirer simulator on 127.0.0.1, and plays a
\`posrt terminal\` script through the console API (posrt.key, posrt.card, posrt.screen).
power-cut kills the interpreter; the flash file survives and the next boot continues from it.
--interpreter  the Espruino binary (default: ESPRUINO_BIN, else shared/tools/espruino/espruino-host-16383)
--flash-dir    keep the flash file there (default: a temporary folder, removed afterwards)
Prints the result and the variables used (boot, peak, total); --json prints one JSON object.`;

function print(r: RunReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r));
    return;
  }
  const m = r.memory;
  const pct = (v: number) => (m.total_vars > 0 ? ((100 * v) / m.total_vars).toFixed(1) + "%" : "?");
  console.log(`${r.target}: ${r.ok ? "script passed" : "FAILED at line " + r.line + ": " + r.error} (${r.steps} steps, ${r.boots} boot(s))`);
  console.log(`variables: boot ${m.boot_vars} (${pct(m.boot_vars)}), peak ${m.peak_vars} (${pct(m.peak_vars)}), peak live ${m.peak_live_vars} (${pct(m.peak_live_vars)}) of ${m.total_vars}`);
  console.log(`acquirer: ${r.acquirer.messages} message(s), ${r.acquirer.approved} approved`);
}

export const device: Command = {
  name: "device",
  summary: "run the device firmware on a real interpreter against the acquirer simulator",
  usage: USAGE,
  async run(argv) {
    if (argv[0] !== "run") throw new UsageError("expected: posrt device run ...");
    const p = parseArgs(argv.slice(1), { values: ["--target", "--interpreter", "--script", "--flash-dir"], booleans: ["--json"] });
    const target = flagString(p, "--target", "");
    if (target !== "espruino") throw new UsageError(target === "" ? "--target is required" : `unknown target "${target}" (espruino)`);
    const script = flagString(p, "--script", "");
    if (script === "") throw new UsageError("--script is required");
    if (!fs.existsSync(script)) throw new UsageError(`no script ${script}`);
    const interpreter = flagString(p, "--interpreter", "") || espruinoBinary("16383");
    if (interpreter === undefined) throw new UsageError(NO_ESPRUINO);
    const flashDir = flagString(p, "--flash-dir", "") || undefined;
    const r = await runEspruinoScript({ interpreter, script, flashDir, log: flagBool(p, "--json") ? undefined : (l) => console.log("  | " + l) });
    print(r, flagBool(p, "--json"));
    return r.ok ? 0 : 1;
  },
};
