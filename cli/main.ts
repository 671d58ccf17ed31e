// posrt: the one command-line entry. Each subcommand lives in cli/commands/.
import { UsageError } from "./args";
import { COMMANDS } from "./commands/index";

const HELP = `posrt — payment-terminal runtime

usage: posrt <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join("\n")}

Run "posrt <command> --help" for a command's options.`;

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`posrt: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`posrt ${name}: ${e.message}\n\n${cmd.usage}`);
      return 2;
    }
    const err = e as Error;
    if (err && err.name === "PosrtError") {
      console.error(`posrt ${name}: ${err.message}`);
      return 1;
    }
    throw e;
  }
}
