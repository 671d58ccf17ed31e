import { Command } from "./command";
import { parseArgs } from "../args";
import { DemoDay } from "../demo/day";

const USAGE = `usage: posrt demo

A narrated, scripted demo day: sign-in, sales, a decline, a lost reply and its automatic
reversal, a void, a refund and a settlement, with receipts (masked PAN) and the journal
state, against the in-process acquirer on a virtual clock. The interactive terminal is
"posrt emulator" (npm start).`;

export const demo: Command = {
  name: "demo",
  summary: "narrated scripted demo day of the terminal core",
  usage: USAGE,
  async run(argv) {
    parseArgs(argv, {});
    new DemoDay((line) => console.log(line)).run();
    return 0;
  },
};
