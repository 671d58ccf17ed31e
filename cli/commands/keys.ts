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

/** NodeMCU's serial console speed (its firmware default). */
export const NODEMCU_BAUD = 115200;
/** How long `keys inject --port --board nodemcu` waits for the board's answer line. */
export const NODEMCU_ANSWER_S = 20;
/** The NodeMCU answer line starts with this (the echoed input line never does: it starts with the prompt or "print("). */
export const ANSWER_MARK = "@@K ";

/**
 * The command that sends `line` to a board on a serial port and prints the board's answer.
 * Espruino: the espruino CLI. NodeMCU: the port is set to NODEMCU_BAUD raw without echo, opened
 * for reading and writing on one descriptor (so the answer is not lost between a write and a
 * later read), the Lua line prints its result after ANSWER_MARK, and sed prints the first such
 * line without the mark (or nothing after NODEMCU_ANSWER_S). A bare Lua call would print nothing:
 * NodeMCU's REPL shows no value of a statement.
 */
export function portCommand(board: string, port: string, line: string): string[] {
  if (board === "espruino") {
    const cli = path.join(ROOT, "node_modules", "espruino", "bin", "espruino-cli.js");
    return [process.execPath, cli, "--board", path.join(ROOT, "firmware", "espruino", "board.json"), "-p", port, "-e", line];
  }
  const lua = `print(${JSON.stringify(ANSWER_MARK)}..tostring(${line}))`;
  const script = `stty -F "$2" ${NODEMCU_BAUD} raw -echo && exec 3<>"$2" && printf '%s\\r\\n' "$1" >&3 && timeout ${NODEMCU_ANSWER_S} sed -n '/^${ANSWER_MARK}/{s/\\r$//;s/^${ANSWER_MARK}//p;q}' <&3`;
  return ["sh", "-c", script, "sh", lua, port];
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
    if (board === "espruino") return spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit" }).status ?? 1;
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return reportAnswer(key, check, r.stdout.trim(), r.status === 0 ? "" : `${port}: ${r.stderr.trim().split("\n")[0] || "exit " + r.status}`, port);
  }
  if (target !== "espruino" && target !== "lua") throw new UsageError(`unknown target "${target}" (espruino or lua)`);
  const dir = flagString(p, "--flash-dir", "");
  if (dir === "") throw new UsageError("--flash-dir DIR is required with --target");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const answer = await injectOnTarget(target, interpreterOf(target, flagString(p, "--interpreter", "")), dir, line);
  return reportAnswer(key, check, answer, "", dir);
}

/** Prints the board's answer to posrt.inject ("loaded", or why not); 0 when loaded. */
function reportAnswer(key: string, check: string, answer: string, failed: string, where: string): number {
  if (answer === "loaded") {
    console.log(`${key} loaded, check value ${check}`);
    return 0;
  }
  if (answer === "") console.error(`posrt keys inject: no answer from the board on ${where} within ${NODEMCU_ANSWER_S} s${failed === "" ? "" : " (" + failed + ")"}: is posrt running there?`);
  else console.error(`posrt keys inject: the board refused the ${key}: ${answer}`);
  return 1;
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
