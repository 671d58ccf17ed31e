// What the page needs of the portable code besides the device bundle, bundled for the browser
// by the server (cli/emulator/page-lib.ts): the script parser of `posrt terminal` (one script
// language everywhere). Only src/ modules: nothing here may pull in Node, and nothing may pull
// in the test cards' numbers (the page knows cards by name).
import { parseScript as parse } from "../../src/app/script";

export const parseScript = parse;
