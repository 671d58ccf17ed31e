// CBOR value level: decode a whole item into a tagged value tree, and encode one
// deterministically (RFC 8949 §4.2.1: shortest heads, definite lengths, map keys sorted
// by their encoded bytes). The tree is tagged (`k`) because a Lua table cannot tell a
// map from an array or from a byte buffer.
import { Bytes, alloc, copy, fromText, get, len } from "../bytes/index";
import { fail } from "../errors";
import * as c from "./cbor";

export const K_INT = "int";
export const K_BOOL = "bool";
export const K_TEXT = "text";
export const K_BYTES = "bytes";
export const K_ARRAY = "array";
export const K_MAP = "map";
/** Deepest nesting of arrays/maps accepted on decode and encode. */
export const MAX_CBOR_DEPTH = 32;

/** One CBOR value: `k` names the kind; the matching field holds the data. */
export interface CborValue {
  k: string;
  n?: number;
  b?: boolean;
  s?: string;
  bytes?: Bytes;
  items?: CborValue[];
  keys?: CborValue[];
  vals?: CborValue[];
}

export function cInt(n: number): CborValue {
  return { k: K_INT, n: n };
}

export function cText(s: string): CborValue {
  return { k: K_TEXT, s: s };
}

/** Decodes exactly one item filling `buf[off .. off+n)`; trailing bytes are an error. */
export function decodeCbor(buf: Bytes, off: number, n: number): CborValue {
  const r = c.cborReader(buf, off, off + n);
  const v = readValue(r, 0);
  if (r.pos !== r.end) fail("cbor", "trailing bytes at offset " + r.pos);
  return v;
}

function readValue(r: c.CborReader, depth: number): CborValue {
  const major = c.rPeekMajor(r);
  if (major === c.MAJOR_UINT || major === c.MAJOR_NEGINT) return { k: K_INT, n: c.rInt(r) };
  if (major === c.MAJOR_TEXT) return { k: K_TEXT, s: c.rText(r) };
  if (major === c.MAJOR_BYTES) return { k: K_BYTES, bytes: c.rBytes(r) };
  if (major === c.MAJOR_ARRAY || major === c.MAJOR_MAP) {
    if (depth >= MAX_CBOR_DEPTH) fail("cbor", "nesting deeper than " + MAX_CBOR_DEPTH + " at offset " + r.pos);
    return major === c.MAJOR_ARRAY ? readArray(r, depth) : readMap(r, depth);
  }
  return { k: K_BOOL, b: c.rBool(r) };
}

function readArray(r: c.CborReader, depth: number): CborValue {
  const count = c.rArray(r);
  const items: CborValue[] = [];
  for (let i = 0; i < count; i++) items.push(readValue(r, depth + 1));
  return { k: K_ARRAY, items: items };
}

function readMap(r: c.CborReader, depth: number): CborValue {
  const at = r.pos;
  const count = c.rMap(r);
  const keys: CborValue[] = [];
  const vals: CborValue[] = [];
  for (let i = 0; i < count; i++) {
    keys.push(readValue(r, depth + 1));
    vals.push(readValue(r, depth + 1));
  }
  sortedKeyOrder(keys, "map at offset " + at);
  return { k: K_MAP, keys: keys, vals: vals };
}

/** Bytewise order of two encodings (a shorter prefix sorts first). */
export function compareBytes(a: Bytes, b: Bytes): number {
  const na = len(a);
  const nb = len(b);
  const n = na < nb ? na : nb;
  for (let i = 0; i < n; i++) {
    const d = get(a, i) - get(b, i);
    if (d !== 0) return d;
  }
  return na - nb;
}

interface KeyEntry {
  at: number;
  enc: Bytes;
}

/** Indices of `keys` in deterministic order; a duplicate key (same value) is an error naming `where`. */
function sortedKeyOrder(keys: CborValue[], where: string): KeyEntry[] {
  const entries: KeyEntry[] = [];
  for (let i = 0; i < keys.length; i++) entries.push({ at: i, enc: encodeCbor(keys[i]) });
  entries.sort((x: KeyEntry, y: KeyEntry) => compareBytes(x.enc, y.enc));
  for (let i = 1; i < entries.length; i++) {
    if (compareBytes(entries[i - 1].enc, entries[i].enc) === 0) fail("cbor", "duplicate key in " + where);
  }
  return entries;
}

/** Bytes of the deterministic encoding of `v`. */
export function encodeCbor(v: CborValue): Bytes {
  const out = alloc(encodedSize(v, 0));
  const w = c.cborWriter(out, 0, len(out));
  writeValue(w, v, 0);
  return out;
}

function headSize(n: number): number {
  if (n < 24) return 1;
  if (n < 256) return 2;
  if (n < 65536) return 3;
  return n < 4294967296 ? 5 : 9;
}

function textSize(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return len(fromText(s));
  return s.length;
}

/** Encoded size of `v`, checking its shape and depth on the way. */
function encodedSize(v: CborValue, depth: number): number {
  if (v.k === K_INT) {
    const n = v.n as number;
    return headSize(n >= 0 ? n : -1 - n);
  }
  if (v.k === K_BOOL) return 1;
  if (v.k === K_TEXT) {
    const n = textSize(v.s as string);
    return headSize(n) + n;
  }
  if (v.k === K_BYTES) return headSize(len(v.bytes as Bytes)) + len(v.bytes as Bytes);
  if (depth >= MAX_CBOR_DEPTH) fail("cbor", "nesting deeper than " + MAX_CBOR_DEPTH);
  let total = 0;
  if (v.k === K_ARRAY) {
    const items = v.items as CborValue[];
    for (let i = 0; i < items.length; i++) total += encodedSize(items[i], depth + 1);
    return headSize(items.length) + total;
  }
  if (v.k !== K_MAP) fail("cbor", "unknown value kind \"" + v.k + "\"");
  const keys = v.keys as CborValue[];
  const vals = v.vals as CborValue[];
  if (keys.length !== vals.length) fail("cbor", "map has " + keys.length + " keys but " + vals.length + " values");
  for (let i = 0; i < keys.length; i++) total += encodedSize(keys[i], depth + 1) + encodedSize(vals[i], depth + 1);
  return headSize(keys.length) + total;
}

function writeValue(w: c.CborWriter, v: CborValue, depth: number): void {
  if (v.k === K_INT) c.wInt(w, v.n as number);
  else if (v.k === K_BOOL) c.wBool(w, v.b === true);
  else if (v.k === K_TEXT) c.wText(w, v.s as string);
  else if (v.k === K_BYTES) c.wBytes(w, v.bytes as Bytes, 0, len(v.bytes as Bytes));
  else if (v.k === K_ARRAY) {
    const items = v.items as CborValue[];
    c.wArray(w, items.length);
    for (let i = 0; i < items.length; i++) writeValue(w, items[i], depth + 1);
  } else writeMap(w, v, depth);
}

function writeMap(w: c.CborWriter, v: CborValue, depth: number): void {
  const vals = v.vals as CborValue[];
  const order = sortedKeyOrder(v.keys as CborValue[], "map at depth " + depth);
  c.wMap(w, order.length);
  for (let i = 0; i < order.length; i++) {
    const enc = order[i].enc;
    if (w.pos + len(enc) > w.end) fail("cbor", "buffer full at offset " + w.pos);
    copy(enc, 0, w.buf, w.pos, len(enc));
    w.pos += len(enc);
    writeValue(w, vals[order[i].at], depth + 1);
  }
}
