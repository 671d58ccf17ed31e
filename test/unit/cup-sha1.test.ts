// The portable SHA-1 (src/crypto/sha1.ts) against Node's crypto for every length 0..320 (all the
// padding cases and CA keys up to 248-byte moduli), FIPS 180-2 appendix A.3 (one million "a",
// node only: too slow for the conformance runtimes), and its cost in byte reads: each byte of
// the message is read once (a 300-byte CA key: 300 reads, 5 blocks).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as crypto from "crypto";
import * as bytes from "../../src/bytes/index";
import { sha1 } from "../../src/crypto/sha1";

function ref(b: Buffer): string {
  return crypto.createHash("sha1").update(b).digest("hex").toUpperCase();
}

test("every length 0..320 matches Node's crypto (pseudo-random bytes, fixed seed), also from an offset", () => {
  let x = 12345;
  const all = Buffer.alloc(330);
  for (let i = 0; i < all.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    all[i] = x >>> 16 & 255;
  }
  const b = bytes.fromHex(all.toString("hex"));
  for (let n = 0; n <= 320; n++) {
    assert.is(bytes.toHex(sha1(b, 0, n)), ref(all.subarray(0, n)), "length " + n);
    assert.is(bytes.toHex(sha1(b, 7, n)), ref(all.subarray(7, 7 + n)), "length " + n + " at offset 7");
  }
});

test("FIPS 180-2 appendix A.3: one million \"a\"", () => {
  const b = bytes.fromHex("61".repeat(1000000));
  assert.is(bytes.toHex(sha1(b)), "34AA973CD4C4DAA4F61EEB2BDBAD27316534016F");
});

test("a 300-byte key is read once per byte", () => {
  const mod = bytes as unknown as Record<string, unknown>;
  const get = mod.get as (b: bytes.Bytes, i: number) => number;
  let reads = 0;
  mod.get = (b: bytes.Bytes, i: number) => {
    reads++;
    return get(b, i);
  };
  const key = bytes.fromHex("AB".repeat(300));
  let d: bytes.Bytes;
  try {
    d = sha1(key);
  } finally {
    mod.get = get;
  }
  assert.is(bytes.toHex(d), ref(Buffer.alloc(300, 0xab)));
  assert.is(reads, 300);
});

test("a range outside the message is refused", () => {
  assert.throws(() => sha1(bytes.fromHex("00"), 1, 1), /sha1: range/);
});

test.run();
