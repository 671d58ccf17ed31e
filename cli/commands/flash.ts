import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Command } from "./command";
import { flagBool, flagString, parseArgs, UsageError } from "../args";
import { DIST, ROOT } from "../paths";

const USAGE = `usage: posrt flash --target espruino|nodemcu --port DEVICE [--dry-run]

Uploads the built firmware (run \`npm run build\` first) to a device on a serial port:
  espruino  firmware/dist/espruino/posrt.js via the espruino CLI (saved to flash with save())
  nodemcu   firmware/dist/nodemcu/posrt.lua via nodemcu-uploader (must be on the PATH)
--dry-run prints the command instead of running it.`;

interface Plan {
  file: string;
  cmd: string;
  args: string[];
}

/** `s` as one shell word: as is when plain, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.:=@%+,-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
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
    const p = parseArgs(argv, { values: ["--target", "--port"], booleans: ["--dry-run"] });
    const target = flagString(p, "--target", "");
    const port = flagString(p, "--port", "");
    if (target === "") throw new UsageError("--target is required");
    if (port === "") throw new UsageError("--port is required (e.g. /dev/ttyUSB0)");
    const plan = flashPlan(target, port);
    if (!fs.existsSync(plan.file)) {
      console.error(`posrt flash: ${plan.file} is missing; run \`npm run build\` first`);
      return 1;
    }
    if (flagBool(p, "--dry-run")) {
      console.log([plan.cmd, ...plan.args].map(shellQuote).join(" "));
      return 0;
    }
    if (!fs.existsSync(port)) {
      console.error(`posrt flash: no device at ${port}`);
      return 1;
    }
    const r = spawnSync(plan.cmd, plan.args, { stdio: "inherit" });
    if (r.error) {
      console.error(`posrt flash: cannot run ${plan.cmd}: ${r.error.message}`);
      return 1;
    }
    return r.status ?? 1;
  },
};
