// Digit strings in journal payloads (masked PAN, time, RRN, codes, currency): written as a CBOR
// byte string of packed nibbles ('0'..'9' as 0..9, '*' as 0xA, an odd length padded with 0xF),
// half the size of the text; any other string stays a CBOR text. Read back exactly as written.
import { Bytes, alloc, get, set } from "../bytes/index";
import { fail } from "../errors";
import { CborReader, CborWriter, MAJOR_BYTES, rHead, rPeekMajor, rText, wBytes, wText } from "../codec/cbor";

/** Longest string packed (longer digit strings stay text). */
export const MAX_PACKED_CHARS = 32;
/** Bytes of the longest packed string. */
export const MAX_PACKED_BYTES = 16;
const STAR = 0x2a;
const STAR_NIBBLE = 0xa;
const PAD_NIBBLE = 0xf;
const scratch: Bytes = alloc(MAX_PACKED_BYTES);

function nibbleOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  return c === STAR ? STAR_NIBBLE : -1;
}

function packable(s: string): boolean {
  if (s.length < 2 || s.length > MAX_PACKED_CHARS) return false;
  for (let i = 0; i < s.length; i++) if (nibbleOf(s.charCodeAt(i)) < 0) return false;
  return true;
}

/** Writes `s` packed when it is made of digits and '*' only (2..MAX_PACKED_CHARS long), else as text. */
export function wDigits(w: CborWriter, s: string): void {
  if (!packable(s)) {
    wText(w, s);
    return;
  }
  const n = Math.ceil(s.length / 2);
  for (let i = 0; i < n; i++) {
    const hi = nibbleOf(s.charCodeAt(2 * i));
    const lo = 2 * i + 1 < s.length ? nibbleOf(s.charCodeAt(2 * i + 1)) : PAD_NIBBLE;
    set(scratch, i, hi * 16 + lo);
  }
  wBytes(w, scratch, 0, n);
}

function charOf(v: number, at: number): string {
  if (v <= 9) return String.fromCharCode(0x30 + v);
  if (v === STAR_NIBBLE) return "*";
  return fail("journal", "packed digits at offset " + at + ": nibble " + v + " is not a digit");
}

/** Multiplier and modulus of the RRN hash (the running value stays below 2^31 on every runtime). */
const HASH_MUL = 131;
const HASH_MOD = 8388593;
/** RRN hashes are 1..HASH_BUCKETS; 0 stands for the empty RRN. */
export const HASH_BUCKETS = 251;

/**
 * One byte standing for an RRN in the RAM index (txn-table.ts): 0 for "", else 1..HASH_BUCKETS.
 * Equal strings hash equal; 12-digit RRNs that differ only in their last digits (an acquirer's
 * sequence) land in different buckets, so a lookup reads only the records that may match.
 */
export function digitsHash(s: string): number {
  if (s.length === 0) return 0;
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * HASH_MUL + s.charCodeAt(i)) % HASH_MOD;
  return 1 + (h % HASH_BUCKETS);
}

/** `digitsHash` of the string wDigits wrote at the reader (consumed), without building it when packed (recovery: one call per RRN, no calls per digit). */
export function rDigitsHash(r: CborReader): number {
  if (rPeekMajor(r) !== MAJOR_BYTES) return digitsHash(rText(r));
  const at = r.pos;
  const n = rHead(r, MAJOR_BYTES);
  if (n < 1 || n > MAX_PACKED_BYTES || n > r.end - r.pos) fail("journal", "packed digits at offset " + at + ": " + n + " bytes");
  let h = 0;
  for (let i = 0; i < 2 * n; i++) {
    const v = get(r.buf, r.pos + (i >>> 1));
    const d = (i & 1) === 0 ? v >>> 4 : v & 15;
    if (d === PAD_NIBBLE && i === 2 * n - 1) break;
    if (d > 9 && d !== STAR_NIBBLE) charOf(d, at);
    h = (h * HASH_MUL + (d <= 9 ? 0x30 + d : STAR)) % HASH_MOD;
  }
  r.pos += n;
  return 1 + (h % HASH_BUCKETS);
}

/** Reads a string written by wDigits (packed bytes or text). */
export function rDigits(r: CborReader): string {
  if (rPeekMajor(r) !== MAJOR_BYTES) return rText(r);
  const at = r.pos;
  const n = rHead(r, MAJOR_BYTES);
  if (n < 1 || n > MAX_PACKED_BYTES || n > r.end - r.pos) fail("journal", "packed digits at offset " + at + ": " + n + " bytes");
  let s = "";
  for (let i = 0; i < n; i++) {
    const v = get(r.buf, r.pos + i);
    s += charOf(v >>> 4, at);
    const lo = v & 15;
    if (lo === PAD_NIBBLE && i === n - 1) continue;
    s += charOf(lo, at);
  }
  r.pos += n;
  return s;
}
