import * as fs from "fs";
import * as path from "path";
import { Command } from "./command";
import { flagBool, flagChoice, flagInt, flagPort, flagString, parseArgs, UsageError } from "../args";
import { paramsFlag } from "../acquirer/params";
import { AcquirerCore, RECONCILE_MODES, ReconcileMode, TerminalEntry, profileOptions } from "../acquirer/core";
import { readProfile } from "../acquirer/profile-file";
import { FaultyAcquirer, parseFaultSpec } from "../acquirer/faults";
import { startServer } from "../acquirer/server";
import { StateStore, stateKey } from "../acquirer/durable";
import { redactFrame } from "../acquirer/redact";
import { fail } from "../../src/errors";
import { AcquirerState } from "../acquirer/state";

const USAGE = `usage: posrt acquirer [--port P] [--host H] [--state FILE] [--wire-log FILE] [--faults SPEC] [--terminals FILE] [--profile FILE] [--params test|none] [--reconcile MODE] [--seed N] [--quiet]

A simulated acquirer on TCP (cup framing: 2-byte length, TPDU, header, ISO 8583) with
cardholder accounts, a ledger, test cards and magic amounts (see the README).
  --port P          listen port (default ${"8583"}); --host H (default 127.0.0.1)
  --state FILE      keep accounts, ledger and keys in FILE (sealed snapshot) and FILE.log
                    (every answered request that changed them is fsync'ed there before its
                    reply leaves); sealing key from POSRT_STATE_KEY (64 hex) or FILE.key
  --wire-log FILE   append every frame in and out as a JSON line (PAN masked; track, PIN
                    block, ICC data and keys left out; mode 0600)
  --faults SPEC     none | net | kind=p,… (drop_request, drop_reply, delay, duplicate,
                    corrupt, wrong_stan, close) [,delay_ms=N] [,seed=N]
  --terminals FILE  JSON [{"tid":"12345678","mid":"123456789012345","tmk":"<hex>"}]:
                    only these may sign in (default: development mode, any terminal,
                    TEST master key 0123456789ABCDEFFEDCBA9876543210)
  --profile FILE    acquirer profile (JSON, see docs/unionpay-hosts.md): the host's MAC
                    algorithm (x919 or cup-ecb), field 22 alignment and approval fields
  --params P        chip parameters and CA public keys served by download after sign-in:
                    "test" (default: 4 AIDs, 3 CA keys; see docs/unionpay-hosts.md) or "none"
  --reconcile MODE  how settlements (0500) are answered, a QA switch: "totals" (default: 95
                    and a batch upload only when the terminal's totals differ), "unbalanced-once"
                    (95 to each batch until the terminal uploaded it, whatever the totals),
                    "always" (95 to every 0500: batches close only by upload), "never" (00 to
                    every 0500, totals or not)
  --seed N          seed of keys and authorisation codes (default 1)`;

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

/** Opens --state FILE: loads the snapshot, replays the log into `make(state)`'s core, compacts. */
function openState(file: string, make: (state: AcquirerState | undefined) => AcquirerCore): { store: StateStore; core: AcquirerCore; replayed: number } {
  let store: StateStore;
  try {
    store = new StateStore(file, stateKey(file));
    const { state, replay } = store.load();
    const core = make(state);
    for (const r of replay) core.respond(r.frame as never, r.t);
    store.compact(core.snapshot()); // fails now, not at the first request, when the path is unwritable
    return { store, core, replayed: replay.length };
  } catch (e) {
    if ((e as { code?: string }).code !== undefined) fail("state file", `cannot use ${file}: ${(e as Error).message}`);
    throw e;
  }
}

/** `--wire-log FILE`: a writer of redacted frames (mode 0600), or undefined without the flag. */
function openWireLog(file: string): ((who: string, dir: "in" | "out", frame: Uint8Array) => void) | undefined {
  if (file === "") return undefined;
  let fd: number;
  try {
    fd = fs.openSync(file, "a", 0o600);
    fs.fchmodSync(fd, 0o600);
  } catch (e) {
    return fail("wire log", `cannot write ${file}: ${(e as Error).message}`);
  }
  return (who, dir, frame) => {
    fs.writeSync(fd, JSON.stringify({ t: Date.now(), who, dir, ...redactFrame(frame) }) + "\n");
  };
}

export const acquirer: Command = {
  name: "acquirer",
  summary: "simulated acquirer (TCP, ISO 8583 cup): accounts, ledger, test cards, faults",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--port", "--host", "--state", "--wire-log", "--faults", "--terminals", "--seed", "--profile", "--params", "--reconcile"], booleans: ["--quiet"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const stateFile = flagString(p, "--state", "");
    const terminalsFile = flagString(p, "--terminals", "");
    let spec;
    try {
      spec = parseFaultSpec(flagString(p, "--faults", "none"));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const terminals = terminalsFile === "" ? undefined : loadTerminals(terminalsFile);
    const seed = flagInt(p, "--seed", 1);
    const profileFile = flagString(p, "--profile", "");
    const profile = profileFile === "" ? {} : profileOptions(readProfile(profileFile));
    const params = paramsFlag(flagChoice(p, "--params", ["test", "none"], "test"));
    const reconcile = flagChoice(p, "--reconcile", RECONCILE_MODES, "totals") as ReconcileMode;
    const make = (state: AcquirerState | undefined) => new AcquirerCore({ seed, terminals, state, params, reconcile, ...profile });
    const opened = stateFile === "" ? undefined : openState(stateFile, make);
    const core = opened === undefined ? make(undefined) : opened.core;
    const quiet = flagBool(p, "--quiet");
    const port = flagPort(p, "--port", 8583);
    const front = new FaultyAcquirer(core, spec);
    let stop: (code: number) => void = () => undefined;
    if (opened !== undefined) front.commit = (frame, now_ms) => {
      try {
        if (opened.store.append(now_ms, frame)) opened.store.compact(core.snapshot());
      } catch (e) {
        console.error(`posrt acquirer: cannot write ${opened.store.logFile}, stopping: ${(e as Error).message}`);
        setImmediate(() => stop(1));
        throw e; // no reply leaves for a request that is not on disk
      }
    };
    const wireLog = openWireLog(flagString(p, "--wire-log", ""));
    const running = await startServer({
      acquirer: front,
      wire: wireLog,
      port,
      host: flagString(p, "--host", "127.0.0.1"),
      log: quiet ? undefined : (line) => console.log(line),
    }).catch((e: Error) => fail("listen", `port ${port}: ${e.message}`));
    const mode = terminals === undefined ? "development mode: any terminal may sign in" : `${terminals.length} registered terminals`;
    const where = opened === undefined ? "" : `, state ${path.resolve(stateFile)}, ${opened.replayed} logged requests replayed`;
    console.log(`posrt acquirer listening on port ${running.port} (${mode}${where})`);
    return new Promise<number>((resolve) => {
      let stopping = false;
      stop = (code: number) => {
        if (stopping) return;
        stopping = true;
        try {
          if (opened !== undefined && code === 0) opened.store.compact(core.snapshot());
          opened?.store.close();
        } catch (e) {
          console.error(`posrt acquirer: ${(e as Error).message}`);
          code = 1;
        }
        running.close().then(() => resolve(code));
      };
      process.once("SIGINT", () => stop(0));
      process.once("SIGTERM", () => stop(0));
    });
  },
};
