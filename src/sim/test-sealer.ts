// A PAN sealer with a fixed test key, for simulations, crash tests and conformance traces only
// (the device uses its SecurityModule). Format: 0x01 | nonce u32 | BCD PAN xor keystream | tag u32.
// The tag is a CRC-32 over key, nonce and ciphertext: it detects tampering, it is not a real MAC.
import { Bytes, alloc, bcdDecode, bcdEncode, crc32, get, len, readU32, set, writeU32 } from "../bytes/index";
import { fail } from "../errors";
import { Prng, nextByte, prng } from "./prng";

export const TEST_KEY = 0x5eed1e55;
const VERSION = 1;
const OVERHEAD_BYTES = 9;

/** The part of the SecurityModule the journal's users need for PANs. */
export interface PanSealer {
  sealPan(pan: string): Bytes;
  openPan(sealed: Bytes): string;
}

function keystream(nonce: number): Prng {
  return prng((TEST_KEY ^ nonce) >>> 0);
}

function tag(b: Bytes, n: number): number {
  const k = alloc(4);
  writeU32(k, 0, TEST_KEY);
  return crc32(b, 0, n, crc32(k));
}

/** A test sealer; nonces count up from `first_nonce`. */
export function testSealer(first_nonce: number): PanSealer {
  let nonce = first_nonce >>> 0;
  return {
    sealPan: (pan: string): Bytes => {
      const digits = (pan.length < 10 ? "0" : "") + pan.length + pan;
      const bcd = bcdEncode(digits, "left");
      const out = alloc(OVERHEAD_BYTES + len(bcd));
      nonce = (nonce + 1) >>> 0;
      set(out, 0, VERSION);
      writeU32(out, 1, nonce);
      const ks = keystream(nonce);
      for (let i = 0; i < len(bcd); i++) set(out, 5 + i, get(bcd, i) ^ nextByte(ks));
      writeU32(out, 5 + len(bcd), tag(out, 5 + len(bcd)));
      return out;
    },
    openPan: (sealed: Bytes): string => {
      const n = len(sealed) - OVERHEAD_BYTES;
      if (n < 1 || get(sealed, 0) !== VERSION || readU32(sealed, 5 + n) !== tag(sealed, 5 + n)) fail("sealer", "sealed PAN is tampered or foreign");
      const ks = keystream(readU32(sealed, 1));
      const bcd = alloc(n);
      for (let i = 0; i < n; i++) set(bcd, i, get(sealed, 5 + i) ^ nextByte(ks));
      const count = Number(bcdDecode(bcd, 0, 2, "left", "sealer"));
      return bcdDecode(bcd, 1, count, "left", "sealer");
    },
  };
}
