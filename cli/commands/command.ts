/** One posrt subcommand. `run` resolves to the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<number>;
}
