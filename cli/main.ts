// posrt: the one command-line entry. Each subcommand lives in cli/commands/.
// Errors are handled here, once: one line on stderr, exit code 0 ok, 1 bad data or failed
// check, 2 bad usage (with a pointer to the command's --help).
import * as fs from "fs";
import * as path from "path";
import { InputError, UsageError, systemErrorText } from "./args";
import { COMMANDS } from "./commands/index";
import { setProgressSilent } from "./progress";
import { ROOT } from "./paths";

/** Exit codes of every posrt command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const HELP = `posrt — payment-terminal runtime

usage: posrt <command> [options]
       posrt --version

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join("\n")}

Run "posrt <command> --help" for a command's options. Data arguments take the data itself,
- for stdin, or @FILE (at most 16 MiB). --quiet silences progress (shown on a terminal only).
Exit codes: 0 ok, 1 bad data or a failed check, 2 bad usage. Errors are one line on stderr.`;

/** The package version ("0.1.0"). */
export function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** "posrt iso8583: iso8583: x" reads "posrt iso8583: x": drop a repeated leading "<name>: ". */
function oneLine(name: string, message: string): string {
  let m = message.trim();
  const prefix = `${name}: `;
  if (m.startsWith(prefix)) m = m.slice(prefix.length);
  const nl = m.indexOf("\n");
  return nl < 0 ? m : m.slice(0, nl);
}

function report(where: string, e: unknown): number {
  if (e instanceof UsageError) {
    console.error(`${where}: ${oneLine(where.replace(/^posrt ?/, ""), e.message)} (see \`${where} --help\`)`);
    return EXIT_USAGE;
  }
  const name = where.replace(/^posrt ?/, "");
  const sys = systemErrorText(e);
  if (sys !== undefined) {
    console.error(`${where}: ${sys}`);
    return EXIT_FAILED;
  }
  const err = e as Error;
  if (e instanceof InputError || (err && err.name === "PosrtError")) {
    console.error(`${where}: ${oneLine(name, err.message)}`);
    return EXIT_FAILED;
  }
  throw e;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(HELP);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return EXIT_OK;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(`posrt ${version()}`);
    return EXIT_OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    return report("posrt", new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(", ")})`));
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.usage);
    return EXIT_OK;
  }
  setProgressSilent(rest.includes("--quiet") || rest.includes("--json"));
  try {
    return await cmd.run(rest);
  } catch (e) {
    return report(`posrt ${name}`, e);
  }
}
