import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Command } from "./command";
import { InputError, flagBool, flagString, parseArgs, UsageError } from "../args";
import { DIST, ROOT } from "../paths";
import { CONFIG_FILE, CONFIG_KEYS, DeviceConfig, configText } from "../../firmware/device/config";
import { errorText } from "../../src/errors";

const USAGE = `usage: posrt flash --target espruino|nodemcu --port DEVICE [--config FILE] [--dry-run]

Uploads the built firmware (run \`npm run build\` first) to a device on a serial port:
  espruino  firmware/dist/espruino/posrt.js via the espruino CLI (saved to flash with save())
  nodemcu   firmware/dist/nodemcu/posrt.lua via nodemcu-uploader (must be on the PATH)
--config FILE  also writes the board's configuration (posrt.cfg, CRC-checked at boot) from a
               JSON object with ${CONFIG_KEYS.join(", ")}
--dry-run prints the commands (one per line, ready to paste into a shell) instead of running them.`;

interface Plan {
  file: string;
  cmd: string;
  args: string[];
}

/** `s` as one shell word: as is when plain, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Reads a JSON configuration file into the record the board stores; bad input is an InputError. */
export function readConfigFile(file: string): string {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`--config ${file}: ${errorText(e)}`);
  }
  for (const k of CONFIG_KEYS) if (j[k] === undefined) throw new InputError(`--config ${file}: "${k}" is missing`);
  try {
    return configText(j as unknown as DeviceConfig);
  } catch (e) {
    throw new InputError(`--config ${file}: ${errorText(e)}`);
  }
}

/** The command that writes the configuration record onto the board. */
export function configPlan(target: string, port: string, text: string): Plan {
  if (target === "espruino") {
    const cli = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
    const board = path.join(ROOT, "firmware", "espruino", "board.json");
    const code = `require("Storage").write(${JSON.stringify(CONFIG_FILE)},${JSON.stringify(text)})`;
    return { file: "", cmd: process.execPath, args: [cli, "--board", board, "-p", port, "-e", code] };
  }
  const file = path.join(DIST, "nodemcu", CONFIG_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, cmd: "nodemcu-uploader", args: ["--port", port, "upload", `${file}:${CONFIG_FILE}`] };
}

/** The upload command for a target and serial port. */
export function flashPlan(target: string, port: string): Plan {
  if (target === "espruino") {
    const file = path.join(DIST, "espruino", "posrt.js");
    const cli = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
    const board = path.join(ROOT, "firmware", "espruino", "board.json");
    return { file, cmd: process.execPath, args: [cli, "--board", board, "-p", port, file, "-e", "save()"] };
  }
  if (target === "nodemcu") {
    const file = path.join(DIST, "nodemcu", "posrt.lua");
    return { file, cmd: "nodemcu-uploader", args: ["--port", port, "upload", `${file}:posrt.lua`] };
  }
  throw new UsageError(`unknown target "${target}" (espruino or nodemcu)`);
}

export const flash: Command = {
  name: "flash",
  summary: "upload the built firmware to an Espruino or NodeMCU device",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--target", "--port", "--config"], booleans: ["--dry-run"] });
    const target = flagString(p, "--target", "");
    const port = flagString(p, "--port", "");
    if (target === "") throw new UsageError("--target is required");
    if (port === "") throw new UsageError("--port is required (e.g. /dev/ttyUSB0)");
    const plan = flashPlan(target, port);
    if (!fs.existsSync(plan.file)) {
      console.error(`posrt flash: ${plan.file} is missing; run \`npm run build\` first`);
      return 1;
    }
    const cfgFile = flagString(p, "--config", "");
    const plans = cfgFile === "" ? [plan] : [plan, configPlan(target, port, readConfigFile(cfgFile))];
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
