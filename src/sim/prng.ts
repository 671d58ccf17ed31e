// A seeded pseudo-random generator for simulations and fault injection (xorshift32).
// No multiplication and every shift masked to 32 bits, so JavaScript doubles and Lua 5.3 integers give the same sequence.

/** Generator state; `s` is a non-zero 32-bit value. */
export interface Prng {
  s: number;
}

/** A generator for `seed` (any integer; 0 is mapped to a fixed non-zero state). */
export function prng(seed: number): Prng {
  let s = (seed >>> 0) ^ 0x9e3779b9;
  s = s >>> 0;
  if (s === 0) s = 0x6d2b79f5;
  const p: Prng = { s: s };
  nextU32(p);
  return p;
}

/** The next 32-bit unsigned value. */
export function nextU32(p: Prng): number {
  let x = p.s;
  x = (x ^ ((x << 13) & 0xffffffff)) >>> 0;
  x = (x ^ (x >>> 17)) >>> 0;
  x = (x ^ ((x << 5) & 0xffffffff)) >>> 0;
  p.s = x;
  return x;
}

/** A value in 0 .. n-1 (n ≥ 1, at most 2^32). */
export function nextBelow(p: Prng, n: number): number {
  return nextU32(p) % n;
}

/** One random byte. */
export function nextByte(p: Prng): number {
  return nextU32(p) >>> 24;
}

/** Uniform in [0, 1), from 32 random bits. */
export function nextUnit(p: Prng): number {
  return nextU32(p) / 4294967296; // float on purpose: a fraction in [0, 1)
}

/** Integer in [lo, hi] (hi - lo below 2^32). */
export function nextInt(p: Prng, lo: number, hi: number): number {
  return lo + Math.floor(nextUnit(p) * (hi - lo + 1));
}
