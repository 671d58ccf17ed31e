// The board's key store (firmware/device/keys.ts) on Node with an in-memory file store: key
// injection checked by KCV, clear injection only in development builds, working keys kept
// across a power cut as received, a device seal key of its own, and no clear key in any file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DeviceKeys, KEYS_FILE, KeyEnv, SECRET_FILE } from "../../firmware/device/keys";
import { FileStore } from "../../firmware/device/config";
import { SoftSecurity, TEST_TMK_HEX } from "../../src/crypto/soft-security";
import { ecb, encodeWorkingKeys, kcv, tdesKey, KEY_SCHEME_DOUBLE } from "../../src/crypto/index";
import { Bytes, fromHex, fromText, toHex } from "../../src/bytes/index";

const TMK = "00112233445566778899AABBCCDDEEFF";
const KEK = "F0E1D2C3B4A5968778695A4B3C2D1E0F";
const PIK = "1111111111111111222222222222222F";
const MAK = "3333333333333333444444444444444F";

function kcvOf(hex: string): string {
  return toHex(kcv(fromHex(hex)));
}

/** Files in memory; random bytes from a counter, so the test knows the secret and the seal key. */
function board(files: Record<string, string> = {}, serial = "SERIAL-1", development = true, seed = 0x41): { env: KeyEnv; files: Record<string, string>; drawn: number[] } {
  const drawn: number[] = [];
  let n = seed;
  const store: FileStore = { read: (name) => files[name], write: (name, text) => ((files[name] = text), true) };
  const env: KeyEnv = { files: store, serial, development, randomByte: () => { n = (n * 73 + 19) & 255; drawn.push(n); return n; } };
  return { env, files, drawn };
}

function field62(tmkHex: string): Bytes {
  return encodeWorkingKeys(tdesKey(fromHex(tmkHex)), { scheme: KEY_SCHEME_DOUBLE, pik: fromHex(PIK), mak: fromHex(MAK) });
}

/** Every hex form of every clear key must be absent from every file. */
function assertNoClearKey(files: Record<string, string>, keys: string[]): void {
  for (const name of Object.keys(files)) {
    const text = files[name].toUpperCase();
    for (const k of keys) {
      assert.not.ok(text.includes(k.toUpperCase()), `${name} holds the clear key ${k.slice(0, 6)}…`);
      assert.not.ok(text.includes(k.slice(0, 16).toUpperCase()), `${name} holds half of the clear key ${k.slice(0, 6)}…`);
    }
    assert.not.ok(files[name].includes(Buffer.from(keys[0], "hex").toString("latin1")), `${name} holds a key as raw bytes`);
  }
}

test("development board without an injected key: TEST KEYS in the banner, a seal key of its own", () => {
  const b = board();
  const k = new DeviceKeys(b.env);
  assert.ok(k.usesTestKeys());
  assert.match(k.banner(), /TEST KEYS/);
  assert.is(k.tmkKcv(), kcvOf(TEST_TMK_HEX));
  const sealed = k.sealPan("6214830000000009", 7);
  assert.throws(() => new SoftSecurity({}).openPan(sealed), /authentication/, "not sealed under the TEST-derived key");
  assert.is(new DeviceKeys(b.env).openPan(sealed), "6214830000000009", "the seal key survives a reboot");
  const seal = b.drawn.slice(16, 32).map((x) => x.toString(16).padStart(2, "0")).join("").toUpperCase();
  assertNoClearKey(b.files, [seal, TEST_TMK_HEX]);
  assert.ok(b.files[SECRET_FILE] !== undefined && b.files[KEYS_FILE] !== undefined);
});

test("a production board has no TEST keys: it cannot MAC, and refuses a clear TMK", () => {
  const k = new DeviceKeys(board({}, "S", false).env);
  assert.not.ok(k.usesTestKeys());
  assert.match(k.banner(), /NO MASTER KEY/);
  assert.throws(() => k.mac(fromText("x")), /no terminal master key/);
  assert.match(k.inject("tmk", TMK, kcvOf(TMK), "clear"), /refused outside development builds/);
});

test("KEK in clear once, then the TMK under the KEK, each checked by its KCV; wrong KCV stores nothing", () => {
  const b = board({}, "S", false);
  const k = new DeviceKeys(b.env);
  assert.match(k.inject("tmk", TMK, kcvOf(TMK), "kek"), /no KEK/);
  assert.is(k.inject("kek", KEK, kcvOf(KEK), "clear"), "");
  assert.match(k.inject("kek", KEK, kcvOf(KEK), "clear"), /must come under it/);
  const underKek = toHex(ecb(tdesKey(fromHex(KEK)), fromHex(TMK), false));
  const before = b.files[KEYS_FILE];
  assert.match(k.inject("tmk", underKek, "000000", "kek"), /check value mismatch/);
  assert.is(b.files[KEYS_FILE], before, "nothing stored");
  assert.match(k.inject("tmk", "12", "000000", "kek"), /16 or 24 bytes/);
  assert.match(k.inject("tmk", "XYZ", "000000", "kek"), /hex/i);
  assert.is(k.inject("tmk", underKek, kcvOf(TMK).toLowerCase(), "kek"), "");
  assert.is(k.tmkKcv(), kcvOf(TMK));
  assert.match(new DeviceKeys(b.env).banner(), new RegExp("TMK KCV " + kcvOf(TMK)));
  assertNoClearKey(b.files, [TMK, KEK]);
});

test("working keys arrive under the TMK at sign-in and survive a power cut (kept as received)", () => {
  const b = board();
  const k = new DeviceKeys(b.env);
  assert.is(k.inject("tmk", TMK, kcvOf(TMK), "clear"), "");
  assert.not.ok(k.hasWorkingKeys());
  assert.throws(() => k.installWorkingKeys(field62(TEST_TMK_HEX)), /check value/, "keys under another TMK are refused");
  k.installWorkingKeys(field62(TMK));
  const mac = toHex(k.mac(fromText("0200 body")));
  const again = new DeviceKeys(b.env);
  assert.ok(again.hasWorkingKeys(), "kept across the cut");
  assert.is(toHex(again.mac(fromText("0200 body"))), mac);
  assert.match(again.banner(), /working keys kept/);
  assertNoClearKey(b.files, [TMK, PIK, MAK]);
  assert.is(again.inject("tmk", TEST_TMK_HEX, kcvOf(TEST_TMK_HEX), "clear"), "");
  assert.not.ok(again.hasWorkingKeys(), "a new TMK drops the working keys: sign in again");
});

test("the key record opens only on its own board; a damaged record is refused", () => {
  const b = board();
  const k = new DeviceKeys(b.env);
  assert.is(k.inject("tmk", TMK, kcvOf(TMK), "clear"), "");
  const copy = { ...b.files };
  assert.throws(() => new DeviceKeys(board({ ...copy }, "SERIAL-2").env), /does not open on this board/);
  const torn = { ...copy, [KEYS_FILE]: copy[KEYS_FILE].replace("tmk=", "tmk=0") };
  assert.throws(() => new DeviceKeys(board(torn).env), /CRC mismatch/);
  const noSecret = { [KEYS_FILE]: copy[KEYS_FILE] };
  assert.throws(() => new DeviceKeys(board(noSecret, "SERIAL-1", true, 0x17).env), /does not open on this board/, "a new secret cannot open the old record");
});

test.run();
