import { test } from "uvu";
import * as assert from "uvu/assert";
import { EmulatorSecurity, SEALED_PAN_BYTES, TEST_TMK_HEX } from "../../hal/emulator/security";
import { bcdEncode, fromHex, fromText, get, len, set, toHex } from "../../src/bytes/index";
import { encodeWorkingKeys, tdesKey, KEY_SCHEME_DOUBLE } from "../../src/crypto/index";
import { isPosrtError } from "../../src/errors";

function expectPosrtError(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isPosrtError(e), `${what}: ${String(e)}`);
    return;
  }
  assert.unreachable(`${what}: no error`);
}

const TMK = tdesKey(fromHex(TEST_TMK_HEX));
const KEYS = { scheme: KEY_SCHEME_DOUBLE, pik: fromHex("11111111111111112222222222222222"), mak: fromHex("3333333333333333444444444444444F") };

test("sealed PANs round-trip for 12..19 digits and many nonces", () => {
  const sm = new EmulatorSecurity({});
  for (let digits = 12; digits <= 19; digits++) {
    for (let nonce = 0; nonce < 50; nonce++) {
      const pan = ("62148300000000000000" + nonce * 7919).slice(-digits);
      assert.is(sm.openPan(sm.sealPan(pan, nonce)), pan);
    }
  }
  assert.is(sm.openPan(sm.sealPan("6214830000000009")), "6214830000000009", "internal counter nonce");
});

test("the sealed form never contains the PAN in ASCII or BCD, and differs per nonce", () => {
  const sm = new EmulatorSecurity({});
  const pan = "6214830000000009";
  const ascii = Buffer.from(pan, "ascii").toString("hex").toUpperCase();
  const bcd = toHex(bcdEncode(pan, "left"));
  const seen = new Set<string>();
  for (let nonce = 0; nonce < 200; nonce++) {
    const s = toHex(sm.sealPan(pan, nonce));
    assert.is(s.length, SEALED_PAN_BYTES * 2);
    assert.not.ok(s.includes(ascii) || s.includes(bcd) || s.includes(bcd.slice(0, 12)), `nonce ${nonce}`);
    seen.add(s);
  }
  assert.is(seen.size, 200);
});

test("every single-bit tamper of a sealed PAN is rejected with a PosrtError", () => {
  const sm = new EmulatorSecurity({});
  const sealed = sm.sealPan("4111111111111111", 99);
  for (let i = 0; i < len(sealed); i++) {
    for (let bit = 0; bit < 8; bit++) {
      const copy = fromHex(toHex(sealed));
      set(copy, i, get(copy, i) ^ (1 << bit));
      expectPosrtError(() => sm.openPan(copy), `byte ${i} bit ${bit}`);
    }
  }
  expectPosrtError(() => new EmulatorSecurity({ tmk_hex: "00112233445566778899AABBCCDDEEFF" }).openPan(sealed), "other TMK");
});

test("working keys: MAC before sign-in fails; a bad check value keeps the old keys", () => {
  const sm = new EmulatorSecurity({});
  assert.not.ok(sm.hasWorkingKeys());
  expectPosrtError(() => sm.mac(fromText("x")), "mac before sign-in");
  const f62 = encodeWorkingKeys(TMK, KEYS);
  sm.installWorkingKeys(f62);
  assert.ok(sm.hasWorkingKeys());
  assert.is(sm.keyScheme(), "003");
  const data = fromText("0200 body");
  const mac = sm.mac(data);
  assert.ok(sm.verifyMac(data, mac));
  assert.not.ok(sm.verifyMac(fromText("0200 bodz"), mac));
  const bad = fromHex(toHex(f62));
  set(bad, 39, get(bad, 39) ^ 1);
  expectPosrtError(() => sm.installWorkingKeys(bad), "bad MAC key check value");
  assert.is(toHex(sm.mac(data)), toHex(mac), "old keys kept");
});

test.run();
