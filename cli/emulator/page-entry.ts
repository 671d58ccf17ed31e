// What the page needs of the portable code besides the device bundle, bundled for the browser
// by the server (cli/emulator/page-lib.ts): the script parser of `posrt terminal` (one script
// language everywhere) and the ESC/POS printer model that renders receipts from printer bytes. Only src/ modules: nothing here may pull in Node, and nothing may pull
// in the test cards' numbers (the page knows cards by name).
import { parseScript as parse } from "../../src/app/script";
import { EscPosPrinter as Printer } from "../../src/models/escpos-printer";

export const parseScript = parse;
export const EscPosPrinter = Printer;
