import { Command } from "./command";
import { conformance } from "./conformance";
import { bench } from "./bench";
import { tlv } from "./tlv";
import { flash } from "./flash";
import { iso8583 } from "./iso8583";
import { acquirer } from "./acquirer";
import { sim } from "./sim";
import { emulator } from "./emulator";
import { demo } from "./demo";
import { journal } from "./journal";
import { terminal } from "./terminal";
import { cards } from "./cards";
import { device } from "./device";
import { keys } from "./keys";

/** Every posrt subcommand, in help order. Add yours here. */
export const COMMANDS: Command[] = [
  conformance,
  bench,
  tlv,
  flash,
  iso8583,
  acquirer,
  sim,
  emulator,
  demo,
  journal,
  terminal,
  cards,
  device,
  keys,
];
