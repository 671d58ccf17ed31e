import * as fs from "fs";
import * as path from "path";
import { Command } from "./command";
import { InputError, UsageError, flagBool, flagChoice, flagString, parseArgs } from "../args";
import { ES5, LUA } from "../engines";
import { VECTORS_DIR } from "../paths";
import { RunResult, runEs5, runLua, runNode } from "../runtimes";
import { EspruinoRunResult, runEspruino } from "../device/espruino-conformance";

const USAGE = `usage: posrt conformance [--runtime node|es5|lua|espruino|all] [--vectors DIR] [--verbose]

Runs every *.json vector file under DIR (default test/vectors) through the core on each
runtime and prints "<runtime>: N passed, M failed". Exits 1 on any failure, and when DIR
holds no vector file. lua runs on lua5.3, or on Lua 5.3 in WebAssembly where lua5.3 is not
installed (--verbose says which). espruino is the real interpreter (ESPRUINO_BIN, or
shared/tools/espruino above the project; its espruino-host-big build); "all" is node, es5 and lua.`;

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

/** Espruino: variables, and the seconds the bundle and each vector file took, slowest first. */
function printEspruinoFigures(r: EspruinoRunResult): void {
  console.log(`  espruino variables: bundle ${r.baseVars}, peak ${r.peakVars}; load ${r.loadSeconds?.toFixed(1)} s`);
  const files = [...(r.fileSeconds ?? [])].sort((a, b) => b.s - a.s);
  for (const f of files) console.log(`  espruino ${f.s.toFixed(1).padStart(7)} s  ${String(f.cases).padStart(4)} cases  ${path.basename(f.file)}`);
}

export const conformance: Command = {
  name: "conformance",
  summary: "run the test vectors on node, es5 (QuickJS, memory-capped) and lua (Lua 5.3)",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--runtime", "--vectors"], booleans: ["--verbose"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const which = flagChoice(p, "--runtime", [...RUNTIMES, ...EXTRA_RUNTIMES, "all"], "all");
    const dir = path.resolve(flagString(p, "--vectors", VECTORS_DIR));
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`--vectors ${dir} is not a directory`);
    const files = vectorFiles(dir);
    if (files.length === 0) throw new InputError(`no *.json vector files under ${dir}`);
    if (flagBool(p, "--verbose")) console.log(`vectors: ${files.length} files; lua on ${LUA.name}; strict ES5 engine for tests: ${ES5.name}`);
    let failed = 0;
    for (const rt of which === "all" ? RUNTIMES : [which]) {
      const r = await runOne(rt, files);
      for (const f of r.failures) console.log(`  ${rt} FAIL ${f}`);
      if (flagBool(p, "--verbose") && r.peakBytes !== undefined) console.log(`  ${rt} peak heap ${r.peakBytes} bytes`);
      if (flagBool(p, "--verbose") && rt === "espruino") printEspruinoFigures(r as EspruinoRunResult);
      console.log(`${rt}: ${r.passed} passed, ${r.failed} failed`);
      failed += r.failed;
    }
    return failed > 0 ? 1 : 0;
  },
};
