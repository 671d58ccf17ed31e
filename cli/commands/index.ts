import { Command } from "./command";
import { conformance } from "./conformance";
import { bench } from "./bench";
import { iso8583 } from "./iso8583";

/** Every posrt subcommand, in help order. Add yours here. */
export const COMMANDS: Command[] = [conformance, bench, iso8583];
