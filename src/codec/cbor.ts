// CBOR (RFC 8949), streaming layer: write and read one item at a time in a caller-owned
// buffer. The subset: unsigned/negative integers within ±(2^53−1), byte and text strings,
// arrays, maps, false/true, definite lengths. Everything else is a clear error.
// Multi-byte heads are built with `* 256 +` arithmetic: exact in JS doubles and Lua integers.
import { Bytes, copy, fromText, get, len, set, slice, toText } from "../bytes/index";
import { fail } from "../errors";

export const MAJOR_UINT = 0;
export const MAJOR_NEGINT = 1;
export const MAJOR_BYTES = 2;
export const MAJOR_TEXT = 3;
export const MAJOR_ARRAY = 4;
export const MAJOR_MAP = 5;
export const MAJOR_TAG = 6;
export const MAJOR_SIMPLE = 7;

/** Largest integer magnitude the subset carries: 2^53 − 1. */
export const MAX_SAFE_INT = 9007199254740991;
const TWO_POW_32 = 4294967296;
/** High 32-bit word of MAX_SAFE_INT: an 8-byte head above this is out of range. */
const MAX_SAFE_HIGH_WORD = 0x1fffff;
const SIMPLE_FALSE = 20;
/** Texts up to this many bytes are built by concatenation (fast for keys); longer ones by toText. */
const SHORT_TEXT_BYTES = 32;
const SIMPLE_TRUE = 21;
const MAJOR_NAMES = ["unsigned integer", "negative integer", "byte string", "text string", "array", "map", "tag", "simple value"];

export interface CborWriter {
  buf: Bytes;
  pos: number;
  end: number;
}

export interface CborReader {
  buf: Bytes;
  pos: number;
  end: number;
}

/** A writer over `buf[off .. end)`; items are written in place, nothing allocated per item. */
export function cborWriter(buf: Bytes, off: number, end: number): CborWriter {
  if (off < 0 || end < off || end > len(buf)) fail("cbor", "writer range " + off + ".." + end + " outside buffer of " + len(buf));
  return { buf: buf, pos: off, end: end };
}

/** A reader over `buf[off .. end)`. */
export function cborReader(buf: Bytes, off: number, end: number): CborReader {
  if (off < 0 || end < off || end > len(buf)) fail("cbor", "reader range " + off + ".." + end + " outside buffer of " + len(buf));
  return { buf: buf, pos: off, end: end };
}

function room(w: CborWriter, n: number): void {
  if (w.pos + n > w.end) fail("cbor", "buffer full: " + n + " bytes needed at offset " + w.pos + ", end " + w.end);
}

function checkInt(n: number, what: string): void {
  if (n !== Math.floor(n) || n > MAX_SAFE_INT || n < -MAX_SAFE_INT) fail("cbor", what + " " + n + " is not an integer within ±(2^53-1)");
}

/** Writes the head of an item: major type and argument `n` (0..2^53−1) in shortest form. */
export function wHead(w: CborWriter, major: number, n: number): void {
  const top = major * 32;
  const b = w.buf;
  if (n < 24) {
    room(w, 1);
    set(b, w.pos, top + n);
    w.pos += 1;
  } else if (n < 256) {
    room(w, 2);
    set(b, w.pos, top + 24);
    set(b, w.pos + 1, n);
    w.pos += 2;
  } else if (n < 65536) {
    room(w, 3);
    set(b, w.pos, top + 25);
    set(b, w.pos + 1, Math.floor(n / 256));
    set(b, w.pos + 2, n % 256);
    w.pos += 3;
  } else if (n < TWO_POW_32) {
    room(w, 5);
    set(b, w.pos, top + 26);
    putWord(b, w.pos + 1, n);
    w.pos += 5;
  } else {
    room(w, 9);
    const high = Math.floor(n / TWO_POW_32);
    set(b, w.pos, top + 27);
    putWord(b, w.pos + 1, high);
    putWord(b, w.pos + 5, n - high * TWO_POW_32);
    w.pos += 9;
  }
}

function putWord(b: Bytes, at: number, v: number): void {
  set(b, at, Math.floor(v / 16777216));
  set(b, at + 1, Math.floor(v / 65536) % 256);
  set(b, at + 2, Math.floor(v / 256) % 256);
  set(b, at + 3, v % 256);
}

export function wUint(w: CborWriter, n: number): void {
  checkInt(n, "unsigned");
  if (n < 0) fail("cbor", "unsigned " + n + " is negative");
  wHead(w, MAJOR_UINT, n);
}

export function wInt(w: CborWriter, n: number): void {
  checkInt(n, "integer");
  if (n >= 0) wHead(w, MAJOR_UINT, n);
  else wHead(w, MAJOR_NEGINT, -1 - n);
}

export function wBool(w: CborWriter, v: boolean): void {
  room(w, 1);
  set(w.buf, w.pos, MAJOR_SIMPLE * 32 + (v ? SIMPLE_TRUE : SIMPLE_FALSE));
  w.pos += 1;
}

/** ASCII length of `s`, or -1 when it holds anything else (then it goes through fromText). */
function asciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return -1;
  return s.length;
}

/** Writes a text string as UTF-8; ASCII is written in place, other text is encoded first. */
export function wText(w: CborWriter, s: string): void {
  const n = asciiLength(s);
  if (n < 0) {
    const utf8 = fromText(s);
    wHead(w, MAJOR_TEXT, len(utf8));
    room(w, len(utf8));
    copy(utf8, 0, w.buf, w.pos, len(utf8));
    w.pos += len(utf8);
    return;
  }
  wHead(w, MAJOR_TEXT, n);
  room(w, n);
  const b = w.buf;
  const at = w.pos;
  for (let i = 0; i < n; i++) set(b, at + i, s.charCodeAt(i));
  w.pos += n;
}

/** Writes `src[off .. off+n)` as a byte string. */
export function wBytes(w: CborWriter, src: Bytes, off: number, n: number): void {
  if (off < 0 || n < 0 || off + n > len(src)) fail("cbor", "byte string source " + off + "+" + n + " outside " + len(src));
  wHead(w, MAJOR_BYTES, n);
  room(w, n);
  copy(src, off, w.buf, w.pos, n);
  w.pos += n;
}

/** Starts an array of `count` items (write them next). */
export function wArray(w: CborWriter, count: number): void {
  checkInt(count, "array count");
  if (count < 0) fail("cbor", "array count " + count + " is negative");
  wHead(w, MAJOR_ARRAY, count);
}

/** Starts a map of `count` pairs (write key, value, key, value … next). */
export function wMap(w: CborWriter, count: number): void {
  checkInt(count, "map count");
  if (count < 0) fail("cbor", "map count " + count + " is negative");
  wHead(w, MAJOR_MAP, count);
}

function need(r: CborReader, n: number, what: string, at: number): void {
  if (r.pos + n > r.end) fail("cbor", "truncated " + what + " at offset " + at);
}

/** Rejects majors 6 and 7 except false/true, naming what was found. */
function unsupported(r: CborReader, at: number, major: number, info: number): never {
  if (major === MAJOR_TAG) return fail("cbor", "tags are not supported at offset " + at);
  if (info === 22) return fail("cbor", "null is not supported at offset " + at);
  if (info === 23) return fail("cbor", "undefined is not supported at offset " + at);
  if (info >= 25 && info <= 27) return fail("cbor", "floats are not supported at offset " + at);
  if (info === 31) return fail("cbor", "break outside indefinite item at offset " + at);
  return fail("cbor", "simple values are not supported at offset " + at);
}

/** Reads a head's argument for `info` (after the initial byte); returns it, errors beyond 2^53−1. */
function readArgument(r: CborReader, info: number, at: number): number {
  const b = r.buf;
  if (info < 24) return info;
  if (info === 24) {
    need(r, 1, "head", at);
    r.pos += 1;
    return get(b, r.pos - 1);
  }
  if (info === 25) {
    need(r, 2, "head", at);
    r.pos += 2;
    return get(b, r.pos - 2) * 256 + get(b, r.pos - 1);
  }
  if (info === 26) {
    need(r, 4, "head", at);
    r.pos += 4;
    return readWord(b, r.pos - 4);
  }
  if (info === 27) {
    need(r, 8, "head", at);
    const high = readWord(b, r.pos);
    if (high > MAX_SAFE_HIGH_WORD) fail("cbor", "integer beyond 2^53-1 at offset " + at);
    r.pos += 8;
    return high * TWO_POW_32 + readWord(b, r.pos - 4);
  }
  if (info === 31) return fail("cbor", "indefinite length is not supported at offset " + at);
  return fail("cbor", "reserved additional information " + info + " at offset " + at);
}

function readWord(b: Bytes, at: number): number {
  return get(b, at) * 16777216 + get(b, at + 1) * 65536 + get(b, at + 2) * 256 + get(b, at + 3);
}

/** Reads the head of the next item, which must have major type `major`; returns its argument. */
export function rHead(r: CborReader, major: number): number {
  const at = r.pos;
  need(r, 1, MAJOR_NAMES[major], at);
  const first = get(r.buf, at);
  const found = first >>> 5;
  const info = first & 31;
  if (found !== major) {
    if (found >= MAJOR_TAG && (found !== MAJOR_SIMPLE || info < SIMPLE_FALSE || info > SIMPLE_TRUE)) unsupported(r, at, found, info);
    fail("cbor", "expected " + MAJOR_NAMES[major] + ", found " + MAJOR_NAMES[found] + " at offset " + at);
  }
  r.pos += 1;
  return readArgument(r, info, at);
}

export function rUint(r: CborReader): number {
  return rHead(r, MAJOR_UINT);
}

/** Reads an unsigned or negative integer; −2^53 is out of range. */
export function rInt(r: CborReader): number {
  const major = rPeekMajor(r);
  if (major !== MAJOR_NEGINT) return rHead(r, MAJOR_UINT);
  const at = r.pos;
  const v = rHead(r, MAJOR_NEGINT);
  if (v === MAX_SAFE_INT) fail("cbor", "integer beyond -(2^53-1) at offset " + at);
  return -1 - v;
}

export function rBool(r: CborReader): boolean {
  const at = r.pos;
  need(r, 1, "boolean", at);
  const first = get(r.buf, at);
  if (first === MAJOR_SIMPLE * 32 + SIMPLE_TRUE || first === MAJOR_SIMPLE * 32 + SIMPLE_FALSE) {
    r.pos += 1;
    return first === MAJOR_SIMPLE * 32 + SIMPLE_TRUE;
  }
  if (first >>> 5 >= MAJOR_TAG) unsupported(r, at, first >>> 5, first & 31);
  return fail("cbor", "expected boolean, found " + MAJOR_NAMES[first >>> 5] + " at offset " + at);
}

/** Reads a string head of `major` and checks its payload fits; returns the payload length. */
function stringLength(r: CborReader, major: number): number {
  const at = r.pos;
  const n = rHead(r, major);
  if (n > r.end - r.pos) fail("cbor", "truncated " + MAJOR_NAMES[major] + " at offset " + at);
  return n;
}

/** Reads a text string (strict UTF-8). */
export function rText(r: CborReader): string {
  const at = r.pos;
  const n = stringLength(r, MAJOR_TEXT);
  const b = r.buf;
  const start = r.pos;
  r.pos += n;
  if (n > SHORT_TEXT_BYTES) return toText(b, start, n, "cbor text at offset " + at);
  let s = "";
  for (let i = 0; i < n; i++) {
    const c = get(b, start + i);
    if (c >= 0x80) return toText(b, start, n, "cbor text at offset " + at);
    s += String.fromCharCode(c);
  }
  return s;
}

/** Reads a byte string into a new buffer. */
export function rBytes(r: CborReader): Bytes {
  const n = stringLength(r, MAJOR_BYTES);
  r.pos += n;
  return slice(r.buf, r.pos - n, n);
}

/** Reads an array head; returns its item count (at most the bytes left, one byte per item). */
export function rArray(r: CborReader): number {
  const at = r.pos;
  const n = rHead(r, MAJOR_ARRAY);
  if (n > r.end - r.pos) fail("cbor", "truncated array of " + n + " items at offset " + at);
  return n;
}

/** Reads a map head; returns its pair count (at most half the bytes left). */
export function rMap(r: CborReader): number {
  const at = r.pos;
  const n = rHead(r, MAJOR_MAP);
  if (n * 2 > r.end - r.pos) fail("cbor", "truncated map of " + n + " pairs at offset " + at);
  return n;
}

/** Major type (0..7) of the next item, without consuming it. */
export function rPeekMajor(r: CborReader): number {
  if (r.pos >= r.end) fail("cbor", "truncated: item expected at offset " + r.pos);
  return get(r.buf, r.pos) >>> 5;
}

/** True when the reader has consumed its whole range. */
export function rDone(r: CborReader): boolean {
  return r.pos >= r.end;
}

/** Skips one item of the subset (nested items included); text is not UTF-8-checked. */
export function rSkip(r: CborReader): void {
  let pending = 1;
  while (pending > 0) {
    pending -= 1;
    const major = rPeekMajor(r);
    if (major === MAJOR_UINT || major === MAJOR_NEGINT) rInt(r);
    else if (major === MAJOR_BYTES || major === MAJOR_TEXT) {
      const n = stringLength(r, major);
      r.pos += n;
    }
    else if (major === MAJOR_ARRAY) pending += rArray(r);
    else if (major === MAJOR_MAP) pending += rMap(r) * 2;
    else rBool(r);
  }
}
