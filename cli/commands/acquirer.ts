import * as fs from "fs";
import * as path from "path";
import { Command } from "./command";
import { flagBool, flagInt, flagPort, flagString, parseArgs, UsageError } from "../args";
import { AcquirerCore, TerminalEntry } from "../acquirer/core";
import { FaultyAcquirer, parseFaultSpec } from "../acquirer/faults";
import { startServer } from "../acquirer/server";
import { AcquirerState } from "../acquirer/state";
import { fail } from "../../src/errors";

const USAGE = `usage: posrt acquirer [--port P] [--host H] [--state FILE] [--faults SPEC] [--terminals FILE] [--seed N] [--quiet]

A simulated acquirer on TCP (cup framing: 2-byte length, TPDU, header, ISO 8583) with
cardholder accounts, a ledger, test cards and magic amounts (see the README).
  --port P          listen port (default ${"8583"}); --host H (default 127.0.0.1)
  --state FILE      load accounts, ledger and keys from FILE and save them back (JSON)
  --faults SPEC     none | net | kind=p,… (drop_request, drop_reply, delay, duplicate,
                    corrupt, wrong_stan, close) [,delay_ms=N] [,seed=N]
  --terminals FILE  JSON [{"tid":"12345678","mid":"123456789012345","tmk":"<hex>"}]:
                    only these may sign in (default: development mode, any terminal,
                    TEST master key 0123456789ABCDEFFEDCBA9876543210)
  --seed N          seed of keys and authorisation codes (default 1)`;

/** A state file is written at most this often while messages arrive. */
export const SAVE_INTERVAL_MS = 1000;

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return fail(what, `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(what, `${file} is not JSON: ${(e as Error).message}`);
  }
}

/** Registered terminals from --terminals FILE, checked. */
export function loadTerminals(file: string): TerminalEntry[] {
  const list = readJson(file, "terminals file");
  if (!Array.isArray(list)) fail("terminals file", `${file} must hold a JSON array`);
  return (list as unknown[]).map((t, i) => {
    const e = t as TerminalEntry;
    if (typeof e !== "object" || e === null || typeof e.tid !== "string" || e.tid.length !== 8) fail("terminals file", `${file}: entry ${i} needs an 8-character "tid"`);
    if (e.mid !== undefined && (typeof e.mid !== "string" || e.mid.length !== 15)) fail("terminals file", `${file}: entry ${i} "mid" must be 15 characters`);
    if (e.tmk !== undefined && !/^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/.test(e.tmk)) fail("terminals file", `${file}: entry ${i} "tmk" must be 32 or 48 hex digits`);
    return e;
  });
}

/** Writes the state atomically (temporary file, then rename). */
function saveState(file: string, core: AcquirerCore): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(core.snapshot()));
    fs.renameSync(tmp, file);
  } catch (e) {
    fail("state file", `cannot write ${file}: ${(e as Error).message}`);
  }
}

export const acquirer: Command = {
  name: "acquirer",
  summary: "simulated acquirer (TCP, ISO 8583 cup): accounts, ledger, test cards, faults",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--port", "--host", "--state", "--faults", "--terminals", "--seed"], booleans: ["--quiet"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const stateFile = flagString(p, "--state", "");
    const terminalsFile = flagString(p, "--terminals", "");
    let spec;
    try {
      spec = parseFaultSpec(flagString(p, "--faults", "none"));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const state = stateFile !== "" && fs.existsSync(stateFile) ? (readJson(stateFile, "state file") as AcquirerState) : undefined;
    const terminals = terminalsFile === "" ? undefined : loadTerminals(terminalsFile);
    const core = new AcquirerCore({ seed: flagInt(p, "--seed", 1), terminals, state });
    if (stateFile !== "") saveState(stateFile, core); // fails now, not at the first save, when the path is unwritable
    const quiet = flagBool(p, "--quiet");
    let dirty = false;
    const port = flagPort(p, "--port", 8583);
    const running = await startServer({
      acquirer: new FaultyAcquirer(core, spec),
      port,
      host: flagString(p, "--host", "127.0.0.1"),
      log: quiet ? undefined : (line) => console.log(line),
      onMessage: () => { dirty = true; },
    }).catch((e: Error) => fail("listen", `port ${port}: ${e.message}`));
    const mode = terminals === undefined ? "development mode: any terminal may sign in" : `${terminals.length} registered terminals`;
    console.log(`posrt acquirer listening on port ${running.port} (${mode}${stateFile === "" ? "" : ", state " + path.resolve(stateFile)})`);
    const timer = setInterval(() => {
      if (!dirty || stateFile === "") return;
      dirty = false;
      try {
        saveState(stateFile, core);
      } catch (e) {
        console.error(`posrt acquirer: ${(e as Error).message}`);
      }
    }, SAVE_INTERVAL_MS);
    return new Promise<number>((resolve) => {
      const stop = () => {
        clearInterval(timer);
        let code = 0;
        try {
          if (stateFile !== "") saveState(stateFile, core);
        } catch (e) {
          console.error(`posrt acquirer: ${(e as Error).message}`);
          code = 1;
        }
        running.close().then(() => resolve(code));
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};
