import { test } from "uvu";
import * as assert from "uvu/assert";
import { alloc, fromHex, len, toHex } from "../../src/bytes/index";
import * as c from "../../src/codec/cbor";

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

test.run();
