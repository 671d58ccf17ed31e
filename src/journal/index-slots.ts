// Fixed-size RAM index of the journal: one Bytes table per kind, sized at open from the
// configuration, so RAM does not grow with the number of records written.
import { Bytes, get, set } from "../bytes/index";

/** Marks "no record" in an address field. */
export const NO_ADDR = 0xffffff;

/**
 * Transaction slot: batch u24 | stan u24 | state u8 | base addr u24 | base len u16 | delta addr u24 | delta len u16 |
 * RRN hash u8 | original's RRN hash u8 (digits.ts `digitsHash`, 0: none; lookups by RRN read only slots whose hash matches).
 */
export const TX_BATCH = 0;
export const TX_STAN = 3;
export const TX_STATE = 6;
export const TX_BASE = 7;
export const TX_BASE_LEN = 10;
export const TX_DELTA = 12;
export const TX_DELTA_LEN = 15;
export const TX_RRN_H = 17;
export const TX_ORIG_H = 18;
export const TX_SLOT_BYTES = 19;

/** Reversal slot: id u32 | batch u24 | stan u24 | state u8 | attempts u8 | reason 2 ASCII | full addr u24 | full len u16 | upd addr u24 | upd len u16. */
export const RV_ID = 0;
export const RV_BATCH = 4;
export const RV_STAN = 7;
export const RV_STATE = 10;
export const RV_ATTEMPTS = 11;
export const RV_REASON = 12;
export const RV_FULL = 14;
export const RV_FULL_LEN = 17;
export const RV_UPD = 19;
export const RV_UPD_LEN = 22;
export const RV_SLOT_BYTES = 24;

export function getU16(b: Bytes, at: number): number {
  return get(b, at) * 256 + get(b, at + 1);
}

export function setU16(b: Bytes, at: number, v: number): void {
  set(b, at, Math.floor(v / 256) % 256);
  set(b, at + 1, v % 256);
}

export function getU24(b: Bytes, at: number): number {
  return get(b, at) * 65536 + get(b, at + 1) * 256 + get(b, at + 2);
}

export function setU24(b: Bytes, at: number, v: number): void {
  set(b, at, Math.floor(v / 65536) % 256);
  set(b, at + 1, Math.floor(v / 256) % 256);
  set(b, at + 2, v % 256);
}

export function getU32(b: Bytes, at: number): number {
  return get(b, at) * 16777216 + getU24(b, at + 1);
}

export function setU32(b: Bytes, at: number, v: number): void {
  set(b, at, Math.floor(v / 16777216) % 256);
  setU24(b, at + 1, v % 16777216);
}

/** Two ASCII characters (or fewer) stored in two bytes, 0 padded. */
export function getCode2(b: Bytes, at: number): string {
  const c0 = get(b, at);
  const c1 = get(b, at + 1);
  if (c0 === 0) return "";
  return c1 === 0 ? String.fromCharCode(c0) : String.fromCharCode(c0) + String.fromCharCode(c1);
}

export function setCode2(b: Bytes, at: number, s: string): void {
  set(b, at, s.length > 0 ? s.charCodeAt(0) : 0);
  set(b, at + 1, s.length > 1 ? s.charCodeAt(1) : 0);
}
