// A software SecurityModule: the logic behind the emulator's (hal/emulator/security.ts),
// portable so the same code runs in the conformance bundles. A device uses its secure element.
//
// Keys: a terminal master key (TMK) — by default TEST_TMK_HEX, a published TEST key that
// protects nothing — decrypts the working keys of a sign-in reply's field 62
// (src/crypto/keys.ts). The MAC of field 64 is the X9.19 retail MAC under the MAC key.
//
// Sealed PAN (journal storage), 29 bytes:
//   [0] version 0x01 | [1..4] nonce, u32 big-endian | [5..20] ciphertext | [21..28] MAC
// plaintext = digit count (1 byte) + PAN as BCD (left-aligned, 10 bytes) + zeros, 16 bytes;
// ciphertext = 3DES-CBC under K_seal with IV = 3DES-ECB(K_seal, nonce ‖ "PAN\0");
// MAC = X9.19 under K_auth over bytes [0..20] (encrypt-then-MAC). K_seal and K_auth are
// derived from the TMK (3DES-ECB of two fixed labels), so sealed PANs survive new working
// keys. The nonce never repeats if the caller passes a fresh one (e.g. the journal record
// sequence); without one an internal counter is used, which restarts at `seal_counter`.
import { SecurityModule } from "../../hal/security";
import { Bytes, alloc, bcdDecode, bcdEncode, concat, copy, fromAscii, fromHex, get, len, readU32, set, slice, writeU32 } from "../bytes/index";
import { fail } from "../errors";
import { TdesKey, cbcDecrypt, cbcEncrypt, decodeWorkingKeys, ecb, macX919, tdesKey, macBy, checkMacAlgorithm, MAC_X919 } from "./index";
import { clearPinBlock } from "../app/pin";
import { PAN_MAX_DIGITS, PAN_MIN_DIGITS } from "../card/pan";

/** TEST master key, shared by the emulator and `posrt acquirer` in development mode. Never a real key. */
export const TEST_TMK_HEX = "0123456789ABCDEFFEDCBA9876543210";
export const SEALED_PAN_VERSION = 1;
export const SEALED_PAN_BYTES = 29;
const SEAL_PLAIN_BYTES = 16;
const SEAL_LABEL = "POSRT PAN SEAL 1";
const AUTH_LABEL = "POSRT PAN AUTH 1";
/** Largest nonce (it is stored as a u32). */
export const MAX_SEAL_NONCE = 4294967295;

export interface SoftSecurityOptions {
  /** Terminal master key, hex (16 or 24 bytes); TEST_TMK_HEX by default. */
  tmk_hex?: string;
  /** First value of the internal nonce counter used when sealPan gets no nonce. */
  seal_counter?: number;
  /** Field 64 MAC algorithm: "x919" (default) or "cup-ecb" (UnionPay ECB, 8 ASCII hex bytes). */
  mac_algorithm?: string;
}

export class SoftSecurity implements SecurityModule {
  private tmk: TdesKey;
  private sealKey: TdesKey;
  private authKey: TdesKey;
  private macKey: TdesKey | undefined = undefined;
  /** The PIN key, expanded once at sign-in (a key schedule per PIN costs more than the PIN block). */
  private pinKey: TdesKey | undefined = undefined;
  private scheme = "";
  private counter: number;
  private macAlgo: string;

  constructor(opts: SoftSecurityOptions) {
    const hex = opts.tmk_hex === undefined ? TEST_TMK_HEX : opts.tmk_hex;
    const raw = fromHex(hex);
    if (len(raw) !== 16 && len(raw) !== 24) fail("security", "TMK must be 16 or 24 bytes");
    this.tmk = tdesKey(raw);
    this.sealKey = tdesKey(ecb(this.tmk, fromAscii(SEAL_LABEL, "security"), false));
    this.authKey = tdesKey(ecb(this.tmk, fromAscii(AUTH_LABEL, "security"), false));
    this.counter = opts.seal_counter === undefined ? 0 : opts.seal_counter;
    this.macAlgo = checkMacAlgorithm(opts.mac_algorithm === undefined ? MAC_X919 : opts.mac_algorithm);
  }

  /** Seals a PAN; `nonce` (0..2^32-1) must differ per call to keep ciphertexts unlinkable. */
  sealPan(pan: string, nonce?: number): Bytes {
    checkPan(pan);
    const n = nonce === undefined ? this.nextNonce() : nonce;
    if (n < 0 || n > MAX_SEAL_NONCE || Math.floor(n) !== n) fail("security", "seal nonce must be an integer 0..2^32-1");
    const plain = alloc(SEAL_PLAIN_BYTES);
    set(plain, 0, pan.length);
    const bcd = bcdEncode(pan, "left");
    copy(bcd, 0, plain, 1, len(bcd));
    const head = alloc(5);
    set(head, 0, SEALED_PAN_VERSION);
    writeU32(head, 1, n);
    const body = concat([head, cbcEncrypt(this.sealKey, this.iv(n), plain)]);
    return concat([body, macX919(this.authKey, body)]);
  }

  /** Opens a sealed PAN; a wrong length, version or MAC (tampered or foreign blob) is a PosrtError. */
  openPan(sealed: Bytes): string {
    if (len(sealed) !== SEALED_PAN_BYTES) fail("security", "sealed PAN must be " + SEALED_PAN_BYTES + " bytes, got " + len(sealed));
    if (get(sealed, 0) !== SEALED_PAN_VERSION) fail("security", "sealed PAN version " + get(sealed, 0) + " unknown");
    const body = slice(sealed, 0, SEALED_PAN_BYTES - 8);
    if (!sameBytes(macX919(this.authKey, body), slice(sealed, SEALED_PAN_BYTES - 8, 8))) {
      fail("security", "sealed PAN failed authentication (tampered or sealed under another key)");
    }
    const plain = cbcDecrypt(this.sealKey, this.iv(readU32(sealed, 1)), slice(sealed, 5, SEAL_PLAIN_BYTES));
    const digits = get(plain, 0);
    if (digits < PAN_MIN_DIGITS || digits > PAN_MAX_DIGITS) fail("security", "sealed PAN holds a bad digit count");
    return bcdDecode(plain, 1, digits, "left", "security");
  }

  mac(data: Bytes): Bytes {
    return macBy(this.macAlgo, this.requireMacKey(), data);
  }

  verifyMac(data: Bytes, mac: Bytes): boolean {
    if (len(mac) !== 8) return false;
    return sameBytes(macBy(this.macAlgo, this.requireMacKey(), data), mac);
  }

  installWorkingKeys(field62: Bytes): void {
    const keys = decodeWorkingKeys(this.tmk, field62);
    this.macKey = tdesKey(keys.mak);
    this.pinKey = tdesKey(keys.pik);
    this.scheme = keys.scheme;
  }

  hasWorkingKeys(): boolean {
    return this.macKey !== undefined;
  }

  encryptPin(pin: string, pan: string): Bytes {
    if (this.pinKey === undefined) return fail("security", "no PIN key: sign in first");
    return ecb(this.pinKey, clearPinBlock(pin, pan), false);
  }

  /** The 60.3 scheme of the installed working keys ("001", "003", "004"), or "" before sign-in. */
  keyScheme(): string {
    return this.scheme;
  }

  private requireMacKey(): TdesKey {
    if (this.macKey === undefined) return fail("security", "no working keys: sign in first");
    return this.macKey;
  }

  private nextNonce(): number {
    const n = this.counter;
    this.counter = n >= MAX_SEAL_NONCE ? 0 : n + 1;
    return n;
  }

  private iv(nonce: number): Bytes {
    return ecb(this.sealKey, sealIvBlock(nonce), false);
  }
}

/** The block a sealed PAN's IV is enciphered from (under the seal key): nonce ‖ "PAN" ‖ 00. */
export function sealIvBlock(nonce: number): Bytes {
  const block = alloc(8);
  writeU32(block, 0, nonce);
  copy(fromAscii("PAN", "security"), 0, block, 4, 3);
  return block;
}

/** A PAN to seal: PAN_MIN_DIGITS..PAN_MAX_DIGITS decimal digits, else a PosrtError. */
export function checkPan(pan: string): void {
  if (pan.length < PAN_MIN_DIGITS || pan.length > PAN_MAX_DIGITS) fail("security", "PAN length " + pan.length + " outside " + PAN_MIN_DIGITS + ".." + PAN_MAX_DIGITS);
  for (let i = 0; i < pan.length; i++) {
    const c = pan.charCodeAt(i);
    if (c < 48 || c > 57) fail("security", "PAN has a non-digit at " + i);
  }
}

/** Equality of two buffers that does not stop at the first difference. */
function sameBytes(a: Bytes, b: Bytes): boolean {
  if (len(a) !== len(b)) return false;
  let diff = 0;
  for (let i = 0; i < len(a); i++) diff = diff | (get(a, i) ^ get(b, i));
  return diff === 0;
}
