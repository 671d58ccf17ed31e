// What the page needs of the portable code besides the device bundle, bundled for the browser
// by the server (cli/emulator/page-lib.ts): the simulator's magic amounts for the cheat sheet.
// Only src/ modules: nothing here may pull in Node.
import { MAGIC_AMOUNTS } from "../../src/acquirer/protocol";

export const magicAmounts = MAGIC_AMOUNTS;
