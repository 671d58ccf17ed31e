import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { Bytes, alloc, copy, fromHex, get, len, set, toHex } from "../../src/bytes/index";
import { isPosrtError } from "../../src/errors";
import { Len, Fmt, FieldDef, MAX_FIELD } from "../../src/iso8583/spec";
import {
  IsoFields, IsoMessage, buildField60, fieldDef, fieldNumbers, macInput, packIso, packWire, parseField60, unpackIso, unpackWire,
} from "../../src/iso8583/index";

const CUP_DEFS: FieldDef[] = [];
for (let no = 2; no <= MAX_FIELD; no++) {
  const d = fieldDef("cup", no);
  if (d !== undefined) CUP_DEFS.push(d);
}
const HEADER = { tpdu: "6000030000", header: "603100000000" };

function chars(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet.split("")), { minLength: min, maxLength: max }).map((a) => a.join(""));
}

const AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ";
let ANS = "";
for (let c = 0x20; c <= 0x7e; c++) ANS += String.fromCharCode(c);

/** ans text with GBK characters mixed in (one character per byte), at most `max` bytes (ansg fields are LL/LLL). */
function gbkText(max: number): fc.Arbitrary<string> {
  const gbkChar = fc.tuple(fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x40, max: 0xfe }).filter((t) => t !== 0x7f))
    .map(([a, b]) => String.fromCharCode(a, b));
  const ascii = chars(ANS, 1, 1);
  return fc.array(fc.oneof(ascii, gbkChar), { maxLength: max }).map((parts) => {
    let s = "";
    for (const p of parts) if (s.length + p.length <= max) s += p;
    return s;
  });
}

/** A valid value for field `d` (canonical: what unpack gives back). */
function valueOf(d: FieldDef): fc.Arbitrary<string> {
  const min = d.lt === Len.Fixed ? d.max : 0;
  const max = Math.min(d.max, 64);
  const fixedMax = d.lt === Len.Fixed ? d.max : max;
  if (d.fmt === Fmt.N) return chars("0123456789", min, fixedMax);
  if (d.fmt === Fmt.Z) return chars("0123456789D", min, fixedMax);
  if (d.fmt === Fmt.AN) return chars(AN, min, fixedMax);
  if (d.fmt === Fmt.ANS) return chars(ANS, min, fixedMax);
  if (d.fmt === Fmt.ANSG) return gbkText(fixedMax);
  return fc.integer({ min, max: fixedMax }).chain((n) => chars("0123456789ABCDEF", 2 * n, 2 * n));
}

const mtiArb = chars("0123456789", 4, 4);
const messageArb: fc.Arbitrary<IsoMessage> = fc
  .tuple(mtiArb, fc.subarray(CUP_DEFS))
  .chain(([mti, defs]) =>
    fc.tuple(...defs.map(valueOf)).map((vals) => {
      const fields: IsoFields = {};
      defs.forEach((d, i) => (fields[String(d.no)] = vals[i]));
      return { mti, fields };
    }),
  );

/** Runs `fn`; anything thrown must be a PosrtError. Returns the value or undefined. */
function valueOrClearError<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!isPosrtError(e)) throw new Error("crash, not a PosrtError: " + String(e));
    return undefined;
  }
}

test("pack -> unpack round trip of random valid messages (bare and wire)", () => {
  fc.assert(
    fc.property(messageArb, (m) => {
      const bare = packIso("cup", m);
      assert.equal(unpackIso("cup", bare, 0, len(bare)), m);
      const wire = unpackWire("cup", packWire("cup", m, HEADER));
      assert.equal(wire.msg, m);
      assert.equal(wire.header, HEADER);
    }),
    { numRuns: 2000 },
  );
});

test("field order in the object never changes the bytes", () => {
  fc.assert(
    fc.property(messageArb, (m) => {
      const reversed: IsoFields = {};
      const nums = fieldNumbers(m);
      for (let i = nums.length - 1; i >= 0; i--) reversed[String(nums[i])] = m.fields[String(nums[i])];
      assert.is(toHex(packIso("cup", { mti: m.mti, fields: reversed })), toHex(packIso("cup", m)));
    }),
    { numRuns: 300 },
  );
});

/** `b` with byte `at` replaced, truncated to `cut` bytes, or with bytes appended. */
function mutate(b: Bytes, kind: number, at: number, v: number): Bytes {
  if (kind === 0) {
    const out = alloc(len(b));
    copy(b, 0, out, 0, len(b));
    set(out, at % len(b), v);
    return out;
  }
  if (kind === 1) {
    const out = alloc(at % len(b));
    copy(b, 0, out, 0, len(out));
    return out;
  }
  const out = alloc(len(b) + 1 + (v % 4));
  copy(b, 0, out, 0, len(b));
  set(out, len(b), v);
  return out;
}

test("mutated and truncated frames give a message or a PosrtError, and what decodes re-packs", () => {
  fc.assert(
    fc.property(messageArb, fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (m, kind, at, v) => {
      const bare = mutate(packIso("cup", m), kind, at, v);
      const got = valueOrClearError(() => unpackIso("cup", bare, 0, len(bare)));
      if (got !== undefined) {
        const again = packIso("cup", got);
        assert.equal(unpackIso("cup", again, 0, len(again)), got);
      }
      const wire = mutate(packWire("cup", m, HEADER), kind, at, v);
      valueOrClearError(() => unpackWire("cup", wire));
    }),
    { numRuns: 3000 },
  );
});

test("random bytes into unpack: a message or a PosrtError", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (raw) => {
      const b = alloc(raw.length);
      for (let i = 0; i < raw.length; i++) set(b, i, raw[i]);
      valueOrClearError(() => unpackIso("cup", b, 0, len(b)));
      valueOrClearError(() => unpackWire("cup", b));
    }),
    { numRuns: 2000 },
  );
});

test("random field values into pack: bytes or a PosrtError", () => {
  const keyArb = fc.oneof(fc.integer({ min: 0, max: 140 }).map(String), fc.string({ maxLength: 4 }));
  fc.assert(
    fc.property(fc.string({ maxLength: 5 }), fc.dictionary(keyArb, fc.string({ maxLength: 40 }), { maxKeys: 6 }), (mti, fields) => {
      valueOrClearError(() => packIso("cup", { mti, fields }));
    }),
    { numRuns: 2000 },
  );
});

test("unpack errors name the field and the offset", () => {
  assert.throws(() => unpackIso("cup", fromHex("02004000000000000000196225"), 0, 13), /field 2: truncated.* at offset 11/);
  assert.throws(() => unpackIso("cup", fromHex("020010000000000000000000000A0000"), 0, 16), /field 4: bad BCD nibble A at offset 13/);
  assert.throws(() => unpackIso("cup", fromHex("02000800000000000000"), 0, 10), /field 5: in the bitmap at offset 2/);
});

test("unpack reads exactly the range given inside a larger buffer", () => {
  const m: IsoMessage = { mti: "0800", fields: { "11": "000001", "41": "20261126" } };
  const bare = packIso("cup", m);
  const big = alloc(len(bare) + 7);
  copy(bare, 0, big, 3, len(bare));
  set(big, 0, 0xff);
  assert.equal(unpackIso("cup", big, 3, len(bare)), m);
  assert.throws(() => unpackIso("cup", big, 3, len(bare) + 1), /trailing/);
  assert.throws(() => unpackIso("cup", big, 3, len(big)), /outside buffer/);
});

test("macInput is the packed message up to field 64, bit 64 set", () => {
  fc.assert(
    fc.property(messageArb, (m) => {
      const withMac: IsoFields = {};
      for (const no of fieldNumbers(m)) withMac[String(no)] = m.fields[String(no)];
      const secondary = fieldNumbers(m).some((no) => no > 64);
      withMac[secondary ? "128" : "64"] = "FFFFFFFFFFFFFFFF";
      const whole = packIso("cup", { mti: m.mti, fields: withMac });
      const input = macInput("cup", m);
      assert.is(toHex(input), toHex(whole, 0, len(whole) - 8));
      const bitByte = get(input, 2 + (secondary ? 15 : 7));
      assert.is(bitByte & 1, 1);
    }),
    { numRuns: 300 },
  );
});

test("field 60 build/parse round trip", () => {
  const f = { typeCode: "22", batch: "000123", netCode: "000", readCap: "5", icCond: "0" };
  assert.is(buildField60(f), "2200012300050");
  assert.equal(parseField60("2200012300050"), f);
  assert.throws(() => parseField60("220001230005000001"), /digits past/);
});

test.run();
