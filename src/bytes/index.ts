// The one byte-buffer module of the portable core: the per-target primitives from
// `#bytes-native`, plus hex, BCD, CRC-32, UTF-8 and big-endian helpers built on them.
import { Bytes } from "./types";
import * as native from "#bytes-native";
import { fail } from "../errors";

export { Bytes };
// Bound once here: a CommonJS re-export (`export { x } from`) goes through a getter on every
// call, which made byte-at-a-time codecs several times slower in Node.
export const alloc = native.alloc;
export const len = native.len;
export const get = native.get;
export const set = native.set;
export const copy = native.copy;
export const fill = native.fill;
export const fromText = native.fromText;
export const codePointText = native.codePointText;
export const ramBytes = native.ramBytes;
export const wordTable = native.wordTable;
export const IMPL = native.IMPL;

const HEX_DIGITS = "0123456789ABCDEF";
/** Longest string any decoder here builds, in bytes: a bound on every loop over input. */
export const MAX_BYTES = 1048576;

/** A new buffer holding the given byte values. */
export function fromList(values: number[]): Bytes {
  const b = alloc(values.length);
  for (let i = 0; i < values.length; i++) set(b, i, values[i]);
  return b;
}

/** A copy of `b[off .. off+n)`. */
export function slice(b: Bytes, off: number, n: number): Bytes {
  if (off < 0 || n < 0 || off + n > len(b)) fail("bytes", "slice " + off + "+" + n + " outside " + len(b));
  const out = alloc(n);
  copy(b, off, out, 0, n);
  return out;
}

export function equal(a: Bytes, b: Bytes): boolean {
  const n = len(a);
  if (n !== len(b)) return false;
  for (let i = 0; i < n; i++) if (get(a, i) !== get(b, i)) return false;
  return true;
}

/** One buffer holding all parts in order. */
export function concat(parts: Bytes[]): Bytes {
  let total = 0;
  for (let i = 0; i < parts.length; i++) total += len(parts[i]);
  const out = alloc(total);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    copy(parts[i], 0, out, at, len(parts[i]));
    at += len(parts[i]);
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes hex (either case); odd length or a non-hex character is an error naming its position. */
export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0) fail("hex", "odd length " + hex.length);
  const b = alloc(hex.length >>> 1);
  for (let i = 0; i < hex.length; i += 2) {
    const hi = hexValue(hex.charCodeAt(i));
    const lo = hexValue(hex.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) fail("hex", "bad character at " + (hi < 0 ? i : i + 1));
    set(b, i >>> 1, hi * 16 + lo);
  }
  return b;
}

/** Upper-case hex of `b[off .. off+n)` (whole buffer by default). */
export function toHex(b: Bytes, off?: number, n?: number): string {
  const start = off === undefined ? 0 : off;
  const count = n === undefined ? len(b) - start : n;
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const v = get(b, start + i);
    parts.push(HEX_DIGITS.charAt(v >>> 4) + HEX_DIGITS.charAt(v & 15));
  }
  return parts.join("");
}

/** Bytes of a printable-ASCII string; anything outside 0x20..0x7E is an error. */
export function fromAscii(s: string, where: string): Bytes {
  const b = alloc(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) fail(where, "non-printable or non-ASCII character at " + i);
    set(b, i, c);
  }
  return b;
}

/** ASCII text of `b[off .. off+n)`; bytes outside 0x20..0x7E are an error. */
export function toAscii(b: Bytes, off: number, n: number, where: string): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = get(b, off + i);
    if (c < 0x20 || c > 0x7e) fail(where, "non-printable byte 0x" + toHex(b, off + i, 1) + " at " + i);
    parts.push(String.fromCharCode(c));
  }
  return parts.join("");
}

/** Decodes strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
export function toText(b: Bytes, off: number, n: number, where: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < n) {
    const c = get(b, off + i);
    let need = 0;
    let cp = 0;
    let min = 0;
    if (c < 0x80) { cp = c; }
    else if (c >= 0xc2 && c < 0xe0) { need = 1; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c < 0xf0) { need = 2; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c < 0xf5) { need = 3; cp = c & 0x07; min = 0x10000; }
    else fail(where, "invalid UTF-8 at byte " + i);
    if (i + need > n - 1) fail(where, "truncated UTF-8 at byte " + i);
    for (let k = 1; k <= need; k++) {
      const cc = get(b, off + i + k);
      if ((cc & 0xc0) !== 0x80) fail(where, "invalid UTF-8 at byte " + (i + k));
      cp = cp * 64 + (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) fail(where, "invalid UTF-8 at byte " + i);
    parts.push(codePointText(cp));
    i += need + 1;
  }
  return parts.join("");
}

/** Packs decimal digits as BCD, two per byte; odd lengths pad a 0 nibble on the right ("left" aligned) or the left ("right" aligned). */
export function bcdEncode(digits: string, align: string): Bytes {
  if (align !== "left" && align !== "right") fail("bcd", "align must be left or right");
  const odd = digits.length % 2 === 1;
  const padded = !odd ? digits : align === "right" ? "0" + digits : digits + "0";
  const b = alloc(padded.length >>> 1);
  for (let i = 0; i < padded.length; i += 2) {
    const hi = padded.charCodeAt(i) - 48;
    const lo = padded.charCodeAt(i + 1) - 48;
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) fail("bcd", "non-digit in \"" + digits + "\"");
    set(b, i >>> 1, hi * 16 + lo);
  }
  return b;
}

/** Reads `nDigits` BCD digits from `b[off..]`; the pad nibble of an odd count is skipped per `align`. */
export function bcdDecode(b: Bytes, off: number, nDigits: number, align: string, where: string): string {
  const nBytes = Math.floor((nDigits + 1) / 2);
  if (off + nBytes > len(b)) fail(where, "truncated: needs " + nBytes + " BCD bytes at offset " + off);
  const skipFirst = nDigits % 2 === 1 && align === "right";
  const parts: string[] = [];
  for (let i = 0; i < nBytes * 2; i++) {
    if (i === 0 && skipFirst) continue;
    if (parts.length === nDigits) break;
    const v = get(b, off + (i >>> 1));
    const d = i % 2 === 0 ? v >>> 4 : v & 15;
    if (d > 9) fail(where, "non-decimal nibble at offset " + (off + (i >>> 1)));
    parts.push(String.fromCharCode(48 + d));
  }
  return parts.join("");
}

const CRC_TABLE = makeCrcTable();

/** The 256 CRC-32 words, in a word table (a typed array on JavaScript targets: ~90 Espruino variables, not ~520). */
function makeCrcTable(): number[] {
  const t = wordTable(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) === 1 ? (0xedb88320 ^ (c >>> 1)) >>> 0 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** A native CRC-32 of `b[off .. off+n)` (standard IEEE CRC-32: what `crc32` gives with no prefix). */
export type NativeCrc32 = (this: void, b: Bytes, off: number, n: number) => number;

let nativeCrc: NativeCrc32 | undefined = undefined;

/**
 * Hands the CRC to the runtime's own code (Espruino: `E.CRC32` over a view of the bytes,
 * hundreds of times faster than the interpreted table loop); `undefined` goes back to the
 * portable loop. Only a CRC without a running prefix goes native.
 */
export function useNativeCrc32(f: NativeCrc32 | undefined): void {
  nativeCrc = f;
}

/**
 * CRC-32 (IEEE 802.3, reflected, init and xor-out 0xFFFFFFFF) of `b[off .. off+n)`, continuing
 * from `prev`. The table loop here is the reference and the fallback; `prev` 0 (the CRC of
 * nothing) gives the same value as no `prev` and always takes this loop.
 */
export function crc32(b: Bytes, off?: number, n?: number, prev?: number): number {
  const start = off === undefined ? 0 : off;
  const count = n === undefined ? len(b) - start : n;
  if (nativeCrc !== undefined && prev === undefined) {
    if (start < 0 || count < 0 || start + count > len(b)) fail("bytes", "crc32 " + start + "+" + count + " outside " + len(b));
    return nativeCrc(b, start, count) >>> 0;
  }
  let c = prev === undefined ? 0xffffffff : (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < count; i++) {
    c = (CRC_TABLE[(c ^ get(b, start + i)) & 0xff] ^ (c >>> 8)) >>> 0;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function readU16(b: Bytes, off: number): number {
  return get(b, off) * 256 + get(b, off + 1);
}

export function writeU16(b: Bytes, off: number, v: number): void {
  set(b, off, (v >>> 8) & 0xff);
  set(b, off + 1, v & 0xff);
}

export function readU32(b: Bytes, off: number): number {
  return get(b, off) * 16777216 + get(b, off + 1) * 65536 + get(b, off + 2) * 256 + get(b, off + 3);
}

export function writeU32(b: Bytes, off: number, v: number): void {
  set(b, off, Math.floor(v / 16777216) & 0xff);
  set(b, off + 1, (v >>> 16) & 0xff);
  set(b, off + 2, (v >>> 8) & 0xff);
  set(b, off + 3, v & 0xff);
}
