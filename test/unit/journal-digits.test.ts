// Packed digit strings in journal payloads (src/journal/digits.ts): what is packed, what stays
// text, exact round trips, and a clear error for a nibble that is not a digit.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { alloc, set, toHex } from "../../src/bytes/index";
import { cborReader, cborWriter } from "../../src/codec/cbor";
import { MAX_PACKED_CHARS, digitsHash, rDigits, rDigitsHash, wDigits } from "../../src/journal/digits";
import { errorText } from "../../src/errors";

function written(s: string): string {
  const b = alloc(64);
  const w = cborWriter(b, 0, 64);
  wDigits(w, s);
  return toHex(b).substring(0, 2 * w.pos).toLowerCase();
}

function roundTrip(s: string): string {
  const b = alloc(64);
  const w = cborWriter(b, 0, 64);
  wDigits(w, s);
  const r = cborReader(b, 0, w.pos);
  const out = rDigits(r);
  assert.is(r.pos, w.pos, `${s}: whole item read`);
  return out;
}

test("digit strings are packed two per byte, '*' as A, odd lengths padded with F", () => {
  assert.is(written("156"), "42156f");
  assert.is(written("622202*********0128"), "4a622202aaaaaaaaa0128f");
  assert.is(written("1126120000"), "451126120000");
  assert.is(written("00"), "4100");
});

test("other strings stay CBOR text: empty, one character, letters, longer than the packed limit", () => {
  assert.is(written(""), "60");
  assert.is(written("7"), "6137");
  assert.is(written("A12345"), "66413132333435");
  assert.is(written("1".repeat(MAX_PACKED_CHARS + 1)).substring(0, 4), "7821");
});

test("every string reads back exactly", () => {
  for (const s of ["", "0", "00", "156", "622202*********0128", "331100004021", "A0", "98", "*", "**", "1".repeat(MAX_PACKED_CHARS), "1".repeat(MAX_PACKED_CHARS + 1), "12 34", "é1"]) {
    assert.is(roundTrip(s), s);
  }
});

test("a packed nibble that is no digit is a clear journal error", () => {
  const b = alloc(4);
  set(b, 0, 0x42); set(b, 1, 0x1b); set(b, 2, 0x3f);
  let err = "";
  try { rDigits(cborReader(b, 0, 3)); } catch (e) { err = errorText(e); }
  assert.match(err, /journal: packed digits at offset 0: nibble 11 is not a digit/);
  set(b, 1, 0xf1);
  err = "";
  try { rDigits(cborReader(b, 0, 3)); } catch (e) { err = errorText(e); }
  assert.match(err, /nibble 15 is not a digit/, "padding only at the very end");
});

test("the RRN hash read from a payload (recovery) is the hash of the string written, packed or text", () => {
  for (const s of ["", "7", "156", "202612030001", "20261203000", "622202*********0128", "ABC123", "12 34"]) {
    const b = alloc(64);
    const w = cborWriter(b, 0, 64);
    wDigits(w, s);
    const r = cborReader(b, 0, w.pos);
    assert.is(rDigitsHash(r), digitsHash(s), JSON.stringify(s));
    assert.is(r.pos, w.pos, `${s}: whole item read`);
  }
});

test.run();
