import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Command } from "./command";
import { readProfile } from "../acquirer/profile-file";
import { InputError, flagBool, flagString, parseArgs, UsageError } from "../args";
import { DIST, ROOT } from "../paths";
import { CONFIG_FILE, CONFIG_KEYS, CONFIG_PROFILE_KEY, DeviceConfig, configText } from "../../firmware/device/config";
import { errorText } from "../../src/errors";

const USAGE = `usage: posrt flash --target espruino|nodemcu --port DEVICE [--config FILE [--profile FILE]] [--dry-run]

Writes the built firmware (run \`npm run build\` first) onto a board on a serial port, the way
\`posrt device run\` runs it:
  espruino  posrt.js into Storage (function bodies stay in flash) and a boot file .bootcde that
            evaluates it from there, through the espruino CLI; then load() restarts the board
  nodemcu   the stripped bytecode posrt.luac and an init.lua that runs it, through
            nodemcu-uploader (must be on the PATH)
--config FILE  also writes the board's configuration (posrt.cfg, CRC-checked at boot) from a
               JSON object with ${CONFIG_KEYS.join(", ")}, and optionally "profile": an acquirer
               profile object (docs/unionpay-hosts.md) the board's host codec and MAC follow, and
               "secure_element": "se050[,sda=N,scl=N,address=N]" (docs/security-module.md)
--profile FILE puts that acquirer profile file (as \`posrt terminal --profile\` takes) into the
               configuration, replacing any "profile" there
--dry-run prints the command (one line, ready to paste into a shell) instead of running it.
Keys are not written here: \`posrt keys inject\` loads the master key over the console.`;

/** The boot files written next to the build output. */
export const ESPRUINO_BOOT = "eval(require(\"Storage\").read(\"posrt.js\"));\n";
export const NODEMCU_INIT = "dofile(\"posrt.luac\")\n";

interface Plan {
  /** The built file the plan needs (checked before running). */
  file: string;
  cmd: string;
  args: string[];
}

/** \`s\` as one shell word: as is when plain, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Reads a JSON configuration file into the record the board stores; bad input is an InputError. */
export function readConfigFile(file: string, profileFile?: string): string {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`--config ${file}: ${errorText(e)}`);
  }
  for (const k of CONFIG_KEYS) if (j[k] === undefined) throw new InputError(`--config ${file}: "${k}" is missing`);
  if (profileFile !== undefined) {
    try {
      readProfile(profileFile);
    } catch (e) {
      throw new InputError(`--profile ${errorText(e).replace(/^profile: /, "")}`);
    }
    try {
      j[CONFIG_PROFILE_KEY] = JSON.parse(fs.readFileSync(profileFile, "utf8"));
    } catch (e) {
      throw new InputError(`--profile ${profileFile}: ${errorText(e)}`);
    }
  }
  const prof = j[CONFIG_PROFILE_KEY];
  if (prof !== undefined && (typeof prof !== "object" || prof === null || Array.isArray(prof))) throw new InputError(`--config ${file}: "profile" must be a profile object`);
  if (prof !== undefined) j[CONFIG_PROFILE_KEY] = JSON.stringify(prof);
  try {
    return configText(j as unknown as DeviceConfig);
  } catch (e) {
    throw new InputError(`--config ${file}: ${errorText(e)}`);
  }
}

/** Writes `text` as `name` next to the target's build output; its path. */
function distFile(target: string, name: string, text: string): string {
  const file = path.join(DIST, target, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The command that writes the firmware (and the configuration record, when given) onto the board. */
export function flashPlan(target: string, port: string, config?: string): Plan {
  if (target === "espruino") {
    const file = path.join(DIST, "espruino", "posrt.js");
    const cli = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
    const board = path.join(ROOT, "firmware", "espruino", "board.json");
    const args = [cli, "--board", board, "-p", port, "--storage", `posrt.js:${file}`, "--storage", `.bootcde:${distFile("espruino", "posrt-boot.js", ESPRUINO_BOOT)}`];
    if (config !== undefined) args.push("--storage", `${CONFIG_FILE}:${distFile("espruino", CONFIG_FILE, config)}`);
    return { file, cmd: process.execPath, args: [...args, "-e", "load()"] };
  }
  if (target === "nodemcu") {
    const file = path.join(DIST, "nodemcu", "posrt.luac");
    const args = ["--port", port, "upload", `${file}:posrt.luac`, `${distFile("nodemcu", "init.lua", NODEMCU_INIT)}:init.lua`];
    if (config !== undefined) args.push(`${distFile("nodemcu", CONFIG_FILE, config)}:${CONFIG_FILE}`);
    return { file, cmd: "nodemcu-uploader", args };
  }
  throw new UsageError(`unknown target "${target}" (espruino or nodemcu)`);
}

export const flash: Command = {
  name: "flash",
  summary: "upload the built firmware to an Espruino or NodeMCU device",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--target", "--port", "--config", "--profile"], booleans: ["--dry-run"] });
    const target = flagString(p, "--target", "");
    const port = flagString(p, "--port", "");
    if (target === "") throw new UsageError("--target is required");
    if (port === "") throw new UsageError("--port is required (e.g. /dev/ttyUSB0)");
    if (target !== "espruino" && target !== "nodemcu") throw new UsageError(`unknown target "${target}" (espruino or nodemcu)`);
    const cfgFile = flagString(p, "--config", "");
    const profFile = flagString(p, "--profile", "");
    if (profFile !== "" && cfgFile === "") throw new InputError("--profile goes with --config (the profile is part of the configuration)");
    const plan = flashPlan(target, port, cfgFile === "" ? undefined : readConfigFile(cfgFile, profFile === "" ? undefined : profFile));
    if (!fs.existsSync(plan.file)) {
      console.error(`posrt flash: ${plan.file} is missing; run \`npm run build\` first`);
      return 1;
    }
    const plans = [plan];
    if (flagBool(p, "--dry-run")) {
      for (const pl of plans) console.log([pl.cmd, ...pl.args].map(shellQuote).join(" "));
      return 0;
    }
    if (!fs.existsSync(port)) {
      console.error(`posrt flash: no device at ${port}`);
      return 1;
    }
    for (const pl of plans) {
      const r = spawnSync(pl.cmd, pl.args, { stdio: "inherit" });
      if (r.error) {
        console.error(`posrt flash: cannot run ${pl.cmd}: ${r.error.message}`);
        return 1;
      }
      if (r.status !== 0) return r.status ?? 1;
    }
    return 0;
  },
};
