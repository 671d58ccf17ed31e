// Bytes on Lua 5.3 (NodeMCU class): six bytes packed in each number slot, so a
// buffer costs ~2.7 bytes of heap per byte instead of 16 for a table of numbers.
// Written in the portable subset (48-bit values stay exact in JS doubles and Lua integers),
// so Node tests can run it too.
import { Bytes } from "./types";

const PER_SLOT = 6;
const POW: number[] = [1, 256, 65536, 16777216, 4294967296, 1099511627776];

interface Packed {
  n: number;
  w: number[];
}

function raw(b: Bytes): Packed {
  return b as unknown as Packed;
}

/** Allocates a zeroed buffer of `n` bytes. */
export function alloc(n: number): Bytes {
  const slots = Math.floor((n + PER_SLOT - 1) / PER_SLOT);
  const w: number[] = [];
  for (let i = 0; i < slots; i++) w.push(0);
  const p: Packed = { n: n, w: w };
  return p as unknown as Bytes;
}

export function len(b: Bytes): number {
  return raw(b).n;
}

export function get(b: Bytes, i: number): number {
  const slot = Math.floor(i / PER_SLOT);
  const word = raw(b).w[slot];
  return Math.floor(word / POW[i - slot * PER_SLOT]) % 256;
}

export function set(b: Bytes, i: number, v: number): void {
  const p = raw(b);
  const slot = Math.floor(i / PER_SLOT);
  const pos = POW[i - slot * PER_SLOT];
  const word = p.w[slot];
  const old = Math.floor(word / pos) % 256;
  p.w[slot] = word + ((v & 0xff) - old) * pos;
}

/** Copies `n` bytes from `src[srcOff..]` to `dst[dstOff..]` (overlap-safe). */
export function copy(src: Bytes, srcOff: number, dst: Bytes, dstOff: number, n: number): void {
  if (src === dst && dstOff > srcOff) {
    for (let i = n - 1; i >= 0; i--) set(dst, dstOff + i, get(src, srcOff + i));
    return;
  }
  for (let i = 0; i < n; i++) set(dst, dstOff + i, get(src, srcOff + i));
}

export function fill(b: Bytes, off: number, n: number, v: number): void {
  for (let i = 0; i < n; i++) set(b, off + i, v);
}

/** A zeroed table of `n` unsigned 32-bit words, indexed like an array: a Lua table of integers here. */
export function wordTable(n: number): number[] {
  const t: number[] = [];
  for (let i = 0; i < n; i++) t.push(0);
  return t;
}

/** Approximate Lua heap bytes the representation costs (16-byte TValue per slot). */
export function ramBytes(n: number): number {
  return Math.floor((n + PER_SLOT - 1) / PER_SLOT) * 16 + 56;
}

export const IMPL = "packed";

/** UTF-8 bytes of a string (Lua strings already hold UTF-8 bytes). */
export function fromText(s: string): Bytes {
  const b = alloc(s.length);
  for (let i = 0; i < s.length; i++) set(b, i, s.charCodeAt(i));
  return b;
}

/** The string for one Unicode code point, UTF-8 encoded (already validated by the caller). */
export function codePointText(cp: number): string {
  const out: number[] = [];
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 + Math.floor(cp / 64), 0x80 + (cp % 64));
  else if (cp < 0x10000) out.push(0xe0 + Math.floor(cp / 4096), 0x80 + (Math.floor(cp / 64) % 64), 0x80 + (cp % 64));
  else out.push(0xf0 + Math.floor(cp / 262144), 0x80 + (Math.floor(cp / 4096) % 64), 0x80 + (Math.floor(cp / 64) % 64), 0x80 + (cp % 64));
  let s = "";
  for (let i = 0; i < out.length; i++) s += String.fromCharCode(out[i]);
  return s;
}

/** Number of storage units of `s` on this target (bytes here). */
export function textUnits(s: string): number {
  return s.length;
}
