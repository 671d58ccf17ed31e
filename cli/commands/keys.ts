import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { Command } from "./command";
import { InputError, UsageError, flagBool, flagString, parseArgs } from "../args";
import { ROOT } from "../paths";
import { shellQuote } from "./flash";
import { Board, BoardSpec, Target, interpreterOf, prepareFlash } from "../device/boards";
import { devConfigFiles } from "../device/dev-config";
import { CONFIG_FILE } from "../../firmware/device/config";
import { ecb, kcv, tdesKey } from "../../src/crypto/index";
import { fromHex, toHex } from "../../src/bytes/index";
import { errorText } from "../../src/errors";

const USAGE = `usage: posrt keys inject --key tmk|kek --hex HEX --kcv KCV --form clear|kek
                        (--port DEVICE --board espruino|nodemcu [--dry-run]
                         | --target espruino|lua --flash-dir DIR [--interpreter PATH])
       posrt keys kcv --hex HEX
       posrt keys wrap --kek HEX --hex HEX

inject  loads a key into the board over its console (posrt.inject): the terminal master key
        (tmk) under the board's key-encryption key (--form kek), or in clear (--form clear,
        development builds only); a KEK goes in clear once, when the board has none, later
        only under the current KEK. The board checks the key against --kcv (check value: the
        first 3 bytes of DES/3DES of a zero block, 6 hex digits) and stores nothing on a mismatch.
        --port: a board on a serial port (Espruino through the espruino CLI; NodeMCU: the line
        is written to the port, its answer is on the board's console); --dry-run prints the
        command instead. --target: the firmware on a real interpreter with its flash in DIR
        (as \`posrt device run --flash-dir DIR\` uses it; loaded there first when absent).
kcv     prints a key's check value.
wrap    prints a key encrypted under a KEK (3DES-ECB) and its check value: what --form kek takes.`;

/** A key in hex: 16 or 24 bytes; else an InputError naming the flag. */
function keyHex(flag: string, hex: string): string {
  if (!/^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/.test(hex)) throw new InputError(`${flag}: a key is 32 or 48 hex digits`);
  return hex.toUpperCase();
}

function kcvHex(hex: string): string {
  return toHex(kcv(fromHex(hex)));
}

/** The console line that loads the key. */
export function injectCall(key: string, hex: string, check: string, form: string): string {
  return `posrt.inject(${JSON.stringify(key)},${JSON.stringify(hex)},${JSON.stringify(check)},${JSON.stringify(form)})`;
}

/** The command that sends `line` to a board on a serial port. */
export function portCommand(board: string, port: string, line: string): string[] {
  if (board === "espruino") {
    const cli = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
    return [process.execPath, cli, "--board", path.join(ROOT, "firmware", "espruino", "board.json"), "-p", port, "-e", line];
  }
  return ["sh", "-c", `printf '%s\\r\\n' "$1" > "$2"`, "sh", line, port];
}

/** Boots the firmware on its flash in `dir`, calls posrt.inject, powers off; the board's answer. */
async function injectOnTarget(target: Target, bin: string, dir: string, line: string): Promise<string> {
  const spec: BoardSpec = { target, bin, dir };
  const loaded = target === "espruino" ? fs.existsSync(path.join(dir, "espruino.flash")) : fs.existsSync(path.join(dir, CONFIG_FILE));
  if (!loaded) prepareFlash(spec, devConfigFiles(8583));
  const b = new Board(spec);
  try {
    await b.boot();
    return JSON.parse(await b.call(line)) as string;
  } finally {
    await b.kill();
  }
}

async function inject(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ["--key", "--hex", "--kcv", "--form", "--port", "--board", "--target", "--flash-dir", "--interpreter"], booleans: ["--dry-run"] });
  const key = flagString(p, "--key", "");
  const form = flagString(p, "--form", "");
  if (key !== "tmk" && key !== "kek") throw new UsageError("--key must be tmk or kek");
  if (form !== "clear" && form !== "kek") throw new UsageError("--form must be clear or kek");
  const hex = keyHex("--hex", flagString(p, "--hex", ""));
  const check = flagString(p, "--kcv", "").toUpperCase();
  if (!/^[0-9A-F]{6}$/.test(check)) throw new InputError("--kcv: the check value is 6 hex digits");
  if (form === "clear" && kcvHex(hex) !== check) throw new InputError(`--kcv ${check} does not match the key (it gives ${kcvHex(hex)}): nothing sent`);
  const line = injectCall(key, hex, check, form);
  const port = flagString(p, "--port", "");
  const target = flagString(p, "--target", "");
  if ((port === "") === (target === "")) throw new UsageError("give --port DEVICE or --target espruino|lua");
  if (port !== "") {
    const board = flagString(p, "--board", "");
    if (board !== "espruino" && board !== "nodemcu") throw new UsageError("--board must be espruino or nodemcu");
    const cmd = portCommand(board, port, line);
    if (flagBool(p, "--dry-run")) {
      console.log(cmd.map(shellQuote).join(" "));
      return 0;
    }
    if (!fs.existsSync(port)) throw new InputError(`no device at ${port}`);
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit" });
    return r.status ?? 1;
  }
  if (target !== "espruino" && target !== "lua") throw new UsageError(`unknown target "${target}" (espruino or lua)`);
  const dir = flagString(p, "--flash-dir", "");
  if (dir === "") throw new UsageError("--flash-dir DIR is required with --target");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const answer = await injectOnTarget(target, interpreterOf(target, flagString(p, "--interpreter", "")), dir, line);
  if (answer !== "loaded") {
    console.error(`posrt keys inject: the board refused the ${key}: ${answer}`);
    return 1;
  }
  console.log(`${key} loaded, check value ${check}`);
  return 0;
}

export const keys: Command = {
  name: "keys",
  summary: "inject the terminal master key (or the KEK) into a board; key check values",
  usage: USAGE,
  async run(argv) {
    const sub = argv[0];
    if (sub === "inject") return inject(argv.slice(1));
    if (sub === "kcv") {
      const p = parseArgs(argv.slice(1), { values: ["--hex"], booleans: [] });
      console.log(kcvHex(keyHex("--hex", flagString(p, "--hex", ""))));
      return 0;
    }
    if (sub === "wrap") {
      const p = parseArgs(argv.slice(1), { values: ["--hex", "--kek"], booleans: [] });
      const hex = keyHex("--hex", flagString(p, "--hex", ""));
      const kek = keyHex("--kek", flagString(p, "--kek", ""));
      let wrapped = "";
      try {
        wrapped = toHex(ecb(tdesKey(fromHex(kek)), fromHex(hex), false));
      } catch (e) {
        throw new InputError(errorText(e));
      }
      console.log(`${wrapped} ${kcvHex(hex)}`);
      return 0;
    }
    throw new UsageError("expected: posrt keys inject|kcv|wrap ...");
  },
};
