import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { Bytes, fromHex, fromList, len, set, slice, toHex } from "../../src/bytes/index";
import { isPosrtError } from "../../src/errors";
import { TlvNode, TLV_MAX_DEPTH, TLV_MAX_NODES, decodeTlv, encodeTlv, findTlv } from "../../src/codec/tlv";

const FIELD_55 = "9F2608C1D2E3F4A5B6C7D89F2701809F100807010103A0A802019F37049A3B5C7D9F3602001F950500800480009A032611269C01009F02060000000012505F2A0201568202" +
  "7C009F1A0201569F03060000000000009F3303E0F1C89F34034203009F3501229F1E0831323334353637388408A0000003330101019F090200309F410400000074";

function bytes(hex: string): Bytes {
  return fromHex(hex);
}

test("field 55: 20 tags, findTlv by tag in either case, re-encodes to the same bytes", () => {
  const b = bytes(FIELD_55);
  const nodes = decodeTlv(b, 0, len(b));
  assert.is(nodes.length, 20);
  assert.is(toHex(findTlv(nodes, "9f02")?.value as Bytes), "000000001250");
  assert.is(toHex(findTlv(nodes, "5F2A")?.value as Bytes), "0156");
  assert.is(findTlv(nodes, "9F4C"), undefined);
  assert.is(toHex(encodeTlv(nodes)), FIELD_55);
});

test("findTlv searches depth first, in order", () => {
  const b = bytes("6F0E" + "A509" + "BF0C06" + "5A01AA" + "5A01BB" + "5A01CC");
  const nodes = decodeTlv(b, 0, len(b));
  assert.is(toHex(findTlv(nodes, "5A")?.value as Bytes), "AA");
  assert.is(findTlv(nodes, "BF0C")?.children?.length, 2);
});

test("decode of a sub-range, and non-minimal lengths re-encode minimally", () => {
  const b = bytes("FFFF" + "9F02820006000000001250" + "FFFF");
  const nodes = decodeTlv(b, 2, len(b) - 4);
  assert.is(toHex(encodeTlv(nodes)), "9F0206000000001250");
  assert.throws(() => decodeTlv(b, 2, len(b)), /tlv: range/);
});

test("the node bound holds", () => {
  const many = "5A0101".repeat(TLV_MAX_NODES + 1);
  assert.throws(() => decodeTlv(bytes(many), 0, many.length / 2), /more than 1024 data objects/);
});

const PRIMITIVE_TAGS = ["5A", "82", "95", "9A", "9F02", "9F26", "5F2A", "DF8101", "9F7F"];
const TEMPLATE_TAGS = ["70", "77", "A5", "BF0C", "E1"];

const nodeArb: fc.Arbitrary<TlvNode> = fc.letrec<{ n: TlvNode }>((tie) => ({
  n: fc.oneof(
    { depthSize: "small", maxDepth: TLV_MAX_DEPTH },
    fc.tuple(fc.constantFrom(...PRIMITIVE_TAGS), fc.uint8Array({ maxLength: 300 })).map(([tag, v]): TlvNode => ({ tag, value: fromList(Array.from(v)) })),
    fc.tuple(fc.constantFrom(...TEMPLATE_TAGS), fc.array(tie("n"), { maxLength: 4 })).map(([tag, children]): TlvNode => ({ tag, children })),
  ),
})).n;

function same(a: TlvNode[], b: TlvNode[]): boolean {
  return a.length === b.length && a.every((x, i) => x.tag === b[i].tag &&
    (x.value !== undefined ? b[i].value !== undefined && toHex(x.value) === toHex(b[i].value as Bytes) : same(x.children as TlvNode[], b[i].children as TlvNode[])));
}

test("random node trees round-trip through encode and decode", () => {
  fc.assert(
    fc.property(fc.array(nodeArb, { maxLength: 4 }), (nodes) => {
      const b = encodeTlv(nodes);
      assert.ok(same(decodeTlv(b, 0, len(b)), nodes));
    }),
    { numRuns: 2000, seed: 55 },
  );
});

function decodesOrFailsClearly(b: Bytes): void {
  try {
    const nodes = decodeTlv(b, 0, len(b));
    const again = encodeTlv(nodes);
    assert.ok(same(decodeTlv(again, 0, len(again)), nodes), "round trip of an accepted input");
  } catch (e) {
    if (!isPosrtError(e)) throw e;
  }
}

test("random bytes decode or fail clearly, never crash", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (u) => decodesOrFailsClearly(fromList(Array.from(u)))), { numRuns: 5000, seed: 3 });
});

test("mutated and truncated field 55 decodes or fails clearly", () => {
  fc.assert(
    fc.property(fc.nat(), fc.nat(255), fc.nat(), (at, byte, cut) => {
      const m = bytes(FIELD_55);
      set(m, at % len(m), byte);
      decodesOrFailsClearly(m);
      decodesOrFailsClearly(slice(bytes(FIELD_55), 0, cut % len(m)));
    }),
    { numRuns: 3000, seed: 4 },
  );
});

test.run();
