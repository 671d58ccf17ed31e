import * as fs from "fs";
import * as path from "path";
import { Command } from "./command";
import { UsageError, flagBool, flagString, parseArgs } from "../args";
import { VECTORS_DIR } from "../paths";
import { RunResult, runEs5, runLua, runNode } from "../runtimes";
import { runEspruino } from "../device/espruino-conformance";

const USAGE = `usage: posrt conformance [--runtime node|es5|lua|espruino|all] [--vectors DIR] [--verbose]

Runs every *.json vector file under DIR (default test/vectors) through the core on each
runtime and prints "<runtime>: N passed, M failed". Exits 1 on any failure.
espruino is the real interpreter (ESPRUINO_BIN, or shared/tools/espruino above the project;
its espruino-host-big build); "all" is node, es5 and lua.`;

const RUNTIMES = ["node", "es5", "lua"];
const EXTRA_RUNTIMES = ["espruino"];

/** Every *.json file under `dir`, sorted, recursively. */
export function vectorFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new UsageError(`no vectors directory ${dir}`);
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...vectorFiles(p));
    else if (e.name.endsWith(".json")) out.push(p);
  }
  return out.sort();
}

async function runOne(runtime: string, files: string[]): Promise<RunResult> {
  if (runtime === "node") return runNode(files);
  if (runtime === "es5") return runEs5(files);
  if (runtime === "espruino") return runEspruino(files);
  return runLua(files);
}

export const conformance: Command = {
  name: "conformance",
  summary: "run the test vectors on node, es5 (QuickJS, memory-capped) and lua (Lua 5.3)",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--runtime", "--vectors"], booleans: ["--verbose"] });
    const which = flagString(p, "--runtime", "all");
    if (which !== "all" && !RUNTIMES.includes(which) && !EXTRA_RUNTIMES.includes(which)) throw new UsageError(`unknown runtime "${which}"`);
    const files = vectorFiles(path.resolve(flagString(p, "--vectors", VECTORS_DIR)));
    let failed = 0;
    for (const rt of which === "all" ? RUNTIMES : [which]) {
      const r = await runOne(rt, files);
      for (const f of r.failures) console.log(`  ${rt} FAIL ${f}`);
      if (flagBool(p, "--verbose") && r.peakBytes !== undefined) console.log(`  ${rt} peak heap ${r.peakBytes} bytes`);
      console.log(`${rt}: ${r.passed} passed, ${r.failed} failed`);
      failed += r.failed;
    }
    return failed > 0 ? 1 : 0;
  },
};
