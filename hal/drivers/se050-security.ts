// A SecurityModule whose keys live in an NXP SE050 (hal/drivers/se050.ts): every DES operation
// of a sale is a command to the secure element, and its results are byte for byte those of the
// software module (src/crypto/soft-security.ts) for the same keys.
//
// Keys and where they are:
// - TMK: written into the SE once (provision), as DES key object OBJ_TMK. From then on it never
//   leaves the SE.
// - PAN seal keys: K_seal and K_auth, derived exactly as the software module does (3DES-ECB of
//   two fixed labels under the TMK, inside the SE), then written into their own objects. The
//   derived values pass through the host's RAM once, at provisioning, and the buffers are
//   zeroed.
// - Working keys (field 62 of a sign-in, each 3DES-ECB under the TMK): the SE050 cannot unwrap
//   a DES-encrypted key into a key object (WriteSymmKey's KEK, TAG_2, is an AES key wrap,
//   RFC 3394), so each key is decrypted by the SE (CipherOneShot under the TMK), its clear value
//   passes through the host's RAM for one WriteSymmKey and the buffer is zeroed at once; the
//   check value is computed by the SE from the new object. Keys go into the bank not in use
//   (A/B), so a check-value mismatch keeps the old keys, as the HAL requires.
// - The I2C bus between MCU and SE is in clear here: the SE050's PlatformSCP03 channel is not
//   implemented (docs/security-module.md says what that leaves open).
// Object identifiers: 0x50530000 + role ("PS" for posrt); working keys get bank and length in
// their identifier so a key of another length never overwrites an object of the old length.
import { SecurityModule } from "../security";
import { Bytes, alloc, bcdDecode, bcdEncode, copy, fill, fromAscii, get, len, readU32, set, slice, toHex, writeU32 } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { FIELD62_CHECK_BYTES, KEY_SCHEME_DOUBLE_TRACK, KEY_SCHEME_SINGLE, MAC_CUP_ECB, MAC_X919, checkMacAlgorithm, schemeOfField62 } from "../../src/crypto/index";
import { clearPinBlock } from "../../src/app/pin";
import { PAN_MAX_DIGITS, PAN_MIN_DIGITS } from "../../src/card/pan";
import { MAX_SEAL_NONCE, SEALED_PAN_BYTES, SEALED_PAN_VERSION, checkPan, sealIvBlock } from "../../src/crypto/soft-security";
import { CIPHER_DES_CBC_NOPAD, CIPHER_DES_ECB_NOPAD, MAC_DES8_M1, MAC_DES8_M1_ALG3 } from "../../src/parts/se050-apdu";
import { Se050 } from "./se050";

export const OBJ_TMK = 0x50530001;
export const OBJ_SEAL = 0x50530002;
export const OBJ_AUTH = 0x50530003;
/** A board's own PAN seal key (the root K_seal and K_auth derive from), when it has one (provision). */
export const OBJ_SEAL_ROOT = 0x50530004;
/** Working keys: OBJ_WORKING + bank * 0x10 + key index (0 PIN, 1 MAC, 2 track) + 0x100 for 8-byte keys. */
export const OBJ_WORKING = 0x50531000;
const SEAL_LABEL = "POSRT PAN SEAL 1";
const AUTH_LABEL = "POSRT PAN AUTH 1";
const KEY_NAMES: string[] = ["PIN key", "MAC key", "track key"];

export interface Se050SecurityOptions {
  se: Se050;
  /** Field 64 MAC algorithm: "x919" (default) or "cup-ecb". */
  mac_algorithm?: string;
  /** First value of the internal nonce counter used when sealPan gets no nonce. */
  seal_counter?: number;
}

export class Se050Security implements SecurityModule {
  private se: Se050;
  private macAlgo: string;
  private counter: number;
  /** Bank of the installed working keys (-1 before sign-in) and their length. */
  private bank = -1;
  private keyBytes = 0;
  private scheme = "";

  constructor(o: Se050SecurityOptions) {
    this.se = o.se;
    this.macAlgo = checkMacAlgorithm(o.mac_algorithm === undefined ? MAC_X919 : o.mac_algorithm);
    this.counter = o.seal_counter === undefined ? 0 : o.seal_counter;
  }

  /** True when the SE holds a TMK and the PAN seal keys. */
  provisioned(): boolean {
    return this.se.exists(OBJ_TMK) && this.se.exists(OBJ_SEAL) && this.se.exists(OBJ_AUTH);
  }

  /**
   * Writes the TMK (16 or 24 bytes) into the SE and derives the PAN seal keys there: under the
   * TMK, or under `sealRoot` (the board's own seal key, kept as OBJ_SEAL_ROOT), so that PANs
   * sealed by the SE open with the software module of that seal key and the other way round.
   * The TMK is written last: its check value in the SE says the provisioning completed.
   */
  provision(tmk: Bytes, sealRoot?: Bytes): void {
    if (len(tmk) !== 16 && len(tmk) !== 24) fail("security", "TMK must be 16 or 24 bytes");
    let root = OBJ_TMK;
    if (sealRoot !== undefined) {
      this.se.writeDesKey(OBJ_SEAL_ROOT, sealRoot, false);
      root = OBJ_SEAL_ROOT;
    } else this.se.writeDesKey(OBJ_TMK, tmk, false);
    this.derive(root, OBJ_SEAL, SEAL_LABEL);
    this.derive(root, OBJ_AUTH, AUTH_LABEL);
    if (sealRoot !== undefined) this.se.writeDesKey(OBJ_TMK, tmk, false);
  }

  /** The check value (6 hex digits: DES/3DES of a zero block) of key object `id`; a missing object is a PosrtError. */
  checkValue(id: number): string {
    return toHex(this.se.cipher(id, CIPHER_DES_ECB_NOPAD, false, alloc(8)), 0, 3);
  }

  private derive(root: number, id: number, label: string): void {
    const k = this.se.cipher(root, CIPHER_DES_ECB_NOPAD, false, fromAscii(label, "security"));
    this.se.writeDesKey(id, k, false);
    fill(k, 0, len(k), 0);
  }

  sealPan(pan: string, nonce?: number): Bytes {
    checkPan(pan);
    const n = nonce === undefined ? this.nextNonce() : nonce;
    if (n < 0 || n > MAX_SEAL_NONCE || Math.floor(n) !== n) fail("security", "seal nonce must be an integer 0..2^32-1");
    const plain = alloc(16);
    set(plain, 0, pan.length);
    const bcd = bcdEncode(pan, "left");
    copy(bcd, 0, plain, 1, len(bcd));
    const out = alloc(SEALED_PAN_BYTES);
    set(out, 0, SEALED_PAN_VERSION);
    writeU32(out, 1, n);
    const ct = this.se.cipher(OBJ_SEAL, CIPHER_DES_CBC_NOPAD, false, plain, this.iv(n));
    fill(plain, 0, 16, 0);
    copy(ct, 0, out, 5, 16);
    const mac = this.se.macGenerate(OBJ_AUTH, MAC_DES8_M1_ALG3, slice(out, 0, 21));
    copy(mac, 0, out, 21, 8);
    return out;
  }

  openPan(sealed: Bytes): string {
    if (len(sealed) !== SEALED_PAN_BYTES) fail("security", "sealed PAN must be " + SEALED_PAN_BYTES + " bytes, got " + len(sealed));
    if (get(sealed, 0) !== SEALED_PAN_VERSION) fail("security", "sealed PAN version " + get(sealed, 0) + " unknown");
    if (!this.se.macValidate(OBJ_AUTH, MAC_DES8_M1_ALG3, slice(sealed, 0, 21), slice(sealed, 21, 8))) {
      fail("security", "sealed PAN failed authentication (tampered or sealed under another key)");
    }
    const plain = this.se.cipher(OBJ_SEAL, CIPHER_DES_CBC_NOPAD, true, slice(sealed, 5, 16), this.iv(readU32(sealed, 1)));
    const digits = get(plain, 0);
    if (digits < PAN_MIN_DIGITS || digits > PAN_MAX_DIGITS) fail("security", "sealed PAN holds a bad digit count");
    return bcdDecode(plain, 1, digits, "left", "security");
  }

  mac(data: Bytes): Bytes {
    const id = this.requireKey(1);
    if (this.macAlgo === MAC_CUP_ECB) return this.cupMac(id, data);
    return this.se.macGenerate(id, this.keyBytes === 8 ? MAC_DES8_M1 : MAC_DES8_M1_ALG3, data);
  }

  verifyMac(data: Bytes, mac: Bytes): boolean {
    if (len(mac) !== 8) return false;
    const id = this.requireKey(1);
    if (this.macAlgo === MAC_CUP_ECB) return toHex(this.cupMac(id, data)) === toHex(mac);
    return this.se.macValidate(id, this.keyBytes === 8 ? MAC_DES8_M1 : MAC_DES8_M1_ALG3, data, mac);
  }

  /** Unwraps each key of field 62 into the unused bank, checks its value in the SE, then switches banks. */
  installWorkingKeys(field62: Bytes): void {
    const scheme = schemeOfField62(len(field62));
    const kb = scheme === KEY_SCHEME_SINGLE ? 8 : 16;
    const count = scheme === KEY_SCHEME_DOUBLE_TRACK ? 3 : 2;
    const bank = this.bank === 0 ? 1 : 0;
    for (let i = 0; i < count; i++) {
      const at = i * (kb + FIELD62_CHECK_BYTES);
      const id = objectOf(bank, i, kb);
      const clear = this.se.cipher(OBJ_TMK, CIPHER_DES_ECB_NOPAD, true, slice(field62, at, kb));
      this.se.writeDesKey(id, clear, false);
      fill(clear, 0, len(clear), 0);
      const kcv = this.se.cipher(id, CIPHER_DES_ECB_NOPAD, false, alloc(8));
      for (let k = 0; k < FIELD62_CHECK_BYTES; k++) {
        if (get(kcv, k) !== get(field62, at + kb + k)) fail("keys", KEY_NAMES[i] + " check value mismatch in field 62");
      }
    }
    this.bank = bank;
    this.keyBytes = kb;
    this.scheme = scheme;
  }

  hasWorkingKeys(): boolean {
    return this.bank >= 0;
  }

  /** Forgets the installed working keys (a new TMK makes them void): the next sale asks for a sign-in. */
  dropWorkingKeys(): void {
    this.bank = -1;
    this.scheme = "";
  }

  encryptPin(pin: string, pan: string): Bytes {
    if (this.bank < 0) return fail("security", "no PIN key: sign in first");
    const block = clearPinBlock(pin, pan);
    const out = this.se.cipher(objectOf(this.bank, 0, this.keyBytes), CIPHER_DES_ECB_NOPAD, false, block);
    fill(block, 0, len(block), 0);
    return out;
  }

  /** The 60.3 scheme of the installed working keys, or "" before sign-in. */
  keyScheme(): string {
    return this.scheme;
  }

  private requireKey(index: number): number {
    if (this.bank < 0) return fail("security", "no working keys: sign in first");
    return objectOf(this.bank, index, this.keyBytes);
  }

  /** UnionPay ECB MAC (src/crypto/mac.ts): XOR and hex on the host, both DES steps in the SE. */
  private cupMac(id: number, data: Bytes): Bytes {
    const n = len(data);
    const r = alloc(8);
    for (let i = 0; i < n; i++) set(r, i % 8, get(r, i % 8) ^ get(data, i));
    const h = fromAscii(toHex(r), "mac");
    const step = this.se.cipher(id, CIPHER_DES_ECB_NOPAD, false, slice(h, 0, 8));
    for (let k = 0; k < 8; k++) set(step, k, get(step, k) ^ get(h, 8 + k));
    const last = this.se.cipher(id, CIPHER_DES_ECB_NOPAD, false, step);
    return fromAscii(toHex(last, 0, 4), "mac");
  }

  private nextNonce(): number {
    const n = this.counter;
    this.counter = n >= MAX_SEAL_NONCE ? 0 : n + 1;
    return n;
  }

  /** IV of a sealed PAN: 3DES-ECB(K_seal, nonce ‖ "PAN" ‖ 00), in the SE. */
  private iv(nonce: number): Bytes {
    return this.se.cipher(OBJ_SEAL, CIPHER_DES_ECB_NOPAD, false, sealIvBlock(nonce));
  }
}

function objectOf(bank: number, index: number, keyBytes: number): number {
  return OBJ_WORKING + bank * 0x10 + index + (keyBytes === 8 ? 0x100 : 0);
}

