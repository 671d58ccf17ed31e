// Bytes on JavaScript targets (Node, Espruino, QuickJS): a Uint8Array, one byte of RAM per byte.
import { Bytes } from "./types";

function raw(b: Bytes): Uint8Array {
  return b as unknown as Uint8Array;
}

/** Allocates a zeroed buffer of `n` bytes. */
export function alloc(n: number): Bytes {
  return new Uint8Array(n) as unknown as Bytes;
}

export function len(b: Bytes): number {
  return raw(b).length;
}

export function get(b: Bytes, i: number): number {
  return raw(b)[i];
}

export function set(b: Bytes, i: number, v: number): void {
  raw(b)[i] = v & 0xff;
}

/** Copies `n` bytes from `src[srcOff..]` to `dst[dstOff..]` (overlap-safe). */
export function copy(src: Bytes, srcOff: number, dst: Bytes, dstOff: number, n: number): void {
  raw(dst).set(raw(src).subarray(srcOff, srcOff + n), dstOff);
}

export function fill(b: Bytes, off: number, n: number, v: number): void {
  const r = raw(b);
  for (let i = 0; i < n; i++) r[off + i] = v & 0xff;
}

/**
 * A zeroed table of `n` unsigned 32-bit words, indexed like an array (`t[i]`): a Uint32Array
 * here (4 bytes a word; on Espruino one variable per ~3 words instead of one per element, and
 * constant-time indexing instead of a walk down a linked list). Stores values modulo 2^32.
 */
export function wordTable(n: number): number[] {
  return new Uint32Array(n) as unknown as number[];
}

/** Bytes the representation costs in RAM, for memory budgets. */
export function ramBytes(n: number): number {
  return n;
}

export const IMPL = "typed";

/**
 * True where a string holds bytes, not UTF-16 units: Espruino builds without Unicode support
 * (ESP32 boards) keep only the low byte of a character code. Text there is already UTF-8 inside
 * the string, as in Lua, so `fromText` copies the bytes and `codePointText` encodes UTF-8.
 */
export const BYTE_STRINGS = String.fromCharCode(0x100).charCodeAt(0) !== 0x100;

/** UTF-8 bytes of a string (UTF-16 strings are encoded; byte strings are copied as they are). */
export function fromText(s: string): Bytes {
  if (BYTE_STRINGS) {
    const raw8 = new Uint8Array(s.length);
    for (let k = 0; k < s.length; k++) raw8[k] = s.charCodeAt(k) & 0xff;
    return raw8 as unknown as Bytes;
  }
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    pushUtf8(out, c);
  }
  const b = new Uint8Array(out.length);
  for (let j = 0; j < out.length; j++) b[j] = out[j];
  return b as unknown as Bytes;
}

function pushUtf8(out: number[], c: number): void {
  if (c < 0x80) out.push(c);
  else if (c < 0x800) out.push(0xc0 | (c >>> 6), 0x80 | (c & 63));
  else if (c < 0x10000) out.push(0xe0 | (c >>> 12), 0x80 | ((c >>> 6) & 63), 0x80 | (c & 63));
  else out.push(0xf0 | (c >>> 18), 0x80 | ((c >>> 12) & 63), 0x80 | ((c >>> 6) & 63), 0x80 | (c & 63));
}

/** The string for one Unicode code point (already validated by the caller). */
export function codePointText(cp: number): string {
  if (BYTE_STRINGS) {
    const u: number[] = [];
    pushUtf8(u, cp);
    let t = "";
    for (let k = 0; k < u.length; k++) t += String.fromCharCode(u[k]);
    return t;
  }
  if (cp < 0x10000) return String.fromCharCode(cp);
  const v = cp - 0x10000;
  return String.fromCharCode(0xd800 + (v >>> 10), 0xdc00 + (v & 0x3ff));
}

/** Number of characters `s` holds as stored by this target (UTF-16 units, or bytes). */
export function textUnits(s: string): number {
  return s.length;
}
