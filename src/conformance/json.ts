// A small JSON reader/writer for conformance vectors, identical on every target.
// Parsed values keep their shape (array vs object) so an empty Lua table can be
// checked against what the vector expects; numbers must be integers.
import { codePointText } from "../bytes/index";
import { fail } from "../errors";

export const J_BOOL = 1;
export const J_NUM = 2;
export const J_STR = 3;
export const J_ARR = 4;
export const J_OBJ = 5;
const MAX_DEPTH = 64;

/** A parsed JSON value with its shape kept. */
export interface JVal {
  k: number;
  b?: boolean;
  n?: number;
  s?: string;
  items?: JVal[];
  keys?: string[];
}

interface Reader {
  s: string;
  i: number;
}

/** Parses `text`; errors name the offset. `null` and non-integers are rejected (the core has neither). */
export function parseJson(text: string): JVal {
  const r: Reader = { s: text, i: 0 };
  const v = readValue(r, 0);
  skipSpace(r);
  if (r.i !== r.s.length) fail("json", "trailing data at offset " + r.i);
  return v;
}

function skipSpace(r: Reader): void {
  while (r.i < r.s.length) {
    const c = r.s.charCodeAt(r.i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
    r.i++;
  }
}

function expectWord(r: Reader, w: string): void {
  if (r.s.substring(r.i, r.i + w.length) !== w) fail("json", "unexpected token at offset " + r.i);
  r.i += w.length;
}

function readValue(r: Reader, depth: number): JVal {
  if (depth > MAX_DEPTH) fail("json", "nesting deeper than " + MAX_DEPTH);
  skipSpace(r);
  if (r.i >= r.s.length) fail("json", "unexpected end");
  const c = r.s.charCodeAt(r.i);
  if (c === 123) return readObject(r, depth);
  if (c === 91) return readArray(r, depth);
  if (c === 34) return { k: J_STR, s: readString(r) };
  if (c === 116) { expectWord(r, "true"); return { k: J_BOOL, b: true }; }
  if (c === 102) { expectWord(r, "false"); return { k: J_BOOL, b: false }; }
  if (c === 45 || (c >= 48 && c <= 57)) return { k: J_NUM, n: readInteger(r) };
  fail("json", "unexpected character at offset " + r.i);
}

function readInteger(r: Reader): number {
  let neg = false;
  if (r.s.charCodeAt(r.i) === 45) { neg = true; r.i++; }
  let n = 0;
  let digits = 0;
  while (r.i < r.s.length) {
    const c = r.s.charCodeAt(r.i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
    r.i++;
  }
  if (digits === 0) fail("json", "bad number at offset " + r.i);
  if (digits > 16) fail("json", "integer too long at offset " + r.i);
  const next = r.i < r.s.length ? r.s.charCodeAt(r.i) : 0;
  if (next === 46 || next === 101 || next === 69) fail("json", "only integers are supported (offset " + r.i + ")");
  return neg ? -n : n;
}

function readHex4(r: Reader): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = r.s.charCodeAt(r.i + k);
    let d = -1;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    if (d < 0) fail("json", "bad \\u escape at offset " + r.i);
    v = v * 16 + d;
  }
  r.i += 4;
  return v;
}

const ESCAPES = "\"\\/bfnrt";
const ESCAPED = ["\"", "\\", "/", "\b", "\f", "\n", "\r", "\t"];

function readEscape(r: Reader): string {
  const c = r.s.charAt(r.i);
  r.i++;
  const idx = ESCAPES.indexOf(c);
  if (idx >= 0) return ESCAPED[idx];
  if (c !== "u") fail("json", "bad escape at offset " + (r.i - 1));
  let cp = readHex4(r);
  if (cp >= 0xd800 && cp < 0xdc00 && r.s.substring(r.i, r.i + 2) === "\\u") {
    r.i += 2;
    const lo = readHex4(r);
    if (lo < 0xdc00 || lo >= 0xe000) fail("json", "unpaired surrogate at offset " + r.i);
    cp = 0x10000 + (cp - 0xd800) * 1024 + (lo - 0xdc00);
  } else if (cp >= 0xd800 && cp < 0xe000) fail("json", "unpaired surrogate at offset " + r.i);
  return codePointText(cp);
}

function readString(r: Reader): string {
  r.i++;
  const parts: string[] = [];
  let start = r.i;
  while (r.i < r.s.length) {
    const c = r.s.charCodeAt(r.i);
    if (c === 34) {
      parts.push(r.s.substring(start, r.i));
      r.i++;
      return parts.join("");
    }
    if (c === 92) {
      parts.push(r.s.substring(start, r.i));
      r.i++;
      parts.push(readEscape(r));
      start = r.i;
    } else {
      if (c < 32) fail("json", "control character in string at offset " + r.i);
      r.i++;
    }
  }
  fail("json", "unterminated string");
}

function readArray(r: Reader, depth: number): JVal {
  r.i++;
  const items: JVal[] = [];
  skipSpace(r);
  if (r.s.charCodeAt(r.i) === 93) { r.i++; return { k: J_ARR, items: items }; }
  while (true) {
    items.push(readValue(r, depth + 1));
    skipSpace(r);
    const c = r.s.charCodeAt(r.i);
    r.i++;
    if (c === 93) return { k: J_ARR, items: items };
    if (c !== 44) fail("json", "expected , or ] at offset " + (r.i - 1));
  }
}

function readObject(r: Reader, depth: number): JVal {
  r.i++;
  const keys: string[] = [];
  const items: JVal[] = [];
  skipSpace(r);
  if (r.s.charCodeAt(r.i) === 125) { r.i++; return { k: J_OBJ, keys: keys, items: items }; }
  while (true) {
    skipSpace(r);
    if (r.s.charCodeAt(r.i) !== 34) fail("json", "expected key at offset " + r.i);
    const key = readString(r);
    skipSpace(r);
    if (r.s.charCodeAt(r.i) !== 58) fail("json", "expected : at offset " + r.i);
    r.i++;
    if (keys.indexOf(key) >= 0) fail("json", "duplicate key \"" + key + "\"");
    keys.push(key);
    items.push(readValue(r, depth + 1));
    skipSpace(r);
    const c = r.s.charCodeAt(r.i);
    r.i++;
    if (c === 125) return { k: J_OBJ, keys: keys, items: items };
    if (c !== 44) fail("json", "expected , or } at offset " + (r.i - 1));
  }
}

/** Member `key` of an object value, or undefined. */
export function member(v: JVal, key: string): JVal | undefined {
  if (v.k !== J_OBJ) return undefined;
  const keys = v.keys as string[];
  const at = keys.indexOf(key);
  return at < 0 ? undefined : (v.items as JVal[])[at];
}

/** Converts to plain values (objects, arrays, strings, numbers, booleans) for suites. */
export function toPlain(v: JVal): unknown {
  if (v.k === J_ARR) {
    const out: unknown[] = [];
    const items = v.items as JVal[];
    for (let i = 0; i < items.length; i++) out.push(toPlain(items[i]));
    return out;
  }
  if (v.k === J_OBJ) {
    const out: { [key: string]: unknown } = {};
    const keys = v.keys as string[];
    const items = v.items as JVal[];
    for (let i = 0; i < keys.length; i++) out[keys[i]] = toPlain(items[i]);
    return out;
  }
  if (v.k === J_STR) return v.s;
  if (v.k === J_NUM) return v.n;
  return v.b;
}

function plainKeys(o: unknown): string[] {
  const keys = Object.keys(o as object);
  keys.sort();
  return keys;
}

/** True when the plain value `a` equals the parsed value `e`, shape included (a float 7.0 is not 7). */
export function matches(a: unknown, e: JVal): boolean {
  if (e.k === J_STR) return typeof a === "string" && a === e.s;
  // Lua: 7.0 == 7, but a float prints as "7.0" where JavaScript prints "7": compare the text too.
  if (e.k === J_NUM) return typeof a === "number" && a === e.n && String(a) === String(e.n);
  if (e.k === J_BOOL) return typeof a === "boolean" && a === e.b;
  if (typeof a !== "object") return false;
  const items = e.items as JVal[];
  if (e.k === J_ARR) {
    const arr = a as unknown[];
    if (plainKeys(a).length !== items.length) return false;
    for (let i = 0; i < items.length; i++) if (!matches(arr[i], items[i])) return false;
    return true;
  }
  const keys = e.keys as string[];
  if (plainKeys(a).length !== keys.length) return false;
  if (keys.length > 0 && Array.isArray(a)) return false;
  const obj = a as { [key: string]: unknown };
  for (let i = 0; i < keys.length; i++) if (!matches(obj[keys[i]], items[i])) return false;
  return true;
}

function quote(s: string): string {
  const parts: string[] = ["\""];
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    const c = s.charCodeAt(i);
    if (ch === "\"" || ch === "\\") parts.push("\\" + ch);
    else if (c < 32) parts.push(c === 10 ? "\\n" : c === 9 ? "\\t" : c === 13 ? "\\r" : "\\u00" + (c < 16 ? "0" : "") + "0123456789abcdef".charAt(c >>> 4) + "0123456789abcdef".charAt(c & 15));
    else parts.push(ch);
  }
  parts.push("\"");
  return parts.join("");
}

/** Serializes a plain value with sorted keys (so output is identical on every target). */
export function stringify(a: unknown): string {
  if (a === undefined) return "undefined";
  if (typeof a === "string") return quote(a);
  if (typeof a === "number" || typeof a === "boolean") return String(a);
  if (typeof a !== "object") return "<" + typeof a + ">";
  const keys = plainKeys(a);
  const parts: string[] = [];
  if (Array.isArray(a)) {
    const arr = a as unknown[];
    for (let i = 0; i < arr.length; i++) parts.push(stringify(arr[i]));
    return "[" + parts.join(",") + "]";
  }
  const obj = a as { [key: string]: unknown };
  for (let i = 0; i < keys.length; i++) parts.push(quote(keys[i]) + ":" + stringify(obj[keys[i]]));
  return "{" + parts.join(",") + "}";
}
