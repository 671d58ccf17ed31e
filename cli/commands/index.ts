import { Command } from "./command";
import { conformance } from "./conformance";

/** Every posrt subcommand, in help order. */
export const COMMANDS: Command[] = [conformance];
