// ISO 8583 unpacking driven by a field-spec table (see ./spec for the `cup` convention).
// Every error names the field and the offset (from the start of the buffer given).
import { Bytes, len, get, toHex, readU16 } from "../bytes/index";
import { fail } from "../errors";
import { Len, Fmt, Align, fieldAt, fieldKey, FieldFormat, IsoSpec, specByName, isTextFmt } from "./spec";
import { gbkSequenceBytes } from "../text/gbk";
import { IsoFields, IsoMessage, WHERE, WireHeader, Wire } from "./types";

const HEX = "0123456789ABCDEF";
const PAD_F = 15;
const SEPARATOR_D = 13;

/** Read position in `b`, never past `end`. */
interface Reader { b: Bytes; p: number; end: number }

function fieldFail(no: number, at: number, msg: string): never {
  return fail(WHERE, "field " + no + ": " + msg + " at offset " + at);
}

/** Reserves `n` bytes for field `no` and returns their offset. */
function take(r: Reader, no: number, n: number): number {
  const at = r.p;
  if (at + n > r.end) fieldFail(no, at, "truncated: needs " + n + " bytes, " + (r.end - at) + " left");
  r.p = at + n;
  return at;
}

/** A BCD byte as 0..99; a nibble above 9 is an error. */
function bcdValue(no: number, b: Bytes, at: number): number {
  const v = get(b, at);
  const hi = v >>> 4;
  const lo = v & 15;
  if (hi > 9 || lo > 9) fieldFail(no, at, "bad BCD length byte 0x" + HEX.charAt(hi) + HEX.charAt(lo));
  return hi * 10 + lo;
}

/** The field's length in its units: fixed, or read from the BCD LL / LLL prefix. */
function readUnits(r: Reader, d: FieldFormat): number {
  if (d.lt === Len.LL) {
    const at = take(r, d.no, 1);
    return checkMax(d, at, bcdValue(d.no, r.b, at));
  }
  if (d.lt === Len.LLL) {
    const at = take(r, d.no, 2);
    return checkMax(d, at, bcdValue(d.no, r.b, at) * 100 + bcdValue(d.no, r.b, at + 1));
  }
  return d.max;
}

function checkMax(d: FieldFormat, at: number, units: number): number {
  if (units > d.max) fieldFail(d.no, at, "length " + units + " over max " + d.max);
  return units;
}

/** One decoded nibble: a digit, or for z the separator D. */
function nibbleText(d: FieldFormat, at: number, x: number): string {
  if (x <= 9) return String.fromCharCode(48 + x);
  if (x === SEPARATOR_D && d.fmt === Fmt.Z) return "D";
  return fieldFail(d.no, at, "bad BCD nibble " + HEX.charAt(x));
}

function checkPad(d: FieldFormat, at: number, x: number): void {
  if (x !== 0 && x !== PAD_F) fieldFail(d.no, at, "bad pad nibble " + HEX.charAt(x));
}

/** Text of one BCD byte off the fast path: a pad nibble first or last, a D, or an error. */
function slowByte(d: FieldFormat, at: number, v: number, padHi: boolean, padLo: boolean): string {
  const hi = v >>> 4;
  const lo = v & 15;
  if (padHi) checkPad(d, at, hi);
  if (padLo) checkPad(d, at, lo);
  return (padHi ? "" : nibbleText(d, at, hi)) + (padLo ? "" : nibbleText(d, at, lo));
}

/** `units` BCD digits (z: with D) from `at`; the pad nibble of an odd count sits per alignment. */
function readDigits(d: FieldFormat, b: Bytes, at: number, units: number): string {
  const nBytes = (units + 1) >>> 1;
  const odd = units % 2 === 1;
  const padFirst = odd && d.align === Align.Right ? 0 : -1;
  const padLast = odd && d.align !== Align.Right ? nBytes - 1 : -1;
  let s = "";
  for (let k = 0; k < nBytes; k++) {
    const v = get(b, at + k);
    if ((v & 15) <= 9 && v < 0xa0 && k !== padFirst && k !== padLast) s += HEX.charAt(v >>> 4) + HEX.charAt(v & 15);
    else s += slowByte(d, at + k, v, k === padFirst, k === padLast);
  }
  return s;
}

/** Upper-case hex of `n` bytes (appending short strings is the fast way on V8, and cheap elsewhere). */
function readHex(b: Bytes, at: number, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) {
    const v = get(b, at + k);
    s += HEX.charAt(v >>> 4) + HEX.charAt(v & 15);
  }
  return s;
}

function byteFail(d: FieldFormat, at: number, c: number, what: string): never {
  return fieldFail(d.no, at, "byte 0x" + HEX.charAt(c >>> 4) + HEX.charAt(c & 15) + " not allowed in " + what);
}

/** At `at + i`: a GBK / GB18030 sequence in an ansg field; returns its length in bytes. */
function gbkAt(d: FieldFormat, b: Bytes, at: number, i: number, n: number): number {
  const k = at + i;
  const c1 = i + 1 < n ? get(b, k + 1) : -1;
  const c2 = i + 2 < n ? get(b, k + 2) : -1;
  const c3 = i + 3 < n ? get(b, k + 3) : -1;
  const m = gbkSequenceBytes(get(b, k), c1, c2, c3);
  if (m === 0) byteFail(d, k, get(b, k), "ansg (not a whole GBK character)");
  return m;
}

function readText(d: FieldFormat, b: Bytes, at: number, n: number): string {
  const an = d.fmt === Fmt.AN;
  let s = "";
  let i = 0;
  while (i < n) {
    const c = get(b, at + i);
    const ok = an ? c === 32 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : c >= 0x20 && c <= 0x7e;
    if (ok) {
      s += String.fromCharCode(c);
      i++;
    } else if (d.fmt === Fmt.ANSG && c >= 0x81) {
      const m = gbkAt(d, b, at, i, n);
      for (let k = 0; k < m; k++) s += String.fromCharCode(get(b, at + i + k));
      i += m;
    } else byteFail(d, at + i, c, an ? "an" : d.fmt === Fmt.ANSG ? "ansg" : "ans");
  }
  return s;
}

/** Reads field `d` at the reader's position into `fields`. */
function readField(r: Reader, d: FieldFormat, fields: IsoFields): void {
  const units = readUnits(r, d);
  const isText = isTextFmt(d.fmt);
  const nBytes = d.fmt === Fmt.B || isText ? units : (units + 1) >>> 1;
  const at = take(r, d.no, nBytes);
  let v: string;
  if (d.fmt === Fmt.B) v = readHex(r.b, at, nBytes);
  else if (isText) v = readText(d, r.b, at, nBytes);
  else v = readDigits(d, r.b, at, units);
  fields[fieldKey(d.no)] = v;
}

function readMti(b: Bytes, at: number): string {
  const hi = get(b, at);
  const lo = get(b, at + 1);
  if ((hi >>> 4) > 9 || (hi & 15) > 9 || (lo >>> 4) > 9 || (lo & 15) > 9) {
    fail(WHERE, "MTI: bad BCD 0x" + toHex(b, at, Wire.MtiBytes) + " at offset " + at);
  }
  return String.fromCharCode(48 + (hi >>> 4), 48 + (hi & 15), 48 + (lo >>> 4), 48 + (lo & 15));
}

/** Reads fields named by bitmap byte `k` (fields 8k+1 .. 8k+8); bit 1 is the secondary bitmap flag. */
function readBitmapByte(sp: IsoSpec, r: Reader, bm: number, k: number, fields: IsoFields): void {
  const v = get(r.b, bm + k);
  for (let bit = 0; bit < 8; bit++) {
    if ((v & (0x80 >>> bit)) === 0) continue;
    const no = k * 8 + bit + 1;
    if (no === 1) continue;
    const d = fieldAt(sp, no);
    if (d.fmt === Fmt.None) fail(WHERE, "field " + no + ": in the bitmap at offset " + (bm + k) + " but not defined in spec " + sp.name);
    readField(r, d, fields);
  }
}

/** Unpacks the bare message held in exactly `b[off .. off+n)`. */
export function unpackIso(spec: string, b: Bytes, off: number, n: number): IsoMessage {
  const sp = specByName(spec);
  if (off < 0 || n < 0 || off + n > len(b)) fail(WHERE, "range " + off + "+" + n + " outside buffer of " + len(b));
  const r: Reader = { b: b, p: off, end: off + n };
  if (n < Wire.MtiBytes + Wire.BitmapBytes) fail(WHERE, "truncated: " + n + " bytes cannot hold MTI and bitmap (offset " + off + ")");
  const mti = readMti(b, off);
  const bm = off + Wire.MtiBytes;
  const secondary = (get(b, bm) & 0x80) !== 0;
  const bitmapBytes = secondary ? 2 * Wire.BitmapBytes : Wire.BitmapBytes;
  if (n < Wire.MtiBytes + bitmapBytes) fail(WHERE, "truncated: secondary bitmap at offset " + (bm + Wire.BitmapBytes) + " needs 8 bytes");
  r.p = bm + bitmapBytes;
  const fields: IsoFields = {};
  for (let k = 0; k < bitmapBytes; k++) readBitmapByte(sp, r, bm, k, fields);
  if (r.p !== r.end) fail(WHERE, (r.end - r.p) + " trailing bytes after the last field at offset " + r.p);
  return { mti: mti, fields: fields };
}

/** Unpacks one wire frame: 2-byte length (must match the frame), TPDU, header, bare message. */
export function unpackWire(spec: string, b: Bytes): { msg: IsoMessage; header: WireHeader } {
  const total = len(b);
  if (total < Wire.Overhead) fail(WHERE, "truncated: wire frame of " + total + " bytes, length + TPDU + header need " + Wire.Overhead);
  const n = readU16(b, 0);
  const follow = total - Wire.LengthBytes;
  if (n > follow) fail(WHERE, "truncated: length prefix at offset 0 says " + n + " bytes, only " + follow + " follow");
  if (n < follow) fail(WHERE, "length prefix at offset 0 says " + n + " bytes, but " + follow + " follow (trailing data)");
  const h: WireHeader = { tpdu: readHex(b, Wire.LengthBytes, Wire.TpduBytes), header: readHex(b, Wire.LengthBytes + Wire.TpduBytes, Wire.HeaderBytes) };
  const msg = unpackIso(spec, b, Wire.Overhead, total - Wire.Overhead);
  return { msg: msg, header: h };
}
