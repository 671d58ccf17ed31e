import { test } from "uvu";
import * as assert from "uvu/assert";
import { alloc, fromHex, len, set, slice, toHex } from "../../src/bytes/index";
import * as c from "../../src/codec/cbor";
import * as fc from "fast-check";
import { Encoder } from "cbor-x";
import { sampleSale } from "../../cli/bench/cbor";
import { TXN_FIELDS, readTxn, writeRev, writeTxn, writeTxnDelta } from "../../src/journal/payload";
import { Bytes, fromList } from "../../src/bytes/index";
import { isPosrtError } from "../../src/errors";
import { CborValue, K_ARRAY, K_BOOL, K_BYTES, K_INT, K_MAP, K_TEXT, decodeCbor, encodeCbor } from "../../src/codec/cbor-value";

function reader(hex: string): c.CborReader {
  const b = fromHex(hex);
  return c.cborReader(b, 0, len(b));
}

test("streaming writer emits shortest heads and reader reads them back", () => {
  const buf = alloc(64);
  const w = c.cborWriter(buf, 4, 64);
  c.wMap(w, 3);
  c.wText(w, "a");
  c.wInt(w, -9007199254740991);
  c.wText(w, "ü€");
  c.wBytes(w, fromHex("00010203"), 1, 2);
  c.wUint(w, 4294967296);
  c.wArray(w, 2);
  c.wBool(w, true);
  c.wBool(w, false);
  assert.is(toHex(buf, 4, w.pos - 4), "A361613B001FFFFFFFFFFFFE65C3BCE282AC4201021B000000010000000082F5F4");
  const r = c.cborReader(buf, 4, w.pos);
  assert.is(c.rMap(r), 3);
  assert.is(c.rText(r), "a");
  assert.is(c.rInt(r), -9007199254740991);
  assert.is(c.rText(r), "ü€");
  assert.is(toHex(c.rBytes(r)), "0102");
  assert.is(c.rPeekMajor(r), c.MAJOR_UINT);
  assert.is(c.rUint(r), 4294967296);
  assert.is(c.rArray(r), 2);
  assert.is(c.rBool(r), true);
  assert.is(c.rBool(r), false);
  assert.ok(c.rDone(r));
  const s = c.cborReader(buf, 4, w.pos);
  c.rSkip(s);
  assert.is(s.pos, w.pos);
});

test("every head width at its boundaries", () => {
  const cases: [number, string][] = [
    [23, "17"], [24, "1818"], [255, "18FF"], [256, "190100"], [65535, "19FFFF"], [65536, "1A00010000"],
    [4294967295, "1AFFFFFFFF"], [4294967296, "1B0000000100000000"], [9007199254740991, "1B001FFFFFFFFFFFFF"],
  ];
  for (const [n, hex] of cases) {
    const buf = alloc(9);
    const w = c.cborWriter(buf, 0, 9);
    c.wUint(w, n);
    assert.is(toHex(buf, 0, w.pos), hex);
    assert.is(c.rUint(reader(hex)), n);
  }
});

test("writer overflow and bad integers are clear errors", () => {
  assert.throws(() => c.wUint(c.cborWriter(alloc(2), 0, 2), 1000), /cbor: buffer full/);
  assert.throws(() => c.wText(c.cborWriter(alloc(8), 0, 3), "abcd"), /cbor: buffer full/);
  assert.throws(() => c.wInt(c.cborWriter(alloc(9), 0, 9), 9007199254740992), /within/);
  assert.throws(() => c.wInt(c.cborWriter(alloc(9), 0, 9), 1.5), /within/);
  assert.throws(() => c.wUint(c.cborWriter(alloc(9), 0, 9), -1), /negative/);
});

test("reader errors name what and the offset", () => {
  const bad: [string, RegExp][] = [
    ["1B0020000000000000", /beyond 2\^53-1 at offset 0/],
    ["3B001FFFFFFFFFFFFF", /beyond -\(2\^53-1\) at offset 0/],
    ["1BFFFFFFFFFFFFFFFF", /beyond 2\^53-1/],
    ["F97C00", /floats/], ["C100", /tags/], ["F6", /null/], ["F7", /undefined/], ["F0", /simple/],
    ["5F41FF", /indefinite/], ["1A0000", /truncated head at offset 0/], ["1C", /reserved/],
    ["8201", /truncated array/], ["A201", /truncated map/], ["43AABB", /truncated byte string/],
    ["", /truncated/],
  ];
  for (const [hex, re] of bad) assert.throws(() => c.rSkip(reader(hex)), re, hex);
  assert.throws(() => c.rText(reader("62C328")), /cbor text at offset 0: invalid UTF-8/);
  assert.throws(() => c.rText(reader("01")), /expected text string, found unsigned integer at offset 0/);
  assert.throws(() => c.rBool(reader("01")), /expected boolean/);
});


// cbor-x configured to stay inside the subset: no records, no tag 64 on Uint8Array, no tag 259
// on Map, shortest map heads, maps decoded as Map. Integers beyond 32 bits go in as BigInt
// (as plain numbers cbor-x would write floats) and come back as BigInt.
// useTag259ForMaps is read by cbor-x but missing from its typings.
const CBOR_X_OPTIONS = { mapsAsObjects: false, useRecords: false, tagUint8Array: false, variableMapSize: true, useTag259ForMaps: false, pack: false };
const cborX = new Encoder(CBOR_X_OPTIONS as ConstructorParameters<typeof Encoder>[0]);
const RUNS = 2000;

const valueArb: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.maxSafeInteger().map((n): CborValue => ({ k: K_INT, n })),
    fc.boolean().map((b): CborValue => ({ k: K_BOOL, b })),
    fc.string({ unit: "binary", maxLength: 40 }).map((s): CborValue => ({ k: K_TEXT, s })),
    fc.uint8Array({ maxLength: 40 }).map((u): CborValue => ({ k: K_BYTES, bytes: fromList(Array.from(u)) })),
    fc.array(tie("v"), { maxLength: 5 }).map((items): CborValue => ({ k: K_ARRAY, items })),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -300, max: 70000 })), tie("v")), {
        maxLength: 5,
        selector: (p) => (typeof p[0] === "string" ? "s" : "n") + String(p[0]),
      })
      .map((pairs): CborValue => ({
        k: K_MAP,
        keys: pairs.map((p) => (typeof p[0] === "string" ? { k: K_TEXT, s: p[0] } : { k: K_INT, n: p[0] })),
        vals: pairs.map((p) => p[1]),
      })),
  ),
})).v;

function toJs(v: CborValue): unknown {
  if (v.k === K_INT) return (v.n as number) > 4294967295 || (v.n as number) < -4294967296 ? BigInt(v.n as number) : v.n;
  if (v.k === K_BOOL) return v.b;
  if (v.k === K_TEXT) return v.s;
  if (v.k === K_BYTES) return new Uint8Array(hexBytes(v.bytes as Bytes));
  if (v.k === K_ARRAY) return (v.items as CborValue[]).map(toJs);
  const m = new Map<unknown, unknown>();
  (v.keys as CborValue[]).forEach((k, i) => m.set(toJs(k), toJs((v.vals as CborValue[])[i])));
  return m;
}

function hexBytes(b: Bytes): number[] {
  return Array.from(Buffer.from(toHex(b), "hex"));
}

/** A cbor-x decoded value as a CborValue (anything outside the subset is a test failure). */
function fromJs(x: unknown): CborValue {
  if (typeof x === "bigint") return { k: K_INT, n: Number(x) };
  if (typeof x === "number") {
    assert.ok(Number.isSafeInteger(x), `cbor-x gave non-integer ${x}`);
    return { k: K_INT, n: x };
  }
  if (typeof x === "boolean") return { k: K_BOOL, b: x };
  if (typeof x === "string") return { k: K_TEXT, s: x };
  if (x instanceof Uint8Array) return { k: K_BYTES, bytes: fromList(Array.from(x)) };
  if (Array.isArray(x)) return { k: K_ARRAY, items: x.map(fromJs) };
  assert.ok(x instanceof Map, `cbor-x gave ${String(x)}`);
  const m = x as Map<unknown, unknown>;
  return { k: K_MAP, keys: [...m.keys()].map(fromJs), vals: [...m.values()].map(fromJs) };
}

/** Structural equality; map pairs may come in any order. */
function same(a: CborValue, b: CborValue): boolean {
  if (a.k !== b.k) return false;
  if (a.k === K_INT) return a.n === b.n;
  if (a.k === K_BOOL) return a.b === b.b;
  if (a.k === K_TEXT) return a.s === b.s;
  if (a.k === K_BYTES) return toHex(a.bytes as Bytes) === toHex(b.bytes as Bytes);
  if (a.k === K_ARRAY) {
    const x = a.items as CborValue[];
    const y = b.items as CborValue[];
    return x.length === y.length && x.every((v, i) => same(v, y[i]));
  }
  const ak = a.keys as CborValue[];
  const bk = b.keys as CborValue[];
  if (ak.length !== bk.length) return false;
  return ak.every((k, i) => {
    const j = bk.findIndex((kb) => same(k, kb));
    return j >= 0 && same((a.vals as CborValue[])[i], (b.vals as CborValue[])[j]);
  });
}

/** True when no map in `v` has two or more pairs (then cbor-x's key order cannot differ from ours). */
function orderFree(v: CborValue): boolean {
  if (v.k === K_ARRAY) return (v.items as CborValue[]).every(orderFree);
  if (v.k === K_MAP) return (v.keys as CborValue[]).length < 2 && (v.vals as CborValue[]).every(orderFree) && (v.keys as CborValue[]).every(orderFree);
  return true;
}

function bytesOf(u: Uint8Array): Bytes {
  return fromList(Array.from(u));
}

test("cbor-x encode → our decode gives the same value (and the same bytes where order cannot differ)", () => {
  let byteCompared = 0;
  fc.assert(
    fc.property(valueArb, (v) => {
      const theirs = bytesOf(cborX.encode(toJs(v)));
      const decoded = decodeCbor(theirs, 0, len(theirs));
      assert.ok(same(decoded, v), "value differs");
      if (orderFree(v)) {
        byteCompared++;
        assert.is(toHex(encodeCbor(v)), toHex(theirs));
      }
    }),
    { numRuns: RUNS, seed: 8949 },
  );
  assert.ok(byteCompared > RUNS / 4, `only ${byteCompared} byte comparisons`);
});

test("our encode → cbor-x decode gives the same value; our encode is a fixed point", () => {
  fc.assert(
    fc.property(valueArb, (v) => {
      const ours = encodeCbor(v);
      assert.ok(same(fromJs(cborX.decode(Buffer.from(toHex(ours), "hex"))), v), "cbor-x read a different value");
      const again = decodeCbor(ours, 0, len(ours));
      assert.ok(same(again, v));
      assert.is(toHex(encodeCbor(again)), toHex(ours));
    }),
    { numRuns: RUNS, seed: 7049 },
  );
});

function decodesOrFailsClearly(b: Bytes): void {
  try {
    const v = decodeCbor(b, 0, len(b));
    const again = encodeCbor(v);
    assert.ok(same(decodeCbor(again, 0, len(again)), v), "round trip of an accepted input");
  } catch (e) {
    if (!isPosrtError(e)) throw e;
  }
}

test("random bytes decode to a value or a clear error, never a crash", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (u) => decodesOrFailsClearly(bytesOf(u))), { numRuns: 5000, seed: 1 });
});

test("mutated and truncated valid encodings decode or fail clearly", () => {
  fc.assert(
    fc.property(valueArb, fc.nat(), fc.nat(255), fc.nat(), (v, at, byte, cut) => {
      const hex = toHex(encodeCbor(v));
      const b = fromHex(hex);
      const n = len(b);
      const m = fromHex(hex);
      set(m, at % n, byte);
      decodesOrFailsClearly(m);
      decodesOrFailsClearly(slice(b, 0, cut % n));
    }),
    { numRuns: 3000, seed: 2 },
  );
});

test("the bench times the journal's own records: cbor-x reads what writeTxn/writeRev wrote, field for field", () => {
  const sale = sampleSale();
  const buf = alloc(1024);
  const dec = new Encoder({ useRecords: false, tagUint8Array: false });
  const n = writeTxn(buf, 0, 1024, sale.pending);
  const t = dec.decode(Buffer.from(toHex(slice(buf, 0, n)), "hex")) as unknown[];
  assert.is(t.length, TXN_FIELDS);
  assert.equal([t[0], t[1], t[4]], [sale.pending.batch, sale.pending.stan, sale.pending.amount_minor]);
  // digit strings are packed nibbles on flash ('*' as A, odd length padded with F): cbor-x sees a byte string
  const masked = sale.pending.panMasked;
  assert.is(Buffer.from(t[6] as Uint8Array).toString("hex"), masked.replace(/\*/g, "a") + (masked.length % 2 === 1 ? "f" : ""));
  assert.is(readTxn(buf, 0, n).panMasked, masked);
  const r = writeRev(buf, 0, 1024, sale.rev);
  const v = dec.decode(Buffer.from(toHex(slice(buf, 0, r)), "hex")) as unknown[];
  assert.is((v[6] as Uint8Array).length, len(sale.rev.request));
  const d = writeTxnDelta(buf, 0, 1024, sale.approved, sale.rev.id);
  const dv = dec.decode(Buffer.from(toHex(slice(buf, 0, d)), "hex")) as unknown[];
  assert.is(dv.length, 9, "the reply's delta also disarms the reversal");
  assert.equal([dv[0], dv[1], dv[2], dv[8]], [sale.approved.batch, sale.approved.stan, sale.approved.state, sale.rev.id]);
});

test.run();
