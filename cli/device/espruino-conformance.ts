// `posrt conformance --runtime espruino`: the ES5 conformance bundle on the real Espruino
// interpreter (the growing-memory host build: semantics, not fit), in a scratch folder so its
// flash file lands there.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { ES5_CONFORMANCE_BUNDLE, ROOT } from "../paths";
import { RunResult } from "../runtimes";
import { NO_ESPRUINO, espruinoBinary } from "./espruino-bin";

const HOST = path.join(ROOT, "firmware", "conformance", "host-espruino.js");
/** Longest the interpreter may take over all vector files. */
export const ESPRUINO_CONFORMANCE_TIMEOUT_MS = 30 * 60 * 1000;

export interface EspruinoRunResult extends RunResult {
  /** Variables in use: after loading the bundle, highest after any case, total of the build. */
  baseVars?: number;
  peakVars?: number;
  totalVars?: number;
  /** Seconds the interpreter took to load the bundle, and for each vector file (path, cases, seconds). */
  loadSeconds?: number;
  fileSeconds?: { file: string; cases: number; s: number }[];
}

/** Parses the host script's PASS/FAIL/..._VARS lines into `r`; true when DONE was printed. */
export function parseHostOutput(out: string, r: EspruinoRunResult): boolean {
  let done = false;
  for (const line of out.split("\n")) {
    if (line.startsWith("PASS ")) r.passed++;
    else if (line.startsWith("FAIL ")) {
      r.failed++;
      r.failures.push(line.slice(5));
    } else if (line.startsWith("BUNDLE_VARS ")) r.baseVars = Number(line.slice(12));
    else if (line.startsWith("PEAK_VARS ")) r.peakVars = Number(line.slice(10));
    else if (line.startsWith("TOTAL_VARS ")) r.totalVars = Number(line.slice(11));
    else if (line.startsWith("LOAD_S ")) r.loadSeconds = Number(line.slice(7));
    else if (line.startsWith("FILE_S ")) {
      const w = line.slice(7).trim().split(" ");
      if (w.length >= 3) (r.fileSeconds = r.fileSeconds ?? []).push({ file: w.slice(0, w.length - 2).join(" "), cases: Number(w[w.length - 2]), s: Number(w[w.length - 1]) });
    }
    else if (line.trim() === "DONE") done = true;
  }
  return done;
}

/** Runs `files` on the interpreter (`bin`, default espruino-host-big). */
export function runEspruino(files: string[], bin = espruinoBinary("big")): EspruinoRunResult {
  const r: EspruinoRunResult = { runtime: "espruino", passed: 0, failed: 0, failures: [] };
  if (bin === undefined) {
    r.failed++;
    r.failures.push("espruino: " + NO_ESPRUINO);
    return r;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-espruino-"));
  try {
    const host = path.join(dir, "host.js");
    const head = "var BUNDLE = " + JSON.stringify(ES5_CONFORMANCE_BUNDLE) + ", FILES = " + JSON.stringify(files) + ";\n";
    fs.writeFileSync(host, head + fs.readFileSync(HOST, "utf8"));
    const p = spawnSync(bin, [host], { cwd: dir, input: "", encoding: "utf8", timeout: ESPRUINO_CONFORMANCE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    if (p.error !== undefined) {
      r.failed++;
      r.failures.push(`espruino: cannot run ${bin}: ${p.error.message}`);
      return r;
    }
    if (!parseHostOutput(p.stdout, r)) {
      r.failed++;
      const tail = (p.stdout + p.stderr).trim().split("\n").slice(-4).join(" | ");
      r.failures.push(`espruino: the interpreter stopped before the end (exit ${p.status}): ${tail}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return r;
}
