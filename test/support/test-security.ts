// TEST DOUBLE: a SecurityModule with a toy MAC (CRC-32 based, keyed) and a reversible PAN
// seal. Not cryptography: it only lets engine tests run before the emulator's DES/X9.19
// module is available. Field 62 must be "KEY" + 8 hex check digits of the key in ASCII hex.
import { Bytes, alloc, concat, crc32, fromHex, fromText, get, len, set, toHex, toText, writeU32 } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { SecurityModule } from "../../hal/security";
import { clearPinBlock } from "../../src/app/pin";

export class TestSecurity implements SecurityModule {
  key = 0;
  installed = false;

  macWithKey(data: Bytes, key: number): Bytes {
    const out = alloc(8);
    writeU32(out, 0, crc32(data, 0, len(data), key >>> 0));
    writeU32(out, 4, crc32(data, 0, len(data), (key ^ 0x5a5a5a5a) >>> 0));
    return out;
  }
  sealPan(pan: string): Bytes {
    const b = fromText(pan);
    for (let i = 0; i < len(b); i++) set(b, i, get(b, i) ^ 0x5c);
    const tag = alloc(4);
    writeU32(tag, 0, crc32(b));
    return concat([b, tag]);
  }
  openPan(sealed: Bytes): string {
    const n = len(sealed) - 4;
    if (n < 1) fail("security", "sealed PAN too short");
    const body = alloc(n);
    for (let i = 0; i < n; i++) set(body, i, get(sealed, i));
    if (toHex(sealed, n, 4) !== toHex((() => { const t = alloc(4); writeU32(t, 0, crc32(body)); return t; })())) fail("security", "sealed PAN tampered");
    for (let i = 0; i < n; i++) set(body, i, get(body, i) ^ 0x5c);
    return toText(body, 0, n, "security");
  }
  mac(data: Bytes): Bytes {
    if (!this.installed) fail("security", "no working keys");
    return this.macWithKey(data, this.key);
  }
  verifyMac(data: Bytes, mac: Bytes): boolean {
    return this.installed && toHex(this.macWithKey(data, this.key)) === toHex(mac);
  }
  installWorkingKeys(field62: Bytes): void {
    const hex = toHex(field62);
    if (len(field62) !== 8) fail("security", "field 62 must be 8 bytes (4 key, 4 check)");
    const key = parseInt(hex.substring(0, 8), 16) >>> 0;
    const check = parseInt(hex.substring(8, 16), 16) >>> 0;
    if (((key ^ 0xffffffff) >>> 0) !== check) fail("security", "working key check value mismatch");
    this.key = key;
    this.installed = true;
  }
  hasWorkingKeys(): boolean {
    return this.installed;
  }
  /** Toy PIN block: the format 0 clear block XOR the key (tests only). */
  encryptPin(pin: string, pan: string): Bytes {
    if (!this.installed) fail("security", "no working keys");
    const b = clearPinBlock(pin, pan);
    for (let i = 0; i < 8; i++) set(b, i, get(b, i) ^ ((this.key >>> (8 * (i % 4))) & 255));
    return b;
  }
}

/** Field 62 (hex) carrying `key` for TestSecurity. */
export function testField62(key: number): string {
  const b = alloc(8);
  writeU32(b, 0, key >>> 0);
  writeU32(b, 4, (key ^ 0xffffffff) >>> 0);
  return toHex(b);
}

export { fromHex };
