// DES (FIPS 46-3) and triple DES EDE (NIST SP 800-67) in the portable subset: ECB and CBC.
// Table-driven: the S-boxes and the P permutation are folded into eight 64-entry word tables
// (S1..S8) built once at load, so a round is 8 table lookups; the initial and final
// permutations are 5 masked bit-swaps each. A key schedule is computed once per key
// (`tdesKey`) and reused for every block. Key parity bits are ignored.
import { Bytes, alloc, len, readU32, wordTable, writeU32 } from "../bytes/index";
import { fail } from "../errors";

export const DES_BLOCK_BYTES = 8;
/** Longest input the ECB and CBC helpers accept: a bound on their block loops. */
export const MAX_CRYPT_BYTES = 65536;
const ROUNDS = 16;

// S1..S8 of FIPS 46-3, one hex digit per entry, four rows of sixteen columns each (64 digits
// per S-box). Constant tables are strings, not arrays: on Espruino an array costs a variable per
// element, a string one per ~12 characters; a literal returned by a function stays in flash
// until the function runs (once, to build S1..S8).
function sboxHex(): string {
  return "E4D12FB83A6C5907" + "0F74E2D1A6CB9538" + "41E8D62BFC973A50" + "FC8249175B3EA06D" +
  "F18E6B34972DC05A" + "3D47F28EC01A69B5" + "0E7BA4D158C6932F" + "D8A13F42B67C05E9" +
  "A09E63F51DC7B428" + "D709346A285ECBF1" + "D6498F30B12C5AE7" + "1AD069874FE3B52C" +
  "7DE3069A1285BC4F" + "D8B56F03472C1AE9" + "A690CB7DF13E5284" + "3F06A1D8945BC72E" +
  "2C417AB6853FD0E9" + "EB2C47D150FA3986" + "421BAD78F9C5630E" + "B8C71E2D6F09A453" +
  "C1AF92680D34E75B" + "AF427C9561DE0B38" + "9EF528C3704A1DB6" + "432C95FABE17608D" +
  "4B2EF08D3C975A61" + "D0B7491AE35C2F86" + "14BDC37EAF680592" + "6BD814A7950FE23C" +
  "D2846FB1A93E50C7" + "1FD8A374C56B0E92" + "7B419CE206ADF358" + "21E74A8DFC90356B";
}
// Bit positions (1 = most significant) of the permutations, as in FIPS 46-3, two decimal
// digits each.
const P_PERM = "16072021291228170115232605183110" + "02082414322703091913300622110425";
const KEY_SHIFTS = "1122222212222221";

/** Entry `i` of a table of two-digit decimal numbers. */
function at2(s: string, i: number): number {
  return (s.charCodeAt(2 * i) - 48) * 10 + s.charCodeAt(2 * i + 1) - 48;
}

/** A table of two-digit decimal numbers as a word table (one lookup per entry in the key schedule). */
function wordsOf(s: string): number[] {
  const n = s.length >>> 1;
  const t = wordTable(n);
  for (let i = 0; i < n; i++) t[i] = at2(s, i);
  return t;
}

// PC-1 and PC-2 (the literals are only read once, to fill the word tables)
const PC1_T = wordsOf("5749413325170901585042342618100259514335271911036052443663554739312315076254463830221406615345372921130528201204");
const PC2_T = wordsOf("141711240105032815062110231912042608160727201302" + "415231374755304051453348444939563453464250362932");

/** A DES or triple-DES key, expanded: three schedules of 32 round words (k3 is k1 for 2-key). */
export interface TdesKey {
  k1: number[];
  k2: number[];
  k3: number[];
  /** True for an 8-byte key: one DES pass instead of EDE. */
  single: boolean;
}

function hexDigit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c <= 57 ? c - 48 : c - 55;
}

/**
 * S1..S8[v]: S-box j applied to the 6-bit input v, placed at its nibble and permuted by P: eight
 * word tables of 64 (Uint32Arrays on JavaScript targets: ~20 Espruino variables each instead
 * of ~65 as arrays, and each lookup one step instead of a walk down the array's list).
 */
function buildSp(j: number, sbox: string): number[] {
  const sp = wordTable(64);
  // where P sends the four output bits of S-box j+1 (bit positions 4j+1 .. 4j+4 before P)
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let i = 0; i < 32; i++) {
    const from = at2(P_PERM, i) - 1 - 4 * j;
    const bit = (1 << (31 - i)) >>> 0;
    if (from === 0) d0 = bit;
    else if (from === 1) d1 = bit;
    else if (from === 2) d2 = bit;
    else if (from === 3) d3 = bit;
  }
  for (let v = 0; v < 64; v++) {
    const row = ((v >>> 4) & 2) | (v & 1);
    const s = hexDigit(sbox, 64 * j + row * 16 + ((v >>> 1) & 15));
    sp[v] = (((s & 8) !== 0 ? d0 : 0) | ((s & 4) !== 0 ? d1 : 0) | ((s & 2) !== 0 ? d2 : 0) | ((s & 1) !== 0 ? d3 : 0)) >>> 0;
  }
  return sp;
}

const SBOX = sboxHex();
const S1 = buildSp(0, SBOX);
const S2 = buildSp(1, SBOX);
const S3 = buildSp(2, SBOX);
const S4 = buildSp(3, SBOX);
const S5 = buildSp(4, SBOX);
const S6 = buildSp(5, SBOX);
const S7 = buildSp(6, SBOX);
const S8 = buildSp(7, SBOX);

/** Bit `pos` (1 = most significant) of the 64-bit value hi:lo. */
function bit64(hi: number, lo: number, pos: number): number {
  return pos <= 32 ? (hi >>> (32 - pos)) & 1 : (lo >>> (64 - pos)) & 1;
}

function rotl28(x: number, n: number): number {
  return ((x << n) | (x >>> (28 - n))) & 0x0fffffff;
}

/**
 * The 16 round keys of one 8-byte DES key at `key[off..]`: two words per round, the
 * PC-2 six-bit groups 1,3,5,7 (word a) and 2,4,6,8 (word b) one per byte, high byte first.
 */
function schedule(key: Bytes, off: number): number[] {
  const hi = readU32(key, off);
  const lo = readU32(key, off + 4);
  let c = 0;
  let d = 0;
  for (let i = 0; i < 28; i++) {
    c = c * 2 + bit64(hi, lo, PC1_T[i]);
    d = d * 2 + bit64(hi, lo, PC1_T[28 + i]);
  }
  const ks = wordTable(2 * ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    const shift = KEY_SHIFTS.charCodeAt(r) - 48;
    c = rotl28(c, shift);
    d = rotl28(d, shift);
    let a = 0;
    let b = 0;
    for (let g = 0; g < 8; g++) {
      let group = 0;
      for (let k = 0; k < 6; k++) {
        const pos = PC2_T[g * 6 + k];
        group = group * 2 + (pos <= 28 ? (c >>> (28 - pos)) & 1 : (d >>> (56 - pos)) & 1);
      }
      if ((g & 1) === 0) a = a * 256 + group;
      else b = b * 256 + group;
    }
    ks[2 * r] = a;
    ks[2 * r + 1] = b;
  }
  return ks;
}

/** Expands an 8-byte (DES), 16-byte (2-key 3DES) or 24-byte (3-key 3DES) key. */
export function tdesKey(key: Bytes): TdesKey {
  const n = len(key);
  if (n !== 8 && n !== 16 && n !== 24) fail("des", "key must be 8, 16 or 24 bytes, got " + n);
  const k1 = schedule(key, 0);
  if (n === 8) return { k1: k1, k2: k1, k3: k1, single: true };
  const k2 = schedule(key, 8);
  return { k1: k1, k2: k2, k3: n === 24 ? schedule(key, 16) : k1, single: false };
}

// Halves of the block being processed (one block at a time; no allocation per block).
let blockL = 0;
let blockR = 0;

/** Initial permutation of blockL:blockR, as five masked swaps. */
function initialPermutation(): void {
  let l = blockL;
  let r = blockR;
  let t = ((l >>> 4) ^ r) & 0x0f0f0f0f;
  r = (r ^ t) >>> 0; l = (l ^ (t << 4)) >>> 0;
  t = ((l >>> 16) ^ r) & 0x0000ffff;
  r = (r ^ t) >>> 0; l = (l ^ (t << 16)) >>> 0;
  t = ((r >>> 2) ^ l) & 0x33333333;
  l = (l ^ t) >>> 0; r = (r ^ (t << 2)) >>> 0;
  t = ((r >>> 8) ^ l) & 0x00ff00ff;
  l = (l ^ t) >>> 0; r = (r ^ (t << 8)) >>> 0;
  t = ((l >>> 1) ^ r) & 0x55555555;
  r = (r ^ t) >>> 0; l = (l ^ (t << 1)) >>> 0;
  blockL = l;
  blockR = r;
}

/** Final permutation (inverse of the initial one) of blockL:blockR. */
function finalPermutation(): void {
  let l = blockL;
  let r = blockR;
  let t = ((l >>> 1) ^ r) & 0x55555555;
  r = (r ^ t) >>> 0; l = (l ^ (t << 1)) >>> 0;
  t = ((r >>> 8) ^ l) & 0x00ff00ff;
  l = (l ^ t) >>> 0; r = (r ^ (t << 8)) >>> 0;
  t = ((r >>> 2) ^ l) & 0x33333333;
  l = (l ^ t) >>> 0; r = (r ^ (t << 2)) >>> 0;
  t = ((l >>> 16) ^ r) & 0x0000ffff;
  r = (r ^ t) >>> 0; l = (l ^ (t << 16)) >>> 0;
  t = ((l >>> 4) ^ r) & 0x0f0f0f0f;
  r = (r ^ t) >>> 0; l = (l ^ (t << 4)) >>> 0;
  blockL = l;
  blockR = r;
}

/**
 * Sixteen rounds over blockL:blockR (already permuted), leaving the swapped pre-output. The f
 * function is written out in the loop (E expansion folded into two rotations, S-boxes and P
 * in S1..S8): no call per round, and no normalisation to unsigned inside the rounds (the
 * halves may be negative int32 in JavaScript; every lookup masks, and the final permutation
 * normalises): an interpreter pays for every operator.
 */
function rounds(ks: number[], decrypt: boolean): void {
  let l = blockL;
  let r = blockR;
  let k = decrypt ? 2 * (ROUNDS - 1) : 0;
  const step = decrypt ? -2 : 2;
  for (let i = 0; i < ROUNDS; i += 2) {
    let a = ((r >>> 3) | (r << 29)) ^ ks[k];
    let b = ((r << 1) | (r >>> 31)) ^ ks[k + 1];
    l = l ^ (S1[(a >>> 24) & 63] | S2[(b >>> 24) & 63] | S3[(a >>> 16) & 63] | S4[(b >>> 16) & 63] |
      S5[(a >>> 8) & 63] | S6[(b >>> 8) & 63] | S7[a & 63] | S8[b & 63]);
    k += step;
    a = ((l >>> 3) | (l << 29)) ^ ks[k];
    b = ((l << 1) | (l >>> 31)) ^ ks[k + 1];
    r = r ^ (S1[(a >>> 24) & 63] | S2[(b >>> 24) & 63] | S3[(a >>> 16) & 63] | S4[(b >>> 16) & 63] |
      S5[(a >>> 8) & 63] | S6[(b >>> 8) & 63] | S7[a & 63] | S8[b & 63]);
    k += step;
  }
  blockL = r;
  blockR = l;
}

/** DES block operations since load (a 3DES block counts 3, a single-DES MAC step 1): for `posrt bench` device.des_blocks_per_sale. */
let desBlockOps = 0;

export function desBlockCount(): number {
  return desBlockOps;
}

/** Encrypts (or decrypts) blockL:blockR in place with DES or 3DES EDE (EDE⁻¹ = D3 E2 D1). */
function cryptBlock(key: TdesKey, decrypt: boolean): void {
  desBlockOps = desBlockOps + (key.single ? 1 : 3);
  initialPermutation();
  if (key.single) rounds(key.k1, decrypt);
  else if (!decrypt) {
    rounds(key.k1, false);
    rounds(key.k2, true);
    rounds(key.k3, false);
  } else {
    rounds(key.k3, true);
    rounds(key.k2, false);
    rounds(key.k1, true);
  }
  finalPermutation();
}

/** Encrypts or decrypts the 8-byte block at `src[srcOff..]` into `dst[dstOff..]` (may be the same place). */
export function cryptBlockAt(key: TdesKey, decrypt: boolean, src: Bytes, srcOff: number, dst: Bytes, dstOff: number): void {
  blockL = readU32(src, srcOff);
  blockR = readU32(src, srcOff + 4);
  cryptBlock(key, decrypt);
  writeU32(dst, dstOff, blockL);
  writeU32(dst, dstOff + 4, blockR);
}

/**
 * One CBC-MAC step: state := E(state XOR data[off..off+8)), where E is single DES under the
 * first key part, or the full DES/3DES of `key` when `full` (the X9.19 final block).
 */
export function macStep(key: TdesKey, state: Bytes, data: Bytes, off: number, full: boolean): void {
  blockL = (readU32(state, 0) ^ readU32(data, off)) >>> 0;
  blockR = (readU32(state, 4) ^ readU32(data, off + 4)) >>> 0;
  if (full) cryptBlock(key, false);
  else {
    desBlockOps = desBlockOps + 1;
    initialPermutation();
    rounds(key.k1, false);
    finalPermutation();
  }
  writeU32(state, 0, blockL);
  writeU32(state, 4, blockR);
}

function checkLength(data: Bytes, where: string): number {
  const n = len(data);
  if (n % DES_BLOCK_BYTES !== 0) fail(where, "length " + n + " is not a multiple of 8");
  if (n > MAX_CRYPT_BYTES) fail(where, "length " + n + " exceeds " + MAX_CRYPT_BYTES);
  return n;
}

/** ECB encryption (or decryption) of whole 8-byte blocks; other lengths are an error. */
export function ecb(key: TdesKey, data: Bytes, decrypt: boolean): Bytes {
  const n = checkLength(data, "des.ecb");
  const out = alloc(n);
  for (let off = 0; off < n; off += DES_BLOCK_BYTES) cryptBlockAt(key, decrypt, data, off, out, off);
  return out;
}

/** CBC encryption with an 8-byte IV; whole blocks only (the caller pads). */
export function cbcEncrypt(key: TdesKey, iv: Bytes, data: Bytes): Bytes {
  const n = checkLength(data, "des.cbc");
  if (len(iv) !== DES_BLOCK_BYTES) fail("des.cbc", "IV must be 8 bytes");
  const out = alloc(n);
  let prevL = readU32(iv, 0);
  let prevR = readU32(iv, 4);
  for (let off = 0; off < n; off += DES_BLOCK_BYTES) {
    blockL = (readU32(data, off) ^ prevL) >>> 0;
    blockR = (readU32(data, off + 4) ^ prevR) >>> 0;
    cryptBlock(key, false);
    prevL = blockL;
    prevR = blockR;
    writeU32(out, off, blockL);
    writeU32(out, off + 4, blockR);
  }
  return out;
}

/** CBC decryption with an 8-byte IV; whole blocks only. */
export function cbcDecrypt(key: TdesKey, iv: Bytes, data: Bytes): Bytes {
  const n = checkLength(data, "des.cbc");
  if (len(iv) !== DES_BLOCK_BYTES) fail("des.cbc", "IV must be 8 bytes");
  const out = alloc(n);
  let prevL = readU32(iv, 0);
  let prevR = readU32(iv, 4);
  for (let off = 0; off < n; off += DES_BLOCK_BYTES) {
    const cl = readU32(data, off);
    const cr = readU32(data, off + 4);
    blockL = cl;
    blockR = cr;
    cryptBlock(key, true);
    writeU32(out, off, (blockL ^ prevL) >>> 0);
    writeU32(out, off + 4, (blockR ^ prevR) >>> 0);
    prevL = cl;
    prevR = cr;
  }
  return out;
}
