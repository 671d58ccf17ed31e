// ISO 8583 packing driven by a field-spec table (see ./spec for the `cup` convention).
// Bare message: BCD MTI, binary bitmap(s), fields in ascending number order.
// Wire frame (cup): 2-byte big-endian binary length of what follows, 5-byte TPDU
// (60 + destination NII + source NII), 6-byte header, then the bare message.
import { Bytes, alloc, len, get, set, copy, writeU16 } from "../bytes/index";
import { fail } from "../errors";
import { Len, Fmt, Align, fieldAt, fieldKey, FieldFormat, IsoSpec, Field, specByName, isTextFmt } from "./spec";
import { gbkSequenceBytes } from "../text/gbk";
import { IsoFields, IsoMessage, WHERE, WireHeader, Wire } from "./types";

/** Size of the MAC (field 64 or 128), and 8 zero bytes standing in for it while computing its input. */
const MAC_BYTES = 8;
const MAC_PLACEHOLDER = "0000000000000000";

function fieldFail(no: number, msg: string): never {
  return fail(WHERE, "field " + no + ": " + msg);
}

/** Field number of key `k` ("2".."128", no leading zero), or -1. */
function keyNumber(k: string): number {
  const n = k.length;
  if (n < 1 || n > 3 || k.charCodeAt(0) === 48) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v >= 2 && v <= Field.Max ? v : -1;
}

/** Inserts `no` and its value keeping `nums` ascending (Object.keys order differs between JS and Lua). */
function insertSorted(nums: number[], vals: string[], no: number, v: string): void {
  let i = nums.length;
  nums.push(no);
  vals.push(v);
  while (i > 0 && nums[i - 1] > no) {
    nums[i] = nums[i - 1];
    vals[i] = vals[i - 1];
    i--;
  }
  nums[i] = no;
  vals[i] = v;
}

/** Present field numbers of `msg`, ascending (never object key order); keys that are not 2..128 are skipped. */
export function fieldNumbers(msg: IsoMessage): number[] {
  const nums: number[] = [];
  const vals: string[] = [];
  const fields = msg.fields;
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) {
    const no = keyNumber(keys[i]);
    if (no > 0 && fields[keys[i]] !== undefined) insertSorted(nums, vals, no, fields[keys[i]]);
  }
  return nums;
}

/** The first key of `fields` that is not a field number 2..128 (sorted, so every runtime names the same). */
function strayKey(fields: IsoFields): string {
  const keys = Object.keys(fields);
  keys.sort();
  for (let i = 0; i < keys.length; i++) if (keyNumber(keys[i]) < 0) return keys[i];
  return "?";
}

interface Present { nums: number[]; vals: string[] }

/** Present fields in ascending order with their values, checked: defined by the spec, values strings. */
function presentFields(sp: IsoSpec, msg: IsoMessage): Present {
  if (typeof msg.mti !== "string") fail(WHERE, "MTI must be a string");
  if (typeof msg.fields !== "object") fail(WHERE, "fields must be an object");
  const nums: number[] = [];
  const vals: string[] = [];
  const fields = msg.fields;
  const keys = Object.keys(fields);
  if (keys.length > Field.Max) fail(WHERE, keys.length + " fields: more than any bitmap holds");
  for (let i = 0; i < keys.length; i++) {
    const v = fields[keys[i]];
    if (v === undefined) continue;
    const no = keyNumber(keys[i]);
    if (no < 0) fail(WHERE, "unknown field \"" + strayKey(fields) + "\"");
    if (fieldAt(sp, no).fmt === Fmt.None) fieldFail(no, "not defined in spec " + sp.name);
    if (typeof v !== "string") fieldFail(no, "value must be a string");
    insertSorted(nums, vals, no, v);
  }
  return { nums: nums, vals: vals };
}

/** Length in the field's units: digits (n, z), characters (an, ans), bytes (b). */
function valueUnits(d: FieldFormat, v: string): number {
  if (d.fmt !== Fmt.B) return v.length;
  if (v.length % 2 !== 0) fieldFail(d.no, "odd hex length " + v.length);
  return v.length >>> 1;
}

/** Bytes field `d` takes when packed with value `v`, after checking its length. */
function packedSize(d: FieldFormat, v: string): number {
  const units = valueUnits(d, v);
  if (d.lt === Len.Fixed && units !== d.max) fieldFail(d.no, "needs exactly " + d.max + unitName(d) + ", got " + units);
  if (units > d.max) fieldFail(d.no, "length " + units + " over max " + d.max);
  const body = d.fmt === Fmt.B || isTextFmt(d.fmt) ? units : (units + 1) >>> 1;
  return body + (d.lt === Len.LL ? 1 : d.lt === Len.LLL ? 2 : 0);
}

function unitName(d: FieldFormat): string {
  return d.fmt === Fmt.B ? " bytes" : d.fmt === Fmt.ANSG ? " bytes" : isTextFmt(d.fmt) ? " characters" : " digits";
}

/** One nibble of an n or z value; z also takes the separator D (d, = accepted). */
function digitAt(d: FieldFormat, v: string, i: number): number {
  const c = v.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (d.fmt === Fmt.Z && (c === 68 || c === 100 || c === 61)) return 13;
  return fieldFail(d.no, "bad character \"" + v.charAt(i) + "\" at position " + i + " (" + (d.fmt === Fmt.Z ? "digits and D" : "digits only") + ")");
}

/** Writes `v` as BCD at `at`; an odd count pads a 0 nibble on the side the alignment leaves free. */
function writeDigits(out: Bytes, at: number, d: FieldFormat, v: string): number {
  const n = v.length;
  let i = n % 2 === 1 && d.align === Align.Right ? -1 : 0;
  while (i < n) {
    const hi = i < 0 ? 0 : digitAt(d, v, i);
    const lo = i + 1 < n ? digitAt(d, v, i + 1) : 0;
    set(out, at, hi * 16 + lo);
    at++;
    i += 2;
  }
  return at;
}

/** Code at `i` of `v`, or -1 past its end. */
function codeAt(v: string, i: number): number {
  return i < v.length ? v.charCodeAt(i) : -1;
}

/** Checks a GBK / GB18030 sequence at `i` of an ansg value (one character per byte); returns its length. */
function gbkSeq(d: FieldFormat, v: string, i: number): number {
  const m = gbkSequenceBytes(v.charCodeAt(i), codeAt(v, i + 1), codeAt(v, i + 2), codeAt(v, i + 3));
  if (m === 0) fieldFail(d.no, "character code " + v.charCodeAt(i) + " at position " + i + " not allowed in ansg (not a whole GBK character, one character per byte)");
  return m;
}

function writeText(out: Bytes, at: number, d: FieldFormat, v: string): number {
  const an = d.fmt === Fmt.AN;
  let i = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    const ok = an ? isAlnumOrSpace(c) : c >= 0x20 && c <= 0x7e;
    let m = 1;
    if (!ok && d.fmt === Fmt.ANSG && c >= 0x81) m = gbkSeq(d, v, i);
    else if (!ok) fieldFail(d.no, "character code " + c + " at position " + i + " not allowed in " + (an ? "an" : d.fmt === Fmt.ANSG ? "ansg" : "ans"));
    for (let k = 0; k < m; k++) set(out, at + i + k, v.charCodeAt(i + k));
    i += m;
  }
  return at + v.length;
}

function isAlnumOrSpace(c: number): boolean {
  return c === 32 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function hexNibble(d: FieldFormat, v: string, i: number): number {
  const x = hexValue(v.charCodeAt(i));
  if (x < 0) fieldFail(d.no, "bad hex character \"" + v.charAt(i) + "\" at position " + i);
  return x;
}

function writeHex(out: Bytes, at: number, d: FieldFormat, v: string): number {
  const n = v.length >>> 1;
  for (let k = 0; k < n; k++) set(out, at + k, hexNibble(d, v, 2 * k) * 16 + hexNibble(d, v, 2 * k + 1));
  return at + n;
}

/** Writes field `d` (length prefix, then body) at `at`; returns the offset after it. */
function writeField(out: Bytes, at: number, d: FieldFormat, v: string): number {
  const units = d.fmt === Fmt.B ? v.length >>> 1 : v.length;
  if (d.lt === Len.LL) {
    set(out, at, bcdByte(units));
    at++;
  } else if (d.lt === Len.LLL) {
    set(out, at, Math.floor(units / 100));
    set(out, at + 1, bcdByte(units % 100));
    at += 2;
  }
  if (d.fmt === Fmt.B) return writeHex(out, at, d, v);
  if (isTextFmt(d.fmt)) return writeText(out, at, d, v);
  return writeDigits(out, at, d, v);
}

function bcdByte(x: number): number {
  return Math.floor(x / 10) * 16 + (x % 10);
}

function writeMti(out: Bytes, at: number, mti: string): void {
  if (mti.length !== 4) fail(WHERE, "MTI must be 4 digits, got \"" + mti + "\"");
  for (let i = 0; i < 4; i += 2) {
    const hi = mti.charCodeAt(i) - 48;
    const lo = mti.charCodeAt(i + 1) - 48;
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) fail(WHERE, "MTI must be 4 digits, got \"" + mti + "\"");
    set(out, at + (i >>> 1), hi * 16 + lo);
  }
}

interface Layout { nums: number[]; vals: string[]; bitmapBytes: number; size: number }

/** Checks `msg` against the spec and sizes its bare packing. */
function layout(sp: IsoSpec, msg: IsoMessage): Layout {
  const p = presentFields(sp, msg);
  const nums = p.nums;
  const secondary = nums.length > 0 && nums[nums.length - 1] > Field.PrimaryMax;
  const bitmapBytes = secondary ? 2 * Wire.BitmapBytes : Wire.BitmapBytes;
  let size = Wire.MtiBytes + bitmapBytes;
  for (let i = 0; i < nums.length; i++) size += packedSize(fieldAt(sp, nums[i]), p.vals[i]);
  if (size > Wire.MaxBare) fail(WHERE, "message of " + size + " bytes is too long");
  return { nums: nums, vals: p.vals, bitmapBytes: bitmapBytes, size: size };
}

/** Writes the bare message laid out by `lay` at `off` of `out` (zeroed). */
function writeBare(out: Bytes, off: number, sp: IsoSpec, msg: IsoMessage, lay: Layout): void {
  writeMti(out, off, msg.mti);
  const bm = off + Wire.MtiBytes;
  if (lay.bitmapBytes > Wire.BitmapBytes) set(out, bm, 0x80);
  let at = bm + lay.bitmapBytes;
  for (let i = 0; i < lay.nums.length; i++) {
    const no = lay.nums[i];
    const byteAt = bm + ((no - 1) >>> 3);
    set(out, byteAt, get(out, byteAt) | (0x80 >>> ((no - 1) & 7)));
    at = writeField(out, at, fieldAt(sp, no), lay.vals[i]);
  }
}

/** Packs the bare message: MTI, bitmap(s), fields in ascending order. */
export function packIso(spec: string, msg: IsoMessage): Bytes {
  const sp = specByName(spec);
  const lay = layout(sp, msg);
  const out = alloc(lay.size);
  writeBare(out, 0, sp, msg, lay);
  return out;
}

/** Writes the `n`-byte TPDU or header given as hex at `at`. */
function writeHeaderHex(out: Bytes, at: number, hex: string, n: number, what: string): void {
  if (typeof hex !== "string" || hex.length !== 2 * n) fail(WHERE, what + " must be " + 2 * n + " hex digits");
  for (let k = 0; k < n; k++) {
    const hi = hexValue(hex.charCodeAt(2 * k));
    const lo = hexValue(hex.charCodeAt(2 * k + 1));
    if (hi < 0 || lo < 0) fail(WHERE, what + ": bad hex at position " + 2 * k);
    set(out, at + k, hi * 16 + lo);
  }
}

/** Packs a wire frame: 2-byte length, TPDU, header, bare message. */
export function packWire(spec: string, msg: IsoMessage, h: WireHeader): Bytes {
  const sp = specByName(spec);
  if (typeof h !== "object") fail(WHERE, "a wire frame needs { tpdu, header }");
  const lay = layout(sp, msg);
  const out = alloc(Wire.Overhead + lay.size);
  writeU16(out, 0, Wire.TpduBytes + Wire.HeaderBytes + lay.size);
  writeHeaderHex(out, Wire.LengthBytes, h.tpdu, Wire.TpduBytes, "TPDU");
  writeHeaderHex(out, Wire.LengthBytes + Wire.TpduBytes, h.header, Wire.HeaderBytes, "header");
  writeBare(out, Wire.Overhead, sp, msg, lay);
  return out;
}

/**
 * The bytes a MAC covers under the cup convention: the bare message from the MTI up to,
 * not including, the MAC field's 8 bytes, with the MAC field's bitmap bit set (TPDU and
 * header are not covered). The MAC field is 64, or 128 when a secondary bitmap is present;
 * either is always the last field, so its value in `msg` (if any) is ignored.
 */
export function macInput(spec: string, msg: IsoMessage): Bytes {
  const sp = specByName(spec);
  const p = presentFields(sp, msg);
  const nums = p.nums;
  const macNo = nums.length > 0 && nums[nums.length - 1] > Field.PrimaryMax ? Field.Max : Field.PrimaryMax;
  const fields: IsoFields = {};
  for (let i = 0; i < nums.length; i++) fields[fieldKey(nums[i])] = p.vals[i];
  fields[fieldKey(macNo)] = MAC_PLACEHOLDER;
  const whole = packIso(spec, { mti: msg.mti, fields: fields });
  const out = alloc(len(whole) - MAC_BYTES);
  copy(whole, 0, out, 0, len(out));
  return out;
}

