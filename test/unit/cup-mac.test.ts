// The UnionPay ECB MAC against an independent implementation (Node's OpenSSL DES, in
// scripts/vectors/gen_cup_mac.js) on pseudo-random keys and data, and its field-64 form.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "path";
import { fromHex, toHex } from "../../src/bytes/index";
import { macCupEcb, macCupEcbText, tdesKey } from "../../src/crypto/index";

const ROOT = path.resolve(__dirname, "../../../..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ref = require(path.join(ROOT, "scripts", "vectors", "gen_cup_mac.js")) as { cupEcb: (k: string, d: string) => string };

/** A small LCG, so the cases are the same on every run. */
function bytesHex(seed: { s: number }, n: number): string {
  let h = "";
  for (let i = 0; i < n; i++) {
    seed.s = (Math.imul(seed.s, 1103515245) + 12345) >>> 0;
    h += ((seed.s >>> 16) & 255).toString(16).padStart(2, "0");
  }
  return h.toUpperCase();
}

test("macCupEcbText agrees with Node's OpenSSL DES on 60 pseudo-random keys and data lengths 0..59", () => {
  const seed = { s: 7 };
  for (let n = 0; n < 60; n++) {
    const key = bytesHex(seed, n % 3 === 0 ? 16 : 8);
    const data = bytesHex(seed, n);
    assert.is(macCupEcbText(tdesKey(fromHex(key)), fromHex(data)), ref.cupEcb(key, data), `key ${key} data ${data}`);
  }
});

test("field 64 carries the 8 MAC characters as ASCII bytes", () => {
  const mac = macCupEcb(tdesKey(fromHex("2222222222222222")), fromHex("1234567890ABCDEFABCDEF1234567890"));
  assert.is(toHex(mac), "4532363742364532"); // "E267B6E2"
});

test.run();
