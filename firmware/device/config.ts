// The terminal's own configuration, kept in flash (an Espruino Storage file, a NodeMCU SPIFFS
// file) as text lines with a CRC-32 line last, so a torn or edited record is refused, never
// half-used. Set by `posrt flash --config FILE` (and by the admin menu through `writeConfig`).
// No network address is built in: a board without a configuration says so and stays offline.
// Portable (ES5 and Lua 5.3).
import { errorText, fail } from "../../src/errors";
import { MAX_RECORD_CHARS, parseRecord, recordText } from "./record";
import { TxnConfig } from "../../src/txn/types";
import { AcquirerProfile, parseProfile } from "../../src/host/profile";

/** Name of the configuration file in the board's file store. */
export const CONFIG_FILE = "posrt.cfg";
export const CONFIG_MAGIC = "posrt-config 1";

/** Where the device keeps small named files (Storage on Espruino, SPIFFS on NodeMCU). */
export interface FileStore {
  read(this: void, name: string): string | undefined;
  /** Replaces the file; false when the store refused (full, worn). */
  write(this: void, name: string, text: string): boolean;
}

export interface DeviceConfig {
  /** Acquirer host name or address and TCP port. */
  host: string;
  port: number;
  /** Field 41 (8 characters) and field 42 (15 characters). */
  tid: string;
  mid: string;
  merchant: string;
  /** ISO 4217 numeric currency, 3 digits. */
  currency: string;
  timeout_ms: number;
  reversal_attempts: number;
  refund_max_minor: number;
  /** Sign-in key scheme (60.3). */
  key_scheme: string;
  /** Magnetic-stripe sales wait for the receipt before the reversal is disarmed. */
  await_completion: boolean;
  /** The acquirer profile (src/host/profile.ts), the same JSON as a profile file, on one line;
   * "" (or absent) for posrt's default. Optional in the record: a configuration without it loads. */
  profile?: string;
  /**
   * The board's secure element (docs/security-module.md): "se050", optionally with its I2C bus
   * and address, "se050,sda=21,scl=22,address=0x48"; "" (or absent) for none: software DES.
   */
  secure_element?: string;
}

/** The keys a configuration must have, in the order they are written. */
export const CONFIG_KEYS = ["host", "port", "tid", "mid", "merchant", "currency", "timeout_ms", "reversal_attempts", "refund_max_minor", "key_scheme", "await_completion"];
/** The optional key holding the acquirer profile; written last. */
export const CONFIG_PROFILE_KEY = "profile";
/** The optional key naming the board's secure element; written only when set. */
export const CONFIG_SE_KEY = "secure_element";
const RECORD_KEYS = ["host", "port", "tid", "mid", "merchant", "currency", "timeout_ms", "reversal_attempts", "refund_max_minor", "key_scheme", "await_completion", CONFIG_SE_KEY, CONFIG_PROFILE_KEY];

function valueOf(c: DeviceConfig, k: string): string {
  if (k === "host") return c.host;
  if (k === "port") return "" + c.port;
  if (k === "tid") return c.tid;
  if (k === "mid") return c.mid;
  if (k === "merchant") return c.merchant;
  if (k === "currency") return c.currency;
  if (k === "timeout_ms") return "" + c.timeout_ms;
  if (k === "reversal_attempts") return "" + c.reversal_attempts;
  if (k === "refund_max_minor") return "" + c.refund_max_minor;
  if (k === "key_scheme") return c.key_scheme;
  if (k === CONFIG_PROFILE_KEY) return c.profile === undefined ? "" : c.profile;
  if (k === CONFIG_SE_KEY) return c.secure_element === undefined ? "" : c.secure_element;
  return c.await_completion ? "1" : "0";
}

/** The record as stored: magic line, one `key=value` line per key, `crc=` over all before it. */
export function configText(c: DeviceConfig): string {
  checkConfig(c);
  const keys: string[] = [];
  const vals: string[] = [];
  for (let i = 0; i < RECORD_KEYS.length; i++) {
    const v = valueOf(c, RECORD_KEYS[i]);
    if ((RECORD_KEYS[i] !== CONFIG_PROFILE_KEY && RECORD_KEYS[i] !== CONFIG_SE_KEY) || v !== "") {
      keys.push(RECORD_KEYS[i]);
      vals.push(v);
    }
  }
  const text = recordText(CONFIG_MAGIC, keys, vals);
  if (text.length > MAX_RECORD_CHARS) fail("config", "the configuration is " + text.length + " characters, more than " + MAX_RECORD_CHARS + " (a shorter profile)");
  return text;
}

function isDigits(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
  }
  return true;
}

function printable(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 32 || ch > 126 || ch === 61) return false;
  }
  return true;
}

/** Throws a PosrtError naming the first field that cannot go on the wire or into the record. */
export function checkConfig(c: DeviceConfig): void {
  if (!printable(c.host, 1, 64) || c.host.indexOf(" ") >= 0 || c.host.indexOf(":") >= 0) fail("config", "host \"" + c.host + "\" is not a host name or address");
  if (c.port !== Math.floor(c.port) || c.port < 1 || c.port > 65535) fail("config", "port " + c.port + " is not 1..65535");
  if (!printable(c.tid, 8, 8)) fail("config", "tid must be 8 characters");
  if (!printable(c.mid, 15, 15)) fail("config", "mid must be 15 characters");
  if (!printable(c.merchant, 1, 40)) fail("config", "merchant name must be 1..40 printable characters");
  if (!isDigits(c.currency, 3, 3)) fail("config", "currency must be 3 digits (ISO 4217 numeric)");
  if (c.timeout_ms !== Math.floor(c.timeout_ms) || c.timeout_ms < 1000 || c.timeout_ms > 120000) fail("config", "timeout_ms must be 1000..120000");
  if (c.reversal_attempts !== Math.floor(c.reversal_attempts) || c.reversal_attempts < 1 || c.reversal_attempts > 9) fail("config", "reversal_attempts must be 1..9");
  if (c.refund_max_minor !== Math.floor(c.refund_max_minor) || c.refund_max_minor < 0 || c.refund_max_minor > 999999999) fail("config", "refund_max_minor must be 0..999999999");
  if (c.key_scheme !== "001" && c.key_scheme !== "003" && c.key_scheme !== "004") fail("config", "key_scheme must be 001, 003 or 004");
  profileOf(c);
  secureElementOf(c);
}

/** Where a board's secure element is: the part, its I2C pins (GPIO numbers) and 7-bit address. */
export interface SecureElementSpec {
  part: string;
  sda: number;
  scl: number;
  address: number;
}

/** The reference board's (firmware/boards/esp32-ref.ts) I2C bus, shared with the display, and the SE050's default address. */
export const SE_DEFAULT_SDA = 21;
export const SE_DEFAULT_SCL = 22;
export const SE_DEFAULT_ADDRESS = 0x48;
/** Most comma-separated parts of a secure_element value. */
const MAX_SE_PARTS = 4;

function seNumber(v: string, what: string, max: number): number {
  let n = -1;
  if (v.substring(0, 2) === "0x" && v.length > 2 && v.length <= 4) {
    n = 0;
    for (let i = 2; i < v.length && n >= 0; i++) {
      const d = "0123456789abcdef".indexOf(v.charAt(i).toLowerCase());
      n = d < 0 ? -1 : n * 16 + d;
    }
  } else if (isDigits(v, 1, 3)) n = Math.floor(Number(v));
  if (n < 0 || n > max) fail("config", "secure_element " + what + " \"" + v + "\" is not 0.." + max);
  return n;
}

/**
 * The configuration's secure element, parsed and checked (undefined: none configured): "se050"
 * or "se050,sda=N,scl=N,address=N" (address decimal or 0x..), defaults those of the reference
 * board; anything else is a PosrtError from "config" naming the bad part.
 */
export function secureElementOf(c: DeviceConfig): SecureElementSpec | undefined {
  const v = c.secure_element === undefined ? "" : c.secure_element;
  if (v === "") return undefined;
  const parts = v.split(",");
  if (parts[0] !== "se050") fail("config", "secure_element \"" + parts[0] + "\" unknown (se050, or no line for software DES)");
  if (parts.length > MAX_SE_PARTS) fail("config", "secure_element takes se050,sda=N,scl=N,address=N");
  const s: SecureElementSpec = { part: parts[0], sda: SE_DEFAULT_SDA, scl: SE_DEFAULT_SCL, address: SE_DEFAULT_ADDRESS };
  for (let i = 1; i < parts.length; i++) {
    const eq = parts[i].indexOf("=");
    const k = eq < 0 ? parts[i] : parts[i].substring(0, eq);
    const val = parts[i].substring(eq + 1);
    if (eq > 0 && k === "sda") s.sda = seNumber(val, k, 39);
    else if (eq > 0 && k === "scl") s.scl = seNumber(val, k, 39);
    else if (eq > 0 && k === "address") s.address = seNumber(val, k, 127);
    else fail("config", "secure_element: \"" + parts[i] + "\" is not sda=N, scl=N or address=N");
  }
  return s;
}

/** The configuration's acquirer profile, parsed and checked (undefined: posrt's default); a bad one is a PosrtError from "config". */
export function profileOf(c: DeviceConfig): AcquirerProfile | undefined {
  if (c.profile === undefined || c.profile === "") return undefined;
  if (c.profile.indexOf("\n") >= 0) fail("config", "profile must be JSON on one line");
  let p: AcquirerProfile | undefined = undefined;
  try {
    p = parseProfile(c.profile);
  } catch (e) {
    fail("config", errorText(e));
  }
  return p;
}

function numberOf(v: string, key: string): number {
  if (!isDigits(v, 1, 9)) fail("config", key + " \"" + v + "\" is not a number");
  return Math.floor(Number(v));
}

/** Parses and checks a stored record; a missing line, a bad CRC or a bad value is a PosrtError. */
export function parseConfig(text: string): DeviceConfig {
  const vals = parseRecord("config", CONFIG_MAGIC, RECORD_KEYS, text);
  const c: DeviceConfig = {
    host: vals[0], port: numberOf(vals[1], "port"), tid: vals[2], mid: vals[3], merchant: vals[4], currency: vals[5],
    timeout_ms: numberOf(vals[6], "timeout_ms"), reversal_attempts: numberOf(vals[7], "reversal_attempts"),
    refund_max_minor: numberOf(vals[8], "refund_max_minor"), key_scheme: vals[9], await_completion: vals[10] === "1",
    profile: vals[12],
  };
  if (vals[11] !== "") c.secure_element = vals[11];
  checkConfig(c);
  return c;
}

/** The configuration in the file store, or undefined with `why` set when there is none or it is damaged. */
export function loadConfig(store: FileStore, why: string[]): DeviceConfig | undefined {
  const text = store.read(CONFIG_FILE);
  if (text === undefined) {
    why.push("no configuration in flash (posrt flash --config FILE)");
    return undefined;
  }
  let c: DeviceConfig | undefined = undefined;
  try {
    c = parseConfig(text);
  } catch (e) {
    why.push("configuration refused: " + errorText(e));
  }
  return c;
}

/** Checks and stores a new configuration; false when the store refused it. */
export function writeConfig(store: FileStore, c: DeviceConfig): boolean {
  return store.write(CONFIG_FILE, configText(c));
}

/** The acquirer's address as the link HAL takes it. */
export function addressOf(c: DeviceConfig): string {
  return c.host + ":" + c.port;
}

/** The engine's configuration; the supervisor password is the terminal's own (not in the record). */
export function txnConfigOf(c: DeviceConfig, supervisorPassword: string): TxnConfig {
  return {
    terminalId: c.tid, merchantId: c.mid, merchantName: c.merchant, currency: c.currency, timeout_ms: c.timeout_ms,
    reversalAttempts: c.reversal_attempts, refundMax_minor: c.refund_max_minor, supervisorPassword: supervisorPassword,
    keyScheme: c.key_scheme, awaitCompletion: c.await_completion,
  };
}
