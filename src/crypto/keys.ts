// Working keys in a sign-in reply's field 62, encrypted under the terminal master key (TMK).
//
// Layout (UnionPay style; which one is told by the length, and matches the 60.3 the
// terminal asked for): each key is 3DES-ECB encrypted under the TMK and followed by a
// 4-byte check value (the first 4 bytes of the clear key's encryption of a zero block).
//   60.3 = 001  single-length:  PIK(8)  CV(4) MAK(8)  CV(4)                  = 24 bytes
//   60.3 = 003  double-length:  PIK(16) CV(4) MAK(16) CV(4)                  = 40 bytes
//   60.3 = 004  double + track: PIK(16) CV(4) MAK(16) CV(4) TDK(16) CV(4)    = 60 bytes
// PIK: PIN key, MAK: MAC key (X9.19 over field 64), TDK: track-data key.
import { Bytes, concat, equal, len, slice } from "../bytes/index";
import { fail } from "../errors";
import { TdesKey, ecb } from "./des";
import { checkValue } from "./mac";

export const KEY_SCHEME_SINGLE = "001";
export const KEY_SCHEME_DOUBLE = "003";
export const KEY_SCHEME_DOUBLE_TRACK = "004";
/** Bytes of each check value inside field 62. */
export const FIELD62_CHECK_BYTES = 4;

export interface WorkingKeys {
  /** "001", "003" or "004" (60.3). */
  scheme: string;
  pik: Bytes;
  mak: Bytes;
  /** Track-data key; only with scheme "004". */
  tdk?: Bytes;
}

/** Clear length of each key, and how many keys, for a 60.3 scheme. */
function shape(scheme: string): { keyBytes: number; count: number } {
  if (scheme === KEY_SCHEME_SINGLE) return { keyBytes: 8, count: 2 };
  if (scheme === KEY_SCHEME_DOUBLE) return { keyBytes: 16, count: 2 };
  if (scheme === KEY_SCHEME_DOUBLE_TRACK) return { keyBytes: 16, count: 3 };
  return fail("keys", "unknown key scheme (60.3) \"" + scheme + "\"");
}

/** The 60.3 scheme a field 62 of `n` bytes carries. */
export function schemeOfField62(n: number): string {
  if (n === 24) return KEY_SCHEME_SINGLE;
  if (n === 40) return KEY_SCHEME_DOUBLE;
  if (n === 60) return KEY_SCHEME_DOUBLE_TRACK;
  return fail("keys", "field 62 of " + n + " bytes is not a working-key block (24, 40 or 60)");
}

/** Field 62 for `keys`, each key encrypted under the TMK and followed by its check value. */
export function encodeWorkingKeys(tmk: TdesKey, keys: WorkingKeys): Bytes {
  const s = shape(keys.scheme);
  const list: Bytes[] = [keys.pik, keys.mak];
  if (s.count === 3) {
    if (keys.tdk === undefined) fail("keys", "scheme 004 needs a track key");
    list.push(keys.tdk as Bytes);
  }
  const parts: Bytes[] = [];
  for (let i = 0; i < list.length; i++) {
    if (len(list[i]) !== s.keyBytes) fail("keys", "key " + i + " must be " + s.keyBytes + " bytes for scheme " + keys.scheme);
    parts.push(ecb(tmk, list[i], false));
    parts.push(checkValue(list[i], FIELD62_CHECK_BYTES));
  }
  return concat(parts);
}

/** Decrypts field 62 under the TMK; a check-value mismatch is a PosrtError naming the key. */
export function decodeWorkingKeys(tmk: TdesKey, field62: Bytes): WorkingKeys {
  const scheme = schemeOfField62(len(field62));
  const s = shape(scheme);
  const names: string[] = ["PIN key", "MAC key", "track key"];
  const clear: Bytes[] = [];
  for (let i = 0; i < s.count; i++) {
    const at = i * (s.keyBytes + FIELD62_CHECK_BYTES);
    const key = ecb(tmk, slice(field62, at, s.keyBytes), true);
    if (!equal(checkValue(key, FIELD62_CHECK_BYTES), slice(field62, at + s.keyBytes, FIELD62_CHECK_BYTES))) {
      fail("keys", names[i] + " check value mismatch in field 62");
    }
    clear.push(key);
  }
  const out: WorkingKeys = { scheme: scheme, pik: clear[0], mak: clear[1] };
  if (s.count === 3) out.tdk = clear[2];
  return out;
}
