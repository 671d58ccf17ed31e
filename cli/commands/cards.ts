// posrt cards: the virtual test cards scripts use (swipe/insert/tap CARD).
import { Command } from "./command";
import { UsageError, flagBool, parseArgs } from "../args";
import { TEST_CARDS } from "../../src/app/cards";
import { formatAmount } from "../../src/txn/time";

const USAGE = `usage: posrt cards [--json]

The test cards of the terminal (posrt terminal, the emulator, the device console): name,
PAN, what the card offers (stripe, chip, contactless), its TEST PIN and opening balance at
the acquirer simulator, and what the simulator does with it. TEST data: protects nothing.`;

export const cards: Command = {
  name: "cards",
  summary: "the virtual test cards (name, PAN, track 2, chip, PIN, balance)",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { booleans: ["--json"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    if (flagBool(p, "--json")) {
      console.log(JSON.stringify(TEST_CARDS, null, 1));
      return 0;
    }
    for (const c of TEST_CARDS) {
      const modes = [c.track2 !== "" ? "stripe" : "stripe(unreadable)", c.chip ? "chip" : "", c.contactless ? "tap" : ""].filter((m) => m !== "").join("+");
      console.log(`${c.name.padEnd(8)} ${c.pan}  ${modes.padEnd(16)} PIN ${(c.pin === "" ? "none" : c.pin).padEnd(4)}  ${formatAmount(c.balance_minor).padStart(14)}  ${c.label}`);
    }
    return 0;
  },
};
