import * as fs from "fs";
import { Command } from "./command";
import { UsageError, flagBool, flagChoice, flagString, parseArgs } from "../args";
import { RECONCILE_MODES, ReconcileMode } from "../acquirer/core";
import { NODEMCU_HEAP_CAP_BYTES } from "../device/lua-session";
import { RunReport, runDeviceScript } from "../device/run";
import { interpreterOf } from "../device/boards";

const USAGE = `usage: posrt device run --target espruino|lua [--interpreter PATH] [--heap-cap BYTES] [--var-cap N] [--flash-dir DIR]
                         [--acquirer-tmk HEX] [--prefill PERCENT] [--profile FILE] [--reconcile MODE]
                         --script FILE [--json]

Runs the device firmware on a real interpreter the way a board runs it, connected to an
acquirer simulator on 127.0.0.1, and plays a \`posrt terminal\` script through the console API
(posrt.key, posrt.card, posrt.screen). power-cut kills the interpreter; the flash survives and
the next boot continues from it (a sale cut in flight is reversed first).
  espruino  posrt.js written into Storage, evaluated from there (real time)
  lua       the NodeMCU bytecode on the project's Lua host with a heap cap (virtual clock)
--interpreter   Espruino: default ESPRUINO_BIN, else shared/tools/espruino/espruino-host-16383;
                lua: default the Lua host built from tools/lua-host
--heap-cap      lua: bytes of heap beyond the loaded code (code as if in LFS; default ${NODEMCU_HEAP_CAP_BYTES}, 0 = none)
--var-cap       espruino: run as a build with only N variables (the rest of the interpreter's are held
                at power-on, before the firmware; figures count without them). --var-cap 12287 on the
                16,383 build checks the fit goal of 75 %
--flash-dir     keep the flash there (default: a temporary folder, removed afterwards)
--acquirer-tmk  the master key the acquirer sends working keys under (after \`posrt keys inject\`)
--prefill       first fill the board's journal with earlier, settled days (the same terminal code in
                Node, the board's own keys, the same acquirer) until PERCENT % of its flash is used
--profile       an acquirer profile (docs/unionpay-hosts.md): in the board's posrt.cfg and the simulator's
--reconcile     how the acquirer answers settlements: totals (default), unbalanced-once (every batch
                settles by batch upload; the full day uses it), always, never (posrt acquirer --help)
An expect waits 65 s for its text, and again (up to 10 times) while the acquirer keeps receiving
messages from the board meanwhile (a batch upload of many items on the interpreter).
Prints the result and the memory (Espruino variables; Lua heap peak and data heap); --json one object.`;

function print(r: RunReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r));
    return;
  }
  console.log(`${r.target}: ${r.ok ? "script passed" : "FAILED at line " + r.line + ": " + r.error} (${r.steps} steps, ${r.boots} boot(s))`);
  const m = r.espruino;
  if (m !== undefined) {
    const pct = (v: number) => (m.total_vars > 0 ? ((100 * v) / m.total_vars).toFixed(1) + "%" : "?");
    console.log(`variables: boot ${m.boot_vars} (${pct(m.boot_vars)}), peak ${m.peak_vars} (${pct(m.peak_vars)}), peak live ${m.peak_live_vars} (${pct(m.peak_live_vars)}) of ${m.total_vars}`);
  }
  const l = r.lua;
  if (l !== undefined) console.log(`heap: code ${l.code_bytes} bytes, peak ${l.heap_peak_bytes} bytes (garbage included), data heap ${l.data_heap_bytes} bytes (live, beyond the code)`);
  if (r.prefill !== undefined) console.log(`prefill: ${r.prefill.used_percent} % of the journal's flash used by ${r.prefill.days} earlier day(s), ${r.prefill.sales} sales`);
  const a = r.acquirer;
  console.log(`acquirer: ${a.messages} message(s), ${a.approved} approved, ${a.reversed} reversed, ${a.stans_reused} trace number(s) reused, ${a.settlements} settlement(s) (${a.uploads} batch-upload items, ${a.unknown_uploads} unknown)`);
  const t = r.timing;
  if (t !== undefined) {
    const sec = (ms: number) => (ms / 1000).toFixed(1) + " s";
    console.log(`time: ${sec(t.wall_ms)} in all: pre-fill ${sec(t.prefill_ms)}, loading ${sec(t.load_ms)}, boot(s) ${t.boot_ms.map(sec).join(", ")}, ${t.round_trips} round trips to the board, ${t.expects} expects ${sec(t.expect_ms)}`);
  }
  const s = a.last_settlement;
  if (s !== undefined) console.log(`last settlement: batch ${s.batch} ${s.closed ? "closed" : "OPEN"}, ${s.uploads} batch-upload item(s) for ${s.live_items} live transaction(s), ${s.batch_ends} batch end(s), totals ${s.balanced ? "agree" : "DIFFER"}`);
}

export const device: Command = {
  name: "device",
  summary: "run the device firmware on a real interpreter against the acquirer simulator",
  usage: USAGE,
  async run(argv) {
    if (argv[0] !== "run") throw new UsageError("expected: posrt device run ...");
    const p = parseArgs(argv.slice(1), { values: ["--target", "--interpreter", "--script", "--flash-dir", "--heap-cap", "--var-cap", "--acquirer-tmk", "--prefill", "--profile", "--reconcile"], booleans: ["--json"] });
    const target = flagString(p, "--target", "");
    if (target !== "espruino" && target !== "lua") throw new UsageError(target === "" ? "--target is required" : `unknown target "${target}" (espruino or lua)`);
    const script = flagString(p, "--script", "");
    if (script === "") throw new UsageError("--script is required");
    if (!fs.existsSync(script)) throw new UsageError(`no script ${script}`);
    const capText = flagString(p, "--heap-cap", String(NODEMCU_HEAP_CAP_BYTES));
    if (!/^\d{1,9}$/.test(capText)) throw new UsageError(`--heap-cap "${capText}" is not a number of bytes`);
    if (target !== "lua" && flagString(p, "--heap-cap", "") !== "") throw new UsageError("--heap-cap is for --target lua (Espruino counts variables)");
    const varCap = flagString(p, "--var-cap", "");
    if (varCap !== "" && !/^[1-9]\d{0,6}$/.test(varCap)) throw new UsageError(`--var-cap "${varCap}" is not a number of variables`);
    if (varCap !== "" && target !== "espruino") throw new UsageError("--var-cap is for --target espruino (Lua counts bytes: --heap-cap)");
    const prefill = flagString(p, "--prefill", "");
    if (prefill !== "" && !/^\d{1,2}$/.test(prefill)) throw new UsageError(`--prefill "${prefill}" is not a percentage 0..99`);
    const interpreter = interpreterOf(target, flagString(p, "--interpreter", ""));
    const json = flagBool(p, "--json");
    const r = await runDeviceScript({
      target, interpreter, script, flashDir: flagString(p, "--flash-dir", "") || undefined, data_cap_bytes: Number(capText),
      var_cap: varCap === "" ? undefined : Number(varCap),
      acquirer_tmk: flagString(p, "--acquirer-tmk", "") || undefined, prefill_percent: prefill === "" ? undefined : Number(prefill),
      profile: flagString(p, "--profile", "") || undefined,
      reconcile: flagChoice(p, "--reconcile", RECONCILE_MODES, "totals") as ReconcileMode,
      log: json ? undefined : (l) => console.log("  | " + l),
    });
    print(r, json);
    return r.ok ? 0 : 1;
  },
};
