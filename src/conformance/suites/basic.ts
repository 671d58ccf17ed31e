// Suites for the small codecs: crc32, luhn, pan.mask, track2.parse, bcd.encode.
import { Suite, str } from "../suite";
import { bcdEncode, crc32, fromHex, toHex } from "../../bytes/index";
import { luhnValid, maskPan, parseTrack2 } from "../../card/pan";

function asString(input: unknown): string {
  if (typeof input !== "string") throw new Error("vector input must be a string");
  return input;
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
  { name: "bcd.encode", run: (input: unknown) => toHex(bcdEncode(str(input, "digits"), str(input, "align"))) },
];
