// posrt terminal: the terminal app headless on the desktop's device models (emulated NOR
// flash, software SecurityModule, a printer model) with a virtual clock, driven by a script
// or interactively from the keyboard. Default acquirer: the simulator, in-process.
import * as fs from "fs";
import { spawnSync } from "child_process";
import { Command } from "./command";
import { UsageError, flagBool, flagChoice, flagString, parseArgs } from "../args";
import { ParamSet, paramsFlag } from "../acquirer/params";
import { PARAMS_SUFFIX } from "./params-dump";
import { AcquirerCore, profileOptions } from "../acquirer/core";
import { AcquirerProfile } from "../../src/host/profile";
import { readProfile } from "../acquirer/profile-file";
import { Bytes } from "../../src/bytes/index";
import { errorText, isPosrtError } from "../../src/errors";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { PARAMS_FLASH, paramsFlash, terminalFlash, terminalSession, TERMINAL_FLASH } from "../../src/app/config";
import { Session } from "../../src/app/session";
import { loadNorImage, saveNorImage } from "../../hal/emulator/nor-file";
import { NorFlash } from "../../src/sim/nor-flash";
import { interactive } from "./terminal-console";
import { SecurityModule } from "../../hal/security";
import { SimBus } from "../../src/models/sim-bus";
import { Se050Model } from "../../src/models/se050";
import { chooseSecurity } from "../../hal/drivers/security-choice";
import { TEST_TMK_HEX } from "../../src/crypto/soft-security";
import { toHex, fromHex, crc32, concat, len } from "../../src/bytes/index";

const USAGE = `usage: posrt terminal [--script FILE|-] [--image FILE] [--acquirer embedded|HOST:PORT] [--profile FILE] [--params test|none] [--security software|se050-model] [--seed N] [--json]

Runs the terminal app headless: display, keypad, card reader and printer are models, the
clock is virtual. With --script, runs the script (one step per line: key K, keys DIGITS,
swipe|insert|tap CARD, remove, power-cut, wait MS, expect TEXT, # comment; see
docs/terminal.md) and exits 1 at the first "expect" not met within 65 s of virtual time,
showing the screen. Without --script: interactive (keys from the keyboard, see the help line).
--security se050-model keeps the keys in the SE050 model on a simulated I2C bus (driver and
model byte for byte, docs/security-module.md); the default is the software DES module.
  --image FILE     flash image (64 KB journal) to start from and to save back (created when
                   absent); downloaded chip parameters and CA keys go to FILE.params (16 KB)
  --acquirer A     "embedded" (default): the acquirer simulator in-process; HOST:PORT: an
                   acquirer on TCP (e.g. posrt acquirer), each exchange waiting in real time
  --profile FILE   acquirer profile (JSON, see docs/unionpay-hosts.md): the terminal speaks that
                   host's dialect (MAC, TPDU, header, field 22, fields), and so does the embedded
                   simulator (a TCP acquirer takes its own --profile)
  --params P       what the embedded simulator serves by download after sign-in: "test"
                   (default: 4 AIDs, 3 CA keys) or "none"
  --json           prints {frames, receipts, wire, audit, status} (frames: t_ms, rows;
                   receipts: copy, lines; wire: dir, mti, stan, rc)`;

export function embeddedAcquirer(seed: number, profile?: AcquirerProfile, params?: ParamSet): (frame: Bytes, t_ms: number) => Bytes | undefined {
  const core = new AcquirerCore({ seed, params, ...(profile === undefined ? {} : profileOptions(profile)) });
  return (frame: Bytes, t_ms: number) => core.respond(frame, t_ms).reply;
}

/** Waits this long (real time) for a TCP acquirer's reply before counting it as none. */
export const TCP_REPLY_TIMEOUT_MS = 5000;

// One exchange with a TCP acquirer, run as a child so the virtual-time session can stay
// synchronous: connect, write the frame (cup framing), read one framed reply, print its hex.
const TCP_EXCHANGE = `
const net = require("net");
const [host, port, hex, wait] = process.argv.slice(1);
const sock = net.connect({ host, port: Number(port) });
let buf = Buffer.alloc(0);
const done = (out) => { process.stdout.write(out); sock.destroy(); process.exit(0); };
sock.setTimeout(Number(wait), () => done(""));
sock.on("error", () => done(""));
sock.on("connect", () => sock.write(Buffer.from(hex, "hex")));
sock.on("data", (d) => {
  buf = Buffer.concat([buf, d]);
  if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(0, 2 + buf.readUInt16BE(0)).toString("hex"));
});
sock.on("close", () => done(""));`;

/** An acquirer at HOST:PORT (real time per exchange: the reply or none after TCP_REPLY_TIMEOUT_MS). */
export function tcpAcquirer(host: string, port: number): (frame: Bytes, t_ms: number) => Bytes | undefined {
  return (frame: Bytes) => {
    const r = spawnSync(process.execPath, ["-e", TCP_EXCHANGE, host, String(port), toHex(frame), String(TCP_REPLY_TIMEOUT_MS)], { encoding: "utf8", timeout: TCP_REPLY_TIMEOUT_MS + 5000 });
    const hex = (r.stdout ?? "").trim();
    return hex.length > 0 ? fromHex(hex) : undefined;
  };
}

function acquirerOf(spec: string, seed: number, profile?: AcquirerProfile, params?: ParamSet): (frame: Bytes, t_ms: number) => Bytes | undefined {
  if (spec === "embedded") return embeddedAcquirer(seed, profile, params);
  const m = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(spec);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new UsageError(`--acquirer must be "embedded" or HOST:PORT, got "${spec}"`);
  return tcpAcquirer(m[1], Number(m[2]));
}

function openFlash(image: string, seed: number): NorFlash {
  if (image !== "" && fs.existsSync(image)) return loadNorImage(image, TERMINAL_FLASH.sector_bytes, seed);
  return terminalFlash(seed);
}

/** The parameter region kept beside the journal image (IMAGE.params), fresh when absent. */
function openParamsFlash(image: string, seed: number): NorFlash {
  const file = image + PARAMS_SUFFIX;
  if (image !== "" && fs.existsSync(file)) return loadNorImage(file, PARAMS_FLASH.sector_bytes, seed);
  return paramsFlash(seed);
}

/** Saves the journal image and, beside it, the parameter region (both mode 0600); nothing without --image. */
function saveImages(flash: NorFlash, pflash: NorFlash, image: string): void {
  if (image === "") return;
  saveNorImage(flash, image);
  fs.chmodSync(image, 0o600);
  saveNorImage(pflash, image + PARAMS_SUFFIX);
  fs.chmodSync(image + PARAMS_SUFFIX, 0o600);
}

/** The session's outputs as `--json` prints them. */
export function sessionJson(s: Session, ok: boolean, error: string): unknown {
  const j = s.j;
  return {
    frames: s.frames,
    receipts: s.receipts,
    wire: s.wire,
    audit: s.auditEntries(),
    status: {
      ok, error, t_ms: s.t, screen: s.screen(), batch: j.batch(), txns: j.txns().length, pending_reversals: j.pendingReversals().length,
      journal_fill_percent: j.fillPercent(), power_cuts: s.cuts, printer_bytes: s.printed.reduce((n, b) => n + len(b), 0),
      printer_crc: crc32(concat(s.printed)), flash_crc: crc32(s.o.flash.image()),
    },
  };
}

function readScript(file: string): string {
  try {
    return file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read script ${file}: ${(e as Error).message}`);
  }
}

function box(rows: string[]): string {
  const w = rows.reduce((n, r) => Math.max(n, r.length), 0);
  return ["+" + "-".repeat(w) + "+", ...rows.map((r) => "|" + r.padEnd(w) + "|"), "+" + "-".repeat(w) + "+"].join("\n");
}

/** The SE050 path on the SE050 model (simulated I2C bus), provisioned with the TEST master key. */
function se050ModelSecurity(mac_algorithm: string): SecurityModule {
  const sim = new SimBus();
  new Se050Model(sim, {});
  const c = chooseSecurity(sim.bus, { secure_element: "se050", tmk_hex: TEST_TMK_HEX, mac_algorithm });
  if (c.kind !== "se050") throw new UsageError("the SE050 model did not answer: " + c.banner);
  return c.sm;
}

export const terminal: Command = {
  name: "terminal",
  summary: "the terminal app headless: run a script (keys, cards, power cuts) or interactively",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--script", "--image", "--acquirer", "--seed", "--profile", "--params", "--security"], booleans: ["--json"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const acq = flagString(p, "--acquirer", "embedded");
    const seed = Number(flagString(p, "--seed", "1"));
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError("--seed must be a non-negative integer");
    const image = flagString(p, "--image", "");
    const scriptFile = flagString(p, "--script", "");
    const steps = scriptFile === "" ? undefined : parseScript(readScript(scriptFile));
    if (steps === undefined && process.stdin.isTTY !== true) throw new UsageError("interactive mode needs a terminal; use --script FILE (or --script - for piped input)");
    const flash = openFlash(image, seed);
    const pflash = openParamsFlash(image, seed);
    const params = paramsFlag(flagChoice(p, "--params", ["test", "none"], "test"));
    const profileFile = flagString(p, "--profile", "");
    const profile = profileFile === "" ? undefined : readProfile(profileFile);
    const securityKind = flagChoice(p, "--security", ["software", "se050-model"], "software");
    const security = securityKind === "software" ? undefined : se050ModelSecurity;
    const session = terminalSession({ acquirer: acquirerOf(acq, seed, profile, params), flash, seed, profile, paramsFlash: pflash, security });
    if (steps === undefined) {
      await interactive(session);
      saveImages(flash, pflash, image);
      return 0;
    }
    const r = runScript(session, steps);
    saveImages(flash, pflash, image);
    if (flagBool(p, "--json")) console.log(JSON.stringify(sessionJson(session, r.ok, r.error)));
    else if (r.ok) console.log(`script ok: ${steps.length} steps, ${session.frames.length} frames, ${session.receipts.length} receipts, ${session.wire.length} wire messages, ${(session.t / 1000).toFixed(1)} s virtual\n${box(r.screen)}`);
    if (!r.ok) console.error(`${scriptFile} line ${r.line}: ${r.error}; the screen:\n${box(r.screen)}`);
    return r.ok ? 0 : 1;
  },
};

export { errorText, isPosrtError, toHex };
