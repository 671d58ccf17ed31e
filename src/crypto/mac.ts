// Message authentication for ISO 8583 field 64 and key check values.
//
// MAC: ANSI X9.19 retail MAC (ISO/IEC 9797-1 MAC algorithm 3) with padding method 1:
// the data is padded with zero bytes to a multiple of 8 (not padded when it already is;
// empty data is one zero block); every block but the last is single-DES CBC under the
// left key half K1 (IV zero), the last block gets DES-EDE (K1, K2, K1). The MAC is all
// 8 bytes of the result. An 8-byte key degenerates to plain single-DES CBC-MAC (X9.9).
//
// UnionPay "ECB" MAC (China UnionPay POS terminal specification; also called the CUP MAC):
// the data, zero-padded to a multiple of 8 (not padded when it already is), is XORed block by
// block into one 8-byte block R; R is written as 16 upper-case ASCII hex characters H; the
// first 8 bytes of H are encrypted under the MAC key, the result is XORed with the last 8 bytes
// of H and encrypted again; the MAC is the first 4 bytes of that, sent as 8 ASCII hex
// characters (field 64 carries those 8 characters as its 8 bytes). The key is single DES
// (8 bytes) or 3DES (16 bytes, for hosts that use a double-length MAK).
import { Bytes, alloc, copy, get, set, len, slice, toHex, fromAscii } from "../bytes/index";
import { fail } from "../errors";
import { DES_BLOCK_BYTES, MAX_CRYPT_BYTES, TdesKey, ecb, macStep, tdesKey } from "./des";

export const MAC_BYTES = 8;
/** Bytes of a key check value as this module reports it (KCV). */
export const KCV_BYTES = 3;

/** X9.19 retail MAC (8 bytes) of `data` under an expanded 8- or 16-byte key. */
export function macX919(key: TdesKey, data: Bytes): Bytes {
  const n = len(data);
  if (n > MAX_CRYPT_BYTES) fail("mac", "data length " + n + " exceeds " + MAX_CRYPT_BYTES);
  const state = alloc(DES_BLOCK_BYTES);
  const whole = n === 0 ? 0 : Math.floor((n - 1) / DES_BLOCK_BYTES);
  for (let b = 0; b < whole; b++) macStep(key, state, data, b * DES_BLOCK_BYTES, false);
  const last = alloc(DES_BLOCK_BYTES);
  copy(data, whole * DES_BLOCK_BYTES, last, 0, n - whole * DES_BLOCK_BYTES);
  macStep(key, state, last, 0, true);
  return state;
}

/** Characters of the UnionPay ECB MAC text (4 bytes as upper-case hex). */
export const CUP_ECB_MAC_CHARS = 8;

/** The UnionPay ECB MAC of `data` as its 8 upper-case hex characters (see the top of this file). */
export function macCupEcbText(key: TdesKey, data: Bytes): string {
  const n = len(data);
  if (n > MAX_CRYPT_BYTES) fail("mac", "data length " + n + " exceeds " + MAX_CRYPT_BYTES);
  const r = alloc(DES_BLOCK_BYTES);
  for (let i = 0; i < n; i++) {
    const k = i % DES_BLOCK_BYTES;
    set(r, k, get(r, k) ^ get(data, i));
  }
  const h = fromAscii(toHex(r), "mac");
  const step = ecb(key, slice(h, 0, DES_BLOCK_BYTES), false);
  for (let k = 0; k < DES_BLOCK_BYTES; k++) set(step, k, get(step, k) ^ get(h, DES_BLOCK_BYTES + k));
  return toHex(ecb(key, step, false), 0, CUP_ECB_MAC_CHARS >>> 1);
}

/** The UnionPay ECB MAC as field 64 carries it: its 8 hex characters as 8 ASCII bytes. */
export function macCupEcb(key: TdesKey, data: Bytes): Bytes {
  return fromAscii(macCupEcbText(key, data), "mac");
}

/** MAC algorithm names an acquirer profile may choose: ANSI X9.19 (8 binary bytes), UnionPay ECB (8 ASCII hex bytes). */
export const MAC_X919 = "x919";
export const MAC_CUP_ECB = "cup-ecb";
export const MAC_ALGORITHMS: readonly string[] = [MAC_X919, MAC_CUP_ECB];

/** An error unless `name` is one of MAC_ALGORITHMS. */
export function checkMacAlgorithm(name: string): string {
  if (name !== MAC_X919 && name !== MAC_CUP_ECB) fail("mac", "unknown MAC algorithm \"" + name + "\" (x919 or cup-ecb)");
  return name;
}

/** The 8 bytes field 64 carries under algorithm `algo` (MAC_X919 or MAC_CUP_ECB). */
export function macBy(algo: string, key: TdesKey, data: Bytes): Bytes {
  return checkMacAlgorithm(algo) === MAC_CUP_ECB ? macCupEcb(key, data) : macX919(key, data);
}

/** The first `n` bytes (1..8) of the encryption of a zero block under `key` (8, 16 or 24 bytes). */
export function checkValue(key: Bytes, n: number): Bytes {
  if (n < 1 || n > DES_BLOCK_BYTES) fail("kcv", "length must be 1..8, got " + n);
  return slice(ecb(tdesKey(key), alloc(DES_BLOCK_BYTES), false), 0, n);
}

/** Key check value: the first 3 bytes of DES/3DES(key, 00…00). */
export function kcv(key: Bytes): Bytes {
  return checkValue(key, KCV_BYTES);
}
