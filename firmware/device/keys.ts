// The board's keys and its SecurityModule (software DES: no secure element on these boards).
//
// - Terminal master key (TMK): injected over the console (`posrt keys inject`), either under
//   the key-encryption key (KEK) already on the board, or in clear in development builds only;
//   every injected key is checked by its check value (KCV: first 3 bytes of DES/3DES of a zero
//   block). A development build without an injected TMK uses the published TEST TMK and the
//   boot banner says "TEST KEYS"; a production build without one cannot sign in.
// - KEK: loaded in clear once, when the board has none (the first load, in a controlled room),
//   afterwards only under the current KEK.
// - Working keys arrive under the TMK at sign-in (field 62); the field is kept as received
//   (ciphertext under the TMK), so they survive a power cut without a clear copy anywhere.
// - PAN seal key: the device's own, random at first boot, never derived from a published key.
// - At rest every key is 3DES-encrypted under a device key derived from a random secret in its
//   own record (posrt.sec) and the chip's serial number. On a chip without secure storage this
//   protects against a copy of the key record alone (another board, a dump that misses the
//   secret) and binds the record to this chip; it does not protect against someone who reads
//   the whole flash of this board (secret, serial and records are all there). Flash encryption
//   with a key in eFuses (ESP32) or a secure element is what would.
// DES key schedules are slow on the interpreters, so the boot does the least: the seal key and
// the TMK session are opened on first use, and stored keys are checked through the device
// key's check value, not each key's.
// Portable (ES5 and Lua 5.3).
import { SecurityModule } from "../../hal/security";
import { Bytes, alloc, fromHex, fromText, get, len, set, toHex } from "../../src/bytes/index";
import { errorText, fail } from "../../src/errors";
import { MAC_X919, TdesKey, checkValue, decodeWorkingKeys, ecb, macBy, tdesKey } from "../../src/crypto/index";
import { SoftSecurity, TEST_TMK_HEX } from "../../src/crypto/soft-security";
import { encryptPinBlock } from "../../src/app/pin";
import { FileStore } from "./config";
import { parseRecord, recordText } from "./record";

export const KEYS_FILE = "posrt.key";
export const SECRET_FILE = "posrt.sec";
const KEYS_MAGIC = "posrt-keys 1";
const SECRET_MAGIC = "posrt-secret 1";
/**
 * Stored fields: each key encrypted under the device key and its KCV, the last field 62 as
 * received, and the device key's own check value (a record from another board, or after the
 * secret was lost, is refused at once instead of opening into wrong keys).
 */
const KEY_FIELDS = ["kek", "kek_kcv", "tmk", "tmk_kcv", "seal", "seal_kcv", "wk", "dev"];
const F_KEK = 0;
const F_TMK = 2;
const F_SEAL = 4;
const F_WK = 6;
const F_DEV = 7;
/** Bytes of the device secret and of the seal key (2-key 3DES). */
export const SECRET_BYTES = 16;
/** Most serial-number characters folded into the device key. */
export const MAX_SERIAL_CHARS = 64;
export const KCV_HEX_CHARS = 6;

export interface KeyEnv {
  files: FileStore;
  /** The chip's serial number (getSerial(), node.chipid()). */
  serial: string;
  /** One random byte 0..255 from the best source the board has. */
  randomByte: (this: void) => number;
  /** Development build: TEST keys and clear TMK injection allowed. */
  development: boolean;
}

function randomBytes(env: KeyEnv, n: number): Bytes {
  const b = alloc(n);
  for (let i = 0; i < n; i++) set(b, i, Math.floor(env.randomByte()) & 255);
  return b;
}

function kcvHex(key: Bytes): string {
  return toHex(checkValue(key, 3));
}

/** The device key: the random secret (its own record, made at first boot) encrypting the folded serial. */
function deviceKey(env: KeyEnv): TdesKey {
  const text = env.files.read(SECRET_FILE);
  let secret: Bytes | undefined = undefined;
  if (text !== undefined) secret = fromHex(parseRecord("keys", SECRET_MAGIC, ["s"], text)[0]);
  if (secret === undefined || len(secret) !== SECRET_BYTES) {
    if (text !== undefined) fail("keys", "device secret record damaged: keys cannot be opened");
    secret = randomBytes(env, SECRET_BYTES);
    if (!env.files.write(SECRET_FILE, recordText(SECRET_MAGIC, ["s"], [toHex(secret)]))) fail("keys", "cannot store the device secret");
  }
  const fold = alloc(SECRET_BYTES);
  const serial = fromText(env.serial.substring(0, MAX_SERIAL_CHARS));
  for (let i = 0; i < len(serial); i++) set(fold, i % SECRET_BYTES, get(fold, i % SECRET_BYTES) ^ get(serial, i));
  return tdesKey(ecb(tdesKey(secret), fold, false));
}

/** The key record as the board's secure element (secure.ts) sees it: given to the callback of DeviceKeys' constructor. */
export interface SeKeyAccess {
  /** Check values (6 hex digits) of the TMK in use ("" when none) and of the PAN seal key. */
  tmkKcv: (this: void) => string;
  sealKcv: (this: void) => string;
  /** Calls `into` with the TMK in use and the PAN seal key in clear, to write them into the SE; false (no call) without a TMK. */
  provide: (this: void, into: (this: void, tmk: Bytes, seal: Bytes) => void) => boolean;
  /** Field 62 of the last sign-in as kept ("" when none). */
  field62: (this: void) => string;
  /** Keeps field 62 for the next boot without decoding it here (the SE installed it). */
  keep: (this: void, field62: Bytes) => void;
}

/** The TMK and the working keys under it (the MAC key scheduled once). */
interface Session {
  tmk: TdesKey;
  /** Field 62 of the last sign-in, "" before one; decoded on first use. */
  f62: string;
  mak: TdesKey | undefined;
  pik: Bytes | undefined;
  scheme: string;
}

/** The keys of one board; also its SecurityModule. */
export class DeviceKeys implements SecurityModule {
  private env: KeyEnv;
  private dk: TdesKey;
  private vals: string[];
  private sealer: SoftSecurity | undefined = undefined;
  private session: Session | undefined = undefined;
  private testKeys = false;
  /** The field 64 MAC algorithm (the acquirer profile's; X9.19 by default). */
  private macAlgo: string;
  /** Why the stored working keys were dropped ("" when they were not). */
  dropped = "";

  /**
   * `secure`: only on a board with a secure element (secure.ts), called once the keys are open
   * with what the SE needs of them (no method for it: every method of a live class costs
   * Espruino variables on every board).
   */
  constructor(env: KeyEnv, mac_algorithm?: string, secure?: (this: void, access: SeKeyAccess) => void) {
    this.env = env;
    this.macAlgo = mac_algorithm === undefined ? MAC_X919 : mac_algorithm;
    this.dk = deviceKey(env);
    const text = env.files.read(KEYS_FILE);
    this.vals = text === undefined ? ["", "", "", "", "", "", "", ""] : parseRecord("keys", KEYS_MAGIC, KEY_FIELDS, text);
    const dev = toHex(ecb(this.dk, alloc(8), false)).substring(0, KCV_HEX_CHARS);
    if (this.vals[F_DEV] !== "" && this.vals[F_DEV] !== dev) fail("keys", "the key record does not open on this board (device check value mismatch)");
    this.vals[F_DEV] = dev;
    if (this.vals[F_SEAL] === "") {
      this.put(F_SEAL, randomBytes(env, SECRET_BYTES));
      if (!this.save()) fail("keys", "cannot store the PAN seal key");
    }
    this.startSession();
    if (secure !== undefined) {
      secure({
        tmkKcv: () => this.tmkKcv(),
        sealKcv: () => this.vals[F_SEAL + 1],
        provide: (into: (this: void, tmk: Bytes, seal: Bytes) => void): boolean => {
          if (this.session === undefined) return false;
          into(this.testKeys ? fromHex(TEST_TMK_HEX) : this.open(F_TMK), this.open(F_SEAL));
          return true;
        },
        field62: () => (this.session === undefined ? "" : this.session.f62),
        keep: (field62: Bytes): void => {
          const s = this.requireSession();
          s.f62 = toHex(field62);
          s.mak = undefined;
          s.pik = undefined;
          const before = this.vals[F_WK];
          this.vals[F_WK] = s.f62;
          if (!this.save()) this.vals[F_WK] = before;
        },
      });
    }
  }

  /** One line for the boot banner: TEST KEYS, the TMK's check value, or that none is loaded. */
  banner(): string {
    if (this.testKeys) return "TEST KEYS (development build, no master key injected)";
    if (this.session === undefined) return "NO MASTER KEY: inject one (posrt keys inject)";
    return "keys: TMK KCV " + this.vals[F_TMK + 1] + (this.session.f62 !== "" ? ", working keys kept" : "");
  }

  usesTestKeys(): boolean {
    return this.testKeys;
  }

  /**
   * Loads `name` ("kek" or "tmk") from `hex`, given in clear or under the board's KEK (`under`:
   * "clear" or "kek"), checked against `kcv` (6 hex digits). "" when loaded, else why not.
   */
  inject(name: string, hex: string, kcv: string, under: string): string {
    let why = "";
    try {
      why = this.load(name, hex, kcv, under);
    } catch (e) {
      why = errorText(e);
    }
    return why;
  }

  private load(name: string, hex: string, kcv: string, under: string): string {
    if (name !== "kek" && name !== "tmk") return "key name must be kek or tmk";
    if (under !== "clear" && under !== "kek") return "key form must be clear or kek";
    const block = fromHex(hex);
    if (len(block) !== 16 && len(block) !== 24) return "a key is 16 or 24 bytes (32 or 48 hex digits)";
    const hasKek = this.vals[F_KEK] !== "";
    if (under === "kek" && !hasKek) return "no KEK on this board: load one first";
    if (under === "clear" && name === "kek" && hasKek) return "a KEK is loaded: a new one must come under it";
    if (under === "clear" && name === "tmk" && !this.env.development) return "a clear TMK is refused outside development builds: send it under the KEK";
    const clear = under === "kek" ? ecb(tdesKey(this.open(F_KEK)), block, true) : block;
    const got = kcvHex(clear);
    if (got !== kcv.toUpperCase()) return "check value mismatch (key gives " + got + "): nothing stored";
    const f = name === "kek" ? F_KEK : F_TMK;
    const before = this.vals.slice(0);
    this.put(f, clear);
    if (f === F_TMK) this.vals[F_WK] = "";
    if (!this.save()) {
      this.vals = before;
      return "the key store refused the write: nothing changed";
    }
    if (f === F_TMK) this.startSession();
    return "";
  }

  /** The check value of the TMK in use ("" when none). */
  tmkKcv(): string {
    return this.testKeys ? kcvHex(fromHex(TEST_TMK_HEX)) : this.vals[F_TMK + 1];
  }

  private put(f: number, clear: Bytes): void {
    this.vals[f] = toHex(ecb(this.dk, clear, false));
    this.vals[f + 1] = kcvHex(clear);
  }

  /** A stored key in clear (RAM only); the device check value vouched for the device key. */
  private open(f: number): Bytes {
    return ecb(this.dk, fromHex(this.vals[f]), true);
  }

  private save(): boolean {
    return this.env.files.write(KEYS_FILE, recordText(KEYS_MAGIC, KEY_FIELDS, this.vals));
  }

  /** The TMK session: the injected TMK, else TEST keys in development builds; stored working keys kept for first use. */
  private startSession(): void {
    this.testKeys = false;
    this.session = undefined;
    let tmk: Bytes | undefined = undefined;
    if (this.vals[F_TMK] !== "") tmk = this.open(F_TMK);
    else if (this.env.development) {
      tmk = fromHex(TEST_TMK_HEX);
      this.testKeys = true;
    }
    if (tmk !== undefined) this.session = { tmk: tdesKey(tmk), f62: this.vals[F_WK], mak: undefined, pik: undefined, scheme: "" };
  }

  private requireSession(): Session {
    if (this.session === undefined) return fail("security", "no terminal master key: inject one (posrt keys inject)");
    return this.session;
  }

  /** The session with its working keys decoded; a stored field 62 that no longer decodes is dropped. */
  private working(): Session {
    const s = this.requireSession();
    if (s.mak === undefined && s.f62 !== "") {
      try {
        this.decode(s, fromHex(s.f62));
      } catch (e) {
        this.dropped = errorText(e);
        s.f62 = "";
      }
    }
    if (s.mak === undefined) return fail("security", "no working keys: sign in first");
    return s;
  }

  private decode(s: Session, field62: Bytes): void {
    const k = decodeWorkingKeys(s.tmk, field62);
    s.mak = tdesKey(k.mak);
    s.pik = k.pik;
    s.scheme = k.scheme;
  }

  private seal(): SoftSecurity {
    if (this.sealer === undefined) this.sealer = new SoftSecurity({ tmk_hex: toHex(this.open(F_SEAL)) });
    return this.sealer;
  }

  sealPan(pan: string, nonce?: number): Bytes {
    return this.seal().sealPan(pan, nonce);
  }

  openPan(sealed: Bytes): string {
    return this.seal().openPan(sealed);
  }

  mac(data: Bytes): Bytes {
    return macBy(this.macAlgo, this.working().mak as TdesKey, data);
  }

  verifyMac(data: Bytes, mac: Bytes): boolean {
    if (len(mac) !== 8) return false;
    const want = this.mac(data);
    let diff = 0;
    for (let i = 0; i < 8; i++) diff = diff | (get(want, i) ^ get(mac, i));
    return diff === 0;
  }

  /** Installs the working keys (a check-value mismatch keeps the old ones) and keeps field 62 as received for the next boot. */
  installWorkingKeys(field62: Bytes): void {
    const s = this.requireSession();
    this.decode(s, field62);
    s.f62 = toHex(field62);
    const before = this.vals[F_WK];
    this.vals[F_WK] = s.f62;
    if (!this.save()) this.vals[F_WK] = before;
  }

  /** True once working keys are installed or kept from the last sign-in. */
  hasWorkingKeys(): boolean {
    return this.session !== undefined && (this.session.mak !== undefined || this.session.f62 !== "");
  }

  encryptPin(pin: string, pan: string): Bytes {
    const s = this.working();
    return encryptPinBlock(s.pik as Bytes, pin, pan);
  }

  keyScheme(): string {
    return this.session === undefined ? "" : this.session.scheme;
  }
}
