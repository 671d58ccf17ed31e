// SHA-1 (FIPS 180-4 section 6.1), portable: 32-bit words kept in 0..2^32-1 with `>>> 0` after
// every addition and rotation (Lua 5.3 integers are 64-bit), the message schedule in a 16-word
// ring (FIPS 180-4 6.1.3's alternative method) so only 16 numbers live at once. Used for the
// EMV CA-public-key check value (DF03); not for anything that needs collision resistance.
import { Bytes, alloc, get, len, writeU32 } from "../bytes/index";
import { fail } from "../errors";

export const SHA1_BYTES = 20;
const BLOCK = 64;
/** Longest input hashed (bounds the block loop). */
export const MAX_SHA1_BYTES = 1048576;
/** Rounds per block. */
const ROUNDS = 80;

/** Byte `p` of the padded message: data, then 0x80, zeros, and the bit length (big-endian, below 2^32). */
function padded(b: Bytes, off: number, n: number, total: number, p: number): number {
  if (p < n) return get(b, off + p);
  if (p === n) return 0x80;
  const k = total - 1 - p;
  if (k >= 4) return 0;
  return ((n * 8) >>> (8 * k)) & 0xff;
}

/** Loads block `blk` into the ring `w` (16 words). */
function load(w: number[], b: Bytes, off: number, n: number, total: number, blk: number): void {
  const base = blk * BLOCK;
  for (let t = 0; t < 16; t++) {
    const p = base + t * 4;
    if (p + 4 <= n) {
      const q = off + p;
      w[t] = ((get(b, q) << 24) | (get(b, q + 1) << 16) | (get(b, q + 2) << 8) | get(b, q + 3)) >>> 0;
    } else {
      w[t] = ((padded(b, off, n, total, p) << 24) | (padded(b, off, n, total, p + 1) << 16) | (padded(b, off, n, total, p + 2) << 8) | padded(b, off, n, total, p + 3)) >>> 0;
    }
  }
}

/** The 80 rounds over the block in `w`, added into the state `h` (5 words). */
function compress(h: number[], w: number[]): void {
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  for (let t = 0; t < ROUNDS; t++) {
    const s = t & 15;
    if (t >= 16) {
      const x = (w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^ w[s]) >>> 0;
      w[s] = ((x << 1) | (x >>> 31)) >>> 0;
    }
    let f: number;
    let k: number;
    if (t < 20) {
      f = (b & c) | (((b ^ 0xffffffff) >>> 0) & d);
      k = 0x5a827999;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const tmp = ((((a << 5) | (a >>> 27)) >>> 0) + (f >>> 0) + e + k + w[s]) >>> 0;
    e = d;
    d = c;
    c = ((b << 30) | (b >>> 2)) >>> 0;
    b = a;
    a = tmp;
  }
  h[0] = (h[0] + a) >>> 0;
  h[1] = (h[1] + b) >>> 0;
  h[2] = (h[2] + c) >>> 0;
  h[3] = (h[3] + d) >>> 0;
  h[4] = (h[4] + e) >>> 0;
}

/** SHA-1 digest (20 bytes) of `n` bytes of `b` from `off` (default: all of it). */
export function sha1(b: Bytes, off?: number, n?: number): Bytes {
  const start = off === undefined ? 0 : off;
  const count = n === undefined ? len(b) - start : n;
  if (count < 0 || start < 0 || start + count > len(b)) fail("sha1", "range " + start + "+" + count + " outside " + len(b) + " bytes");
  if (count > MAX_SHA1_BYTES) fail("sha1", "input of " + count + " bytes exceeds " + MAX_SHA1_BYTES);
  const blocks = Math.floor((count + 8) / BLOCK) + 1;
  const total = blocks * BLOCK;
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let blk = 0; blk < blocks; blk++) {
    load(w, b, start, count, total, blk);
    compress(h, w);
  }
  const out = alloc(SHA1_BYTES);
  for (let i = 0; i < 5; i++) writeU32(out, i * 4, h[i]);
  return out;
}
