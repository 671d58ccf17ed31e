// Card numbers: Luhn check, masking for receipts, track-2 parsing.
import { fail } from "../errors";
import { isDigits } from "../text/digits";

export const PAN_MIN_DIGITS = 12;
export const PAN_MAX_DIGITS = 19;
/** Track 2 holds at most 37 characters (ISO/IEC 7813). */
export const TRACK2_MAX_CHARS = 37;

/** True when `digits` is all decimal digits and passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  if (!isDigits(digits) || digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d = d * 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Masks a PAN for receipts: first 6 and last 4 digits shown, the rest '*'. */
export function maskPan(pan: string): string {
  if (!isDigits(pan)) fail("pan", "must be digits only");
  if (pan.length < PAN_MIN_DIGITS || pan.length > PAN_MAX_DIGITS) fail("pan", "length " + pan.length + " outside " + PAN_MIN_DIGITS + ".." + PAN_MAX_DIGITS);
  const stars: string[] = [];
  for (let i = 0; i < pan.length - 10; i++) stars.push("*");
  return pan.substring(0, 6) + stars.join("") + pan.substring(pan.length - 4);
}

export interface Track2 {
  pan: string;
  /** YYMM */
  expiry: string;
  serviceCode: string;
}

function separatorAt(t: string): number {
  for (let i = 0; i < t.length; i++) {
    const ch = t.charAt(i);
    if (ch === "=" || ch === "D" || ch === "d") return i;
  }
  return -1;
}

/** Parses track-2 equivalent data "PAN=YYMMSSS…" (separator '=' or 'D', optional trailing 'F' pad). */
export function parseTrack2(track: string): Track2 {
  let t = track;
  if (t.length > 0 && (t.charAt(t.length - 1) === "F" || t.charAt(t.length - 1) === "f")) t = t.substring(0, t.length - 1);
  if (t.length === 0 || t.length > TRACK2_MAX_CHARS) fail("track2", "length " + t.length + " outside 1.." + TRACK2_MAX_CHARS);
  const sep = separatorAt(t);
  if (sep < 0) fail("track2", "no separator ('=' or 'D')");
  const pan = t.substring(0, sep);
  const rest = t.substring(sep + 1);
  if (!isDigits(pan)) fail("track2", "PAN must be digits");
  if (pan.length < PAN_MIN_DIGITS || pan.length > PAN_MAX_DIGITS) fail("track2", "PAN length " + pan.length + " outside " + PAN_MIN_DIGITS + ".." + PAN_MAX_DIGITS);
  if (!luhnValid(pan)) fail("track2", "PAN fails the Luhn check");
  if (rest.length < 7) fail("track2", "too short for expiry and service code");
  if (!isDigits(rest)) fail("track2", "discretionary data must be digits");
  const expiry = rest.substring(0, 4);
  const month = (expiry.charCodeAt(2) - 48) * 10 + (expiry.charCodeAt(3) - 48);
  if (month < 1 || month > 12) fail("track2", "expiry month " + month + " out of range");
  return { pan: pan, expiry: expiry, serviceCode: rest.substring(4, 7) };
}
