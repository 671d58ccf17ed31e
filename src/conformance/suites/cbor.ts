// Suites cbor.decode (hex → JSON), cbor.encode (JSON → hex, deterministic) and cbor.skip
// (hex → bytes the streaming rSkip consumes for the first item).
// JSON form of a CBOR value:
//   integer ↔ number, true/false ↔ boolean, text ↔ string, array ↔ array,
//   byte string ↔ {"$bytes":"<HEX>"},
//   map whose keys are all text not starting with "$" ↔ object,
//   any other map ↔ {"$map":[[key,value],…]} (decode lists pairs in input order;
//   encode accepts any order and sorts them).
// Decode accepts valid but non-deterministic input (e.g. non-shortest heads, unsorted keys);
// encode always emits the deterministic form. Duplicate map keys are an error both ways.
import { Suite } from "../suite";
import { J_ARR, J_BOOL, J_NUM, J_OBJ, J_STR, JVal } from "../json";
import { Bytes, fromHex, len, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { cborReader, rSkip } from "../../codec/cbor";
import { CborValue, K_ARRAY, K_BOOL, K_BYTES, K_INT, K_MAP, K_TEXT, decodeCbor, encodeCbor } from "../../codec/cbor-value";

const BYTES_KEY = "$bytes";
const MAP_KEY = "$map";

function isPlainKey(k: CborValue): boolean {
  return k.k === K_TEXT && (k.s as string).charAt(0) !== "$";
}

/** The JSON (plain) form of a decoded value. */
export function cborToPlain(v: CborValue): unknown {
  if (v.k === K_INT) return v.n;
  if (v.k === K_BOOL) return v.b;
  if (v.k === K_TEXT) return v.s;
  if (v.k === K_BYTES) {
    const o: { [key: string]: unknown } = {};
    o[BYTES_KEY] = toHex(v.bytes as Bytes);
    return o;
  }
  if (v.k === K_ARRAY) {
    const items = v.items as CborValue[];
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) out.push(cborToPlain(items[i]));
    return out;
  }
  return mapToPlain(v.keys as CborValue[], v.vals as CborValue[]);
}

function mapToPlain(keys: CborValue[], vals: CborValue[]): unknown {
  let plain = true;
  for (let i = 0; i < keys.length; i++) if (!isPlainKey(keys[i])) plain = false;
  const o: { [key: string]: unknown } = {};
  if (plain) {
    for (let i = 0; i < keys.length; i++) o[keys[i].s as string] = cborToPlain(vals[i]);
    return o;
  }
  const pairs: unknown[] = [];
  for (let i = 0; i < keys.length; i++) pairs.push([cborToPlain(keys[i]), cborToPlain(vals[i])]);
  o[MAP_KEY] = pairs;
  return o;
}

/** The value a JSON (shaped) form stands for; unknown "$" forms are an error. */
export function jsonToCbor(j: JVal): CborValue {
  if (j.k === J_NUM) return { k: K_INT, n: j.n };
  if (j.k === J_BOOL) return { k: K_BOOL, b: j.b };
  if (j.k === J_STR) return { k: K_TEXT, s: j.s };
  const items = j.items as JVal[];
  if (j.k === J_ARR) {
    const out: CborValue[] = [];
    for (let i = 0; i < items.length; i++) out.push(jsonToCbor(items[i]));
    return { k: K_ARRAY, items: out };
  }
  const names = j.keys as string[];
  if (names.length === 1 && names[0] === BYTES_KEY && items[0].k === J_STR) return { k: K_BYTES, bytes: fromHex(items[0].s as string) };
  if (names.length === 1 && names[0] === MAP_KEY && items[0].k === J_ARR) return pairsToMap(items[0].items as JVal[]);
  const keys: CborValue[] = [];
  const vals: CborValue[] = [];
  for (let i = 0; i < names.length; i++) {
    if (names[i].charAt(0) === "$") fail("cbor json", "unknown form \"" + names[i] + "\" (use $bytes or $map)");
    keys.push({ k: K_TEXT, s: names[i] });
    vals.push(jsonToCbor(items[i]));
  }
  return { k: K_MAP, keys: keys, vals: vals };
}

function pairsToMap(pairs: JVal[]): CborValue {
  const keys: CborValue[] = [];
  const vals: CborValue[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i];
    if (p.k !== J_ARR || (p.items as JVal[]).length !== 2) fail("cbor json", "$map entry " + i + " must be [key, value]");
    keys.push(jsonToCbor((p.items as JVal[])[0]));
    vals.push(jsonToCbor((p.items as JVal[])[1]));
  }
  return { k: K_MAP, keys: keys, vals: vals };
}

function hexInput(input: unknown): string {
  if (typeof input !== "string") fail("vectors", "input must be a hex string");
  return input as string;
}

export const CBOR_SUITES: Suite[] = [
  {
    name: "cbor.decode",
    run: (input: unknown) => {
      const b = fromHex(hexInput(input));
      return cborToPlain(decodeCbor(b, 0, len(b)));
    },
  },
  {
    // cbor.skip: hex → how many bytes rSkip consumes for the first item (trailing bytes allowed).
    name: "cbor.skip",
    run: (input: unknown) => {
      const b = fromHex(hexInput(input));
      const r = cborReader(b, 0, len(b));
      rSkip(r);
      return r.pos;
    },
  },
  { name: "cbor.encode", shaped: true, run: (input: unknown) => toHex(encodeCbor(jsonToCbor(input as JVal))) },
];
