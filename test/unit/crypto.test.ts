import { test } from "uvu";
import * as assert from "uvu/assert";
import * as nodeCrypto from "crypto";
import { fromHex, toHex, fromText } from "../../src/bytes/index";
import { cbcDecrypt, cbcEncrypt, ecb, macX919, tdesKey, kcv } from "../../src/crypto/index";
import { isPosrtError } from "../../src/errors";

// Deterministic byte source (LCG) so failures replay.
function rng(seed: number): (n: number) => Buffer {
  let s = seed >>> 0;
  return (n: number) => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      b[i] = s >>> 24;
    }
    return b;
  };
}

function openssl(key: Buffer, mode: "ecb" | "cbc", iv: Buffer | null, data: Buffer, decrypt: boolean): string {
  const full = key.length === 8 ? Buffer.concat([key, key, key]) : key;
  const name = (key.length === 16 ? "des-ede-" : "des-ede3-") + mode;
  const c = decrypt ? nodeCrypto.createDecipheriv(name, full, iv) : nodeCrypto.createCipheriv(name, full, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]).toString("hex").toUpperCase();
}

const hexOf = (b: Buffer) => b.toString("hex");

test("DES, 2-key and 3-key 3DES agree with OpenSSL in ECB and CBC, both directions (600 random cases)", () => {
  const bytes = rng(42);
  for (let i = 0; i < 600; i++) {
    const key = bytes([8, 16, 24][i % 3]);
    const data = bytes(8 * (1 + (i % 4)));
    const iv = bytes(8);
    const k = tdesKey(fromHex(hexOf(key)));
    const ct = toHex(ecb(k, fromHex(hexOf(data)), false));
    assert.is(ct, openssl(key, "ecb", null, data, false), `ecb case ${i}`);
    assert.is(toHex(ecb(k, fromHex(ct), true)), hexOf(data).toUpperCase());
    const cbc = toHex(cbcEncrypt(k, fromHex(hexOf(iv)), fromHex(hexOf(data))));
    assert.is(cbc, openssl(key, "cbc", iv, data, false), `cbc case ${i}`);
    assert.is(toHex(cbcDecrypt(k, fromHex(hexOf(iv)), fromHex(cbc))), hexOf(data).toUpperCase());
  }
});

test("X9.19 MAC equals DES-CBC under K1 then D(K2), E(K1) on the last block, for every length 0..40", () => {
  const bytes = rng(7);
  for (let n = 0; n <= 40; n++) {
    const key = bytes(16);
    const data = bytes(n);
    const padded = Buffer.alloc(Math.max(8, Math.ceil(n / 8) * 8));
    data.copy(padded);
    const cbc = Buffer.from(openssl(key.subarray(0, 8), "cbc", Buffer.alloc(8), padded, false), "hex");
    const last = Buffer.from(openssl(key.subarray(8), "ecb", null, cbc.subarray(cbc.length - 8), true), "hex");
    const want = openssl(key.subarray(0, 8), "ecb", null, last, false);
    assert.is(toHex(macX919(tdesKey(fromHex(hexOf(key))), fromHex(hexOf(data)))), want, `length ${n}`);
  }
});

test("a one-bit change in data or in a (non-parity) key bit changes the MAC", () => {
  const k = tdesKey(fromHex("0123456789ABCDEFFEDCBA9876543210"));
  const base = toHex(macX919(k, fromText("Now is the time for all ")));
  assert.is.not(toHex(macX919(k, fromText("Now is the time for alm "))), base);
  assert.is.not(toHex(macX919(tdesKey(fromHex("0123456789ABCDEFFEDCBA9876543230")), fromText("Now is the time for all "))), base);
});

test("KCV is the first 3 bytes of the zero block's encryption; bad inputs are clear errors", () => {
  assert.is(toHex(kcv(fromHex("0123456789ABCDEFFEDCBA9876543210"))), "08D7B4");
  for (const bad of [() => tdesKey(fromHex("00")), () => ecb(tdesKey(fromHex("0123456789ABCDEF")), fromHex("00"), false)]) {
    try {
      bad();
      assert.unreachable("should fail");
    } catch (e) {
      assert.ok(isPosrtError(e), String(e));
    }
  }
});

test.run();
