import { Command } from "./command";
import { conformance } from "./conformance";
import { bench } from "./bench";
import { tlv } from "./tlv";
import { flash } from "./flash";
import { journal } from "./journal";

/** Every posrt subcommand, in help order. Add yours here. */
export const COMMANDS: Command[] = [
  conformance,
  bench,
  tlv,
  flash,
  journal,
];
