// ISO/IEC 7811-2 track 2 as a magnetic head delivers it: 5-bit characters (4 data bits, least
// significant first, then an odd-parity bit), start sentinel ";" (0xB), separator "=" (0xD),
// end sentinel "?" (0xF), then the LRC character (even parity of each data bit over SS..ES,
// with its own odd-parity bit), then clocking zeros. A card swiped backwards gives the bits in
// reverse order; a read counts only if nothing but zeros follows the LRC (a reversed read can
// otherwise look like SS, ES, LRC by chance).
// Used by the magnetic-stripe driver (hal/drivers/magstripe.ts); the head model encodes on its own.
import { fail } from "../errors";

/** Most characters on track 2 (ISO/IEC 7811-2: 40, sentinels and LRC included). */
export const MAX_TRACK2_CHARS = 40;
/** Most bits one read may hold: clocking zeros on both ends plus 40 characters. */
export const MAX_TRACK2_BITS = 1024;

const CHARS = "0123456789:;<=>?";
const SS = 0x0b;
const ES = 0x0f;

/** Bits `b[at..at+5)` as a character value (-1 when the parity is even: a bad read). */
function char5(bits: string, at: number): number {
  let v = 0;
  let ones = 0;
  for (let k = 0; k < 5; k++) {
    const one = bits.charCodeAt(at + k) === 49;
    if (one) ones = ones + 1;
    if (one && k < 4) v = v | (1 << k);
  }
  return ones % 2 === 1 ? v : -1;
}

function firstOne(bits: string): number {
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) return i;
  return -1;
}

function reversed(bits: string): string {
  const parts: string[] = [];
  for (let i = bits.length - 1; i >= 0; i--) parts.push(bits.charAt(i));
  return parts.join("");
}

function checkBits(bits: string): void {
  if (bits.length > MAX_TRACK2_BITS) fail("track2", "more than " + MAX_TRACK2_BITS + " bits");
  for (let i = 0; i < bits.length; i++) {
    const c = bits.charCodeAt(i);
    if (c !== 48 && c !== 49) fail("track2", "bit " + i + " is not 0 or 1");
  }
}

interface Attempt {
  text: string;
  err: string;
}

/** Decodes starting at the first 1 bit, which must begin a start sentinel; err "" on success. */
function decodeFrom(bits: string): Attempt {
  const out: string[] = [];
  let lrc = 0;
  let at = firstOne(bits);
  if (at < 0) return { text: "", err: "no data (all zeros)" };
  for (let n = 0; n < MAX_TRACK2_CHARS; n++) {
    if (at + 5 > bits.length) return { text: "", err: n === 0 ? "no start sentinel" : "no end sentinel" };
    const v = char5(bits, at);
    if (v < 0) return { text: "", err: n === 0 ? "no start sentinel" : "parity error in character " + n };
    if (n === 0 && v !== SS) return { text: "", err: "no start sentinel" };
    if (n > 0 && v === SS) return { text: "", err: "start sentinel inside the data" };
    lrc = lrc ^ v;
    at = at + 5;
    if (v === ES) {
      if (at + 5 > bits.length) return { text: "", err: "no LRC character" };
      const l = char5(bits, at);
      if (l < 0) return { text: "", err: "parity error in the LRC character" };
      if (l !== lrc) return { text: "", err: "LRC mismatch" };
      // a real read ends in clocking zeros; 1 bits after the LRC mean a misread or the wrong direction
      if (firstOne(bits.substring(at + 5)) >= 0) return { text: "", err: "bits after the LRC character" };
      return { text: out.join(""), err: "" };
    }
    if (n > 0) out.push(CHARS.charAt(v));
  }
  return { text: "", err: "more than " + MAX_TRACK2_CHARS + " characters" };
}

/**
 * Track 2 text between the sentinels, from a read in either swipe direction: forward first,
 * then reversed; when both fail, the error of the direction that found a start sentinel.
 */
export function decodeTrack2Bits(bits: string): string {
  checkBits(bits);
  const f = decodeFrom(bits);
  if (f.err === "") return f.text;
  const r = decodeFrom(reversed(bits));
  if (r.err === "") return r.text;
  const why = f.err !== "no start sentinel" || r.err === "no start sentinel" ? f.err : r.err;
  return fail("track2", why === "no start sentinel" ? "no start sentinel in either direction" : why);
}
