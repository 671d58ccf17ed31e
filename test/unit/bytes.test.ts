import { test } from "uvu";
import * as assert from "uvu/assert";
import * as typed from "../../src/bytes/native-typed";
import * as packed from "../../src/bytes/native-packed";
import { bcdDecode, crc32, fromHex, fromText, len, toHex, toText } from "../../src/bytes/index";

test("typed and packed representations agree byte for byte", () => {
  for (const impl of [typed, packed]) {
    const b = impl.alloc(37);
    for (let i = 0; i < 37; i++) impl.set(b, i, (i * 71 + 13) & 0xff);
    for (let i = 0; i < 37; i++) assert.is(impl.get(b, i), (i * 71 + 13) & 0xff, `${impl.IMPL} byte ${i}`);
    impl.copy(b, 0, b, 5, 20);
    assert.is(impl.get(b, 5), 13);
    assert.is(impl.get(b, 24), (19 * 71 + 13) & 0xff);
  }
});

test("packed costs less than a third of a table of numbers", () => {
  assert.ok(packed.ramBytes(4096) < 4096 * 16 / 3);
});

test("crc32 check value and chaining", () => {
  const b = fromText("123456789");
  assert.is(crc32(b), 0xcbf43926);
  assert.is(crc32(b, 4, 5, crc32(b, 0, 4)), 0xcbf43926);
});

test("utf-8 round trip and rejection of overlongs", () => {
  const s = "Zahlung €5 — 支付 𝄞";
  assert.is(toText(fromText(s), 0, len(fromText(s)), "t"), s);
  assert.throws(() => toText(fromHex("C0AF"), 0, 2, "t"), /invalid UTF-8/);
  assert.throws(() => toText(fromHex("E282"), 0, 2, "t"), /truncated/);
});

test("bcd decode odd lengths both alignments", () => {
  assert.is(bcdDecode(fromHex("0123"), 0, 3, "right", "f"), "123");
  assert.is(bcdDecode(fromHex("1230"), 0, 3, "left", "f"), "123");
  assert.throws(() => bcdDecode(fromHex("1A"), 0, 2, "left", "f2"), /f2: non-decimal/);
  assert.is(toHex(fromHex("abCD")), "ABCD");
});

test.run();
