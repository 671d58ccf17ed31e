// The subset of the SE050 IoT applet's APDUs the SecurityModule needs (NXP AN12413 "SE050
// APDU specification"), encoded and decoded here for both the driver and the model:
// - command APDUs per ISO/IEC 7816-4: CLA INS P1 P2, then Lc and data and Le; short form when
//   the data has at most 255 bytes (Le 00), extended form otherwise (Lc 00 HH LL, Le 00 00);
// - the data field is a list of TLVs (AN12413 §4.3.9 tags): one tag byte, a length of one
//   byte below 0x80, else 81 LL or 82 HH LL, then the value;
// - constants (AN12413 §4.3): CLA 80 (no secure messaging), INS §4.3.3 Table 19, P1 §4.3.4
//   Table 22, P2 §4.3.5 Table 23, CipherMode §4.3.21 Table 39, Result §4.3.27 Table 44,
//   status words §4.2 Table 15.
// - MACAlgo (§4.3.18 Table 36): the value of DES_MAC8_ISO9797_1_M1_ALG3 (the ANSI X9.19 retail
//   MAC) could not be confirmed from the document itself. Public transcriptions of the table give
//   0x04 next to a commented-out 0x30; every other DES entry of the table equals the Java Card
//   Signature constant of the same name (MAC4_ISO9797_M1 = 3, MAC8_ISO9797_M2 = 6,
//   MAC4_..._M1_ALG3 = 47 = 0x2F), and Java Card defines ALG_DES_MAC8_ISO9797_M1 = 4 and
//   ALG_DES_MAC8_ISO9797_1_M1_ALG3 = 48 = 0x30. This code uses 0x30 for the retail MAC and 0x04
//   for plain ISO 9797-1 M1 (CBC-MAC, what X9.19 becomes with a single-length key); check both
//   against the AN12413 revision of the part at bring-up (docs/security-module.md).
import { Bytes, alloc, get, len, set, toHex } from "../bytes/index";
import { fail } from "../errors";

export const CLA_NO_SM = 0x80;
export const INS_WRITE = 0x01;
export const INS_CRYPTO = 0x03;
export const INS_MGMT = 0x04;
/** INS flag: the object's value lives in transient memory (§4.3.2 Table 18). */
export const INS_TRANSIENT = 0x80;
export const P1_DEFAULT = 0x00;
export const P1_DES = 0x04;
export const P1_MAC = 0x0d;
export const P1_CIPHER = 0x0e;
export const P2_DEFAULT = 0x00;
export const P2_EXIST = 0x27;
export const P2_DELETE_OBJECT = 0x28;
export const P2_ENCRYPT_ONESHOT = 0x37;
export const P2_DECRYPT_ONESHOT = 0x38;
export const P2_GENERATE_ONESHOT = 0x45;
export const P2_VALIDATE_ONESHOT = 0x46;
export const P2_RANDOM = 0x49;
export const TAG_1 = 0x41;
export const TAG_2 = 0x42;
export const TAG_3 = 0x43;
export const TAG_4 = 0x44;
export const TAG_5 = 0x45;
export const CIPHER_DES_CBC_NOPAD = 0x01;
export const CIPHER_DES_ECB_NOPAD = 0x05;
/** ISO 9797-1 MAC algorithm 1, padding method 1, 8 bytes (plain CBC-MAC). */
export const MAC_DES8_M1 = 0x04;
/** ISO 9797-1 MAC algorithm 3, padding method 1, 8 bytes: the ANSI X9.19 retail MAC (see above). */
export const MAC_DES8_M1_ALG3 = 0x30;
export const RESULT_SUCCESS = 0x01;
export const RESULT_FAILURE = 0x02;
export const SW_OK = 0x9000;
export const SW_WRONG_LENGTH = 0x6700;
export const SW_SECURITY_STATUS = 0x6982;
export const SW_DATA_INVALID = 0x6984;
export const SW_CONDITIONS = 0x6985;
export const SW_NOT_ALLOWED = 0x6986;
export const SW_WRONG_DATA = 0x6a80;
export const SW_FILE_FULL = 0x6a84;
export const SW_INS_NOT_SUPPORTED = 0x6d00;
export const SW_CLA_NOT_SUPPORTED = 0x6e00;
/** The IoT applet's AID (AN12413 §4.4 applet selection). */
export const APPLET_AID_HEX = "A0000003965453000000010300000000";
/** Largest data field this code builds or accepts (an extended APDU, far below its 65535). */
export const MAX_APDU_DATA = 1024;
/** Most TLVs read from one data field. */
export const MAX_TLVS = 8;

export interface Tlv {
  tag: number;
  value: Bytes;
}

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Bytes;
  /** True when the command carried Le (the host expects data back). */
  le: boolean;
}

/** Bytes of a TLV with a value of `n` bytes. */
function tlvSize(n: number): number {
  return n < 0x80 ? 2 + n : n < 0x100 ? 3 + n : 4 + n;
}

/** The data field made of `tlvs` in order. */
export function encodeTlvs(tlvs: Tlv[]): Bytes {
  let total = 0;
  for (let i = 0; i < tlvs.length; i++) total = total + tlvSize(len(tlvs[i].value));
  if (total > MAX_APDU_DATA) fail("se050", "data field of " + total + " bytes exceeds " + MAX_APDU_DATA);
  const out = alloc(total);
  let at = 0;
  for (let i = 0; i < tlvs.length; i++) {
    const v = tlvs[i].value;
    const n = len(v);
    set(out, at, tlvs[i].tag);
    if (n < 0x80) {
      set(out, at + 1, n);
      at = at + 2;
    } else if (n < 0x100) {
      set(out, at + 1, 0x81);
      set(out, at + 2, n);
      at = at + 3;
    } else {
      set(out, at + 1, 0x82);
      set(out, at + 2, n >>> 8);
      set(out, at + 3, n & 0xff);
      at = at + 4;
    }
    for (let k = 0; k < n; k++) set(out, at + k, get(v, k));
    at = at + n;
  }
  return out;
}

/** Splits a data field into its TLVs; a cut or over-long field is a PosrtError. */
export function decodeTlvs(b: Bytes): Tlv[] {
  const out: Tlv[] = [];
  const n = len(b);
  let at = 0;
  while (at < n) {
    if (out.length >= MAX_TLVS) fail("se050", "more than " + MAX_TLVS + " TLVs");
    if (at + 2 > n) fail("se050", "TLV cut at " + at);
    const tag = get(b, at);
    let l = get(b, at + 1);
    at = at + 2;
    if (l === 0x81) {
      if (at + 1 > n) fail("se050", "TLV length cut at " + at);
      l = get(b, at);
      at = at + 1;
    } else if (l === 0x82) {
      if (at + 2 > n) fail("se050", "TLV length cut at " + at);
      l = get(b, at) * 256 + get(b, at + 1);
      at = at + 2;
    } else if (l >= 0x80) fail("se050", "TLV length byte 0x" + toHex(b, at - 1, 1) + " not supported");
    if (at + l > n) fail("se050", "TLV 0x" + toHex(b, at - 2, 1) + " needs " + l + " bytes, " + (n - at) + " left");
    const v = alloc(l);
    for (let k = 0; k < l; k++) set(v, k, get(b, at + k));
    out.push({ tag: tag, value: v });
    at = at + l;
  }
  return out;
}

/** The value of the TLV with `tag`, or undefined. */
export function findTlv(tlvs: Tlv[], tag: number): Bytes | undefined {
  for (let i = 0; i < tlvs.length; i++) if (tlvs[i].tag === tag) return tlvs[i].value;
  return undefined;
}

/** The command APDU bytes (short or extended form, see the top of this file). */
export function encodeCommand(c: CommandApdu): Bytes {
  const n = len(c.data);
  if (n > MAX_APDU_DATA) fail("se050", "APDU data of " + n + " bytes exceeds " + MAX_APDU_DATA);
  const ext = n > 255;
  const lcBytes = n === 0 ? 0 : ext ? 3 : 1;
  const leBytes = !c.le ? 0 : ext ? 2 : n === 0 ? 1 : 1;
  const out = alloc(4 + lcBytes + n + leBytes);
  set(out, 0, c.cla);
  set(out, 1, c.ins);
  set(out, 2, c.p1);
  set(out, 3, c.p2);
  let at = 4;
  if (ext) {
    set(out, 5, n >>> 8);
    set(out, 6, n & 0xff);
    at = 7;
  } else if (n > 0) {
    set(out, 4, n);
    at = 5;
  }
  for (let i = 0; i < n; i++) set(out, at + i, get(c.data, i));
  return out;
}

/** Parses a command APDU (cases 1–4, short and extended); bad lengths are PosrtErrors. */
export function decodeCommand(b: Bytes): CommandApdu {
  const n = len(b);
  if (n < 4) fail("se050", "APDU of " + n + " bytes");
  const c: CommandApdu = { cla: get(b, 0), ins: get(b, 1), p1: get(b, 2), p2: get(b, 3), data: alloc(0), le: false };
  if (n === 4) return c;
  if (n === 5) {
    c.le = true;
    return c;
  }
  let at = 5;
  let lc = get(b, 4);
  let leBytes = 1;
  if (lc === 0) {
    if (n === 7) {
      c.le = true;
      return c;
    }
    lc = get(b, 5) * 256 + get(b, 6);
    at = 7;
    leBytes = 2;
  }
  if (at + lc === n) c.le = false;
  else if (at + lc + leBytes === n) c.le = true;
  else fail("se050", "APDU length " + n + " does not match Lc " + lc);
  const d = alloc(lc);
  for (let i = 0; i < lc; i++) set(d, i, get(b, at + i));
  c.data = d;
  return c;
}

/** A response APDU: data then SW1 SW2. */
export function encodeResponse(data: Bytes, sw: number): Bytes {
  const n = len(data);
  const out = alloc(n + 2);
  for (let i = 0; i < n; i++) set(out, i, get(data, i));
  set(out, n, sw >>> 8);
  set(out, n + 1, sw & 0xff);
  return out;
}

/** A 4-byte object identifier, big-endian. */
export function objectId(id: number): Bytes {
  const b = alloc(4);
  set(b, 0, (id >>> 24) & 0xff);
  set(b, 1, (id >>> 16) & 0xff);
  set(b, 2, (id >>> 8) & 0xff);
  set(b, 3, id & 0xff);
  return b;
}

/** Reads a 4-byte object identifier. */
export function readObjectId(b: Bytes): number {
  if (len(b) !== 4) fail("se050", "object identifier of " + len(b) + " bytes");
  return ((get(b, 0) * 16777216) + ((get(b, 1) << 16) | (get(b, 2) << 8) | get(b, 3))) >>> 0;
}

/** Four hex digits of a status word. */
export function swHex(sw: number): string {
  const d = "0123456789ABCDEF";
  let s = "";
  for (let k = 12; k >= 0; k = k - 4) s = s + d.charAt((sw >>> k) & 15);
  return s;
}

/** What a status word means, in words (AN12413 §4.2 Table 15 and ISO/IEC 7816-4). */
export function swText(sw: number): string {
  if (sw === SW_OK) return "no error";
  if (sw === SW_WRONG_LENGTH) return "wrong length";
  if (sw === SW_SECURITY_STATUS) return "security status not satisfied";
  if (sw === SW_DATA_INVALID) return "data invalid";
  if (sw === SW_CONDITIONS) return "conditions not satisfied (e.g. no such object)";
  if (sw === SW_NOT_ALLOWED) return "command not allowed by the object's policy";
  if (sw === SW_WRONG_DATA) return "wrong data";
  if (sw === SW_FILE_FULL) return "not enough memory";
  if (sw === SW_INS_NOT_SUPPORTED) return "instruction not supported";
  if (sw === SW_CLA_NOT_SUPPORTED) return "class not supported";
  return "unknown status";
}
