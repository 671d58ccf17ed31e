import { Command } from "./command";
import { parseArgs } from "../args";
import { DemoDay } from "../demo/day";

const USAGE = `usage: posrt emulator

Until the emulator UI exists this runs a narrated, scripted demo day: sign-in, sales, a
decline, a lost reply and its automatic reversal, a void, a refund and a settlement, with
receipts (masked PAN) and the journal state, against the in-process acquirer.`;

export const emulator: Command = {
  name: "emulator",
  summary: "scripted demo day of the terminal core (the emulator UI comes later)",
  usage: USAGE,
  async run(argv) {
    parseArgs(argv, {});
    new DemoDay((line) => console.log(line)).run();
    return 0;
  },
};
