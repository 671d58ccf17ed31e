// Suites for the small codecs: crc32, luhn, pan.mask, track2.parse, bcd.encode; and
// conformance.divide, the vector matcher's own check: it returns `a / b` as the runtime
// computes it (a float in Lua), so a vector expecting 7 passes for 14 / 2 on JavaScript and
// must fail on Lua (the matcher tells 7 from 7.0). Its vectors live in the matcher's unit test.
import { Suite, str } from "../suite";
import { bcdEncode, crc32, fromHex, toHex } from "../../bytes/index";
import { luhnValid, maskPan, parseTrack2 } from "../../card/pan";

function asString(input: unknown): string {
  if (typeof input !== "string") throw new Error("vector input must be a string");
  return input;
}

function divide(input: unknown): number {
  const pair = input as number[];
  if (typeof pair !== "object" || typeof pair[0] !== "number" || typeof pair[1] !== "number") throw new Error("vector input must be [a, b]");
  return pair[0] / pair[1]; // float on purpose: the matcher must see Lua's 7.0
}

export const BASIC_SUITES: Suite[] = [
  { name: "crc32", run: (input: unknown) => crc32(fromHex(asString(input))) },
  { name: "luhn", run: (input: unknown) => luhnValid(asString(input)) },
  { name: "pan.mask", run: (input: unknown) => maskPan(asString(input)) },
  {
    name: "track2.parse",
    run: (input: unknown) => {
      const t = parseTrack2(asString(input));
      return { pan: t.pan, expiry: t.expiry, serviceCode: t.serviceCode };
    },
  },
  { name: "conformance.divide", run: (input: unknown) => divide(input) },
  { name: "bcd.encode", run: (input: unknown) => toHex(bcdEncode(str(input, "digits"), str(input, "align"))) },
];
