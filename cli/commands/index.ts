import { Command } from "./command";
import { conformance } from "./conformance";
import { bench } from "./bench";
import { sim } from "./sim";

/** Every posrt subcommand, in help order. Add yours here. */
export const COMMANDS: Command[] = [conformance, bench, sim];
