// Message authentication for ISO 8583 field 64 and key check values.
//
// MAC: ANSI X9.19 retail MAC (ISO/IEC 9797-1 MAC algorithm 3) with padding method 1:
// the data is padded with zero bytes to a multiple of 8 (not padded when it already is;
// empty data is one zero block); every block but the last is single-DES CBC under the
// left key half K1 (IV zero), the last block gets DES-EDE (K1, K2, K1). The MAC is all
// 8 bytes of the result. An 8-byte key degenerates to plain single-DES CBC-MAC (X9.9).
import { Bytes, alloc, copy, len, slice } from "../bytes/index";
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

/** The first `n` bytes (1..8) of the encryption of a zero block under `key` (8, 16 or 24 bytes). */
export function checkValue(key: Bytes, n: number): Bytes {
  if (n < 1 || n > DES_BLOCK_BYTES) fail("kcv", "length must be 1..8, got " + n);
  return slice(ecb(tdesKey(key), alloc(DES_BLOCK_BYTES), false), 0, n);
}

/** Key check value: the first 3 bytes of DES/3DES(key, 00…00). */
export function kcv(key: Bytes): Bytes {
  return checkValue(key, KCV_BYTES);
}
