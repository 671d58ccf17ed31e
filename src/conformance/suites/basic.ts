// Suites for the small codecs: crc32, luhn, pan.mask, track2.parse, bcd.encode; and
// conformance.divide, the vector matcher's own check: it returns `a / b` as the runtime
// computes it (a float in Lua), so a vector expecting 7 passes for 14 / 2 on JavaScript and
// must fail on Lua (the matcher tells 7 from 7.0). Its vectors live in the matcher's unit test.
import { Suite, str } from "../suite";
import { Bytes, bcdEncode, crc32, fromHex, len, toHex } from "../../bytes/index";
import { luhnValid, maskPan, parseTrack2 } from "../../card/pan";

function asString(input: unknown): string {
  if (typeof input !== "string") throw new Error("vector input must be a string");
  return input;
}

/**
 * CRC-32 of the whole input, checked against the portable table loop (continuing from the CRC
 * of nothing, 0, always takes it) on the same bytes, on the bytes without the first and last
 * (a window: the native path gets a view) and continued in two parts: a runtime with a native
 * CRC (Espruino's E.CRC32) runs both paths.
 */
function crcBothPaths(b: Bytes): number {
  const n = len(b);
  const whole = crc32(b);
  if (whole !== crc32(b, 0, n, 0)) throw new Error("crc32 " + whole + " differs from the portable " + crc32(b, 0, n, 0));
  if (n >= 2 && crc32(b, 1, n - 2) !== crc32(b, 1, n - 2, 0)) throw new Error("crc32 of a window differs from the portable one");
  const half = Math.floor(n / 2);
  if (crc32(b, half, n - half, crc32(b, 0, half)) !== whole) throw new Error("crc32 continued from a prefix differs");
  return whole;
}

function divide(input: unknown): number {
  const pair = input as number[];
  if (typeof pair !== "object" || typeof pair[0] !== "number" || typeof pair[1] !== "number") throw new Error("vector input must be [a, b]");
  return pair[0] / pair[1]; // float on purpose: the matcher must see Lua's 7.0
}

export const BASIC_SUITES: Suite[] = [
  { name: "crc32", run: (input: unknown) => crcBothPaths(fromHex(asString(input))) },
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
