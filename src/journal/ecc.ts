// Single-bit correction with the CRC-32 every record and sector header already carries
// (syndrome decoding). CRC-32 (IEEE) has Hamming distance 4 for messages far longer than
// a record (up to 91,607 bits), so one flipped bit is located exactly and any two or three
// are detected, never miscorrected. It costs no extra bytes on flash and no time on clean
// reads: the syndrome search runs only when a CRC fails (8 steps per byte of the record).
import { Bytes, crc32, get, readU32, set } from "../bytes/index";

/** The reflected CRC-32 polynomial (as in bytes/index.ts crc32). */
const POLY = 0xedb88320;
export const ECC_CLEAN = 0;
export const ECC_CORRECTED = 1;
export const ECC_FAILED = 2;

/** Where the last correction was made: byte offset from the start of the checked span and bit mask. */
export interface Correction {
  byte: number;
  mask: number;
}

/** One step of the reflected CRC register with a zero data bit. */
function step(d: number): number {
  return (d & 1) !== 0 ? ((d >>> 1) ^ POLY) >>> 0 : d >>> 1;
}

function singleBit(v: number): number {
  for (let b = 0; b < 32; b++) if (v === (1 << b) >>> 0) return b;
  return -1;
}

/**
 * Checks `b[off .. off+n)` against the big-endian CRC-32 stored right after it. A single
 * flipped bit (in the data or in the CRC) is corrected in place and described in `c`
 * (byte offset from `off`; the CRC's bytes are n..n+3). Returns ECC_CLEAN, ECC_CORRECTED or ECC_FAILED.
 */
export function checkCorrect(b: Bytes, off: number, n: number, c: Correction): number {
  const stored = readU32(b, off + n);
  const syn = (crc32(b, off, n) ^ stored) >>> 0;
  if (syn === 0) return ECC_CLEAN;
  const crcBit = singleBit(syn);
  if (crcBit >= 0) {
    c.byte = n + 3 - Math.floor(crcBit / 8);
    c.mask = 1 << (crcBit % 8);
    set(b, off + c.byte, get(b, off + c.byte) ^ c.mask);
    return ECC_CORRECTED;
  }
  let d = POLY;
  const bits = n * 8;
  for (let t = 0; t < bits; t++) {
    if (d === syn) {
      c.byte = n - 1 - Math.floor(t / 8);
      c.mask = 0x80 >>> (t % 8);
      set(b, off + c.byte, get(b, off + c.byte) ^ c.mask);
      return ECC_CORRECTED;
    }
    d = step(d);
  }
  return ECC_FAILED;
}
