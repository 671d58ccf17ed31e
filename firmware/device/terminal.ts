// The device application shared by the Espruino and NodeMCU entries: flash → journal →
// transaction engine + terminal app (src/app) → AppRunner on the platform HALs, plus a small
// console API for the REPL. Each entry passes its platform HALs; nothing here knows the
// platform. Portable (ES5 and Lua 5.3).
//
// Not production-ready, on purpose and visibly: the SecurityModule is software DES (unless
// posrt.cfg names a secure element: secure.ts) with the board's own keys (keys.ts: injected master key, or the TEST one in
// development builds, said at boot), and keypad and card reader are not wired: keys and test
// cards come from the console (posrt.key, posrt.card); `sale` charges a fixed TEST card
// without going through the app's screens.
import { crc32, fromText } from "../../src/bytes/index";
import { errorText } from "../../src/errors";
import { Clock } from "../../hal/clock";
import { Display } from "../../hal/display";
import { Flash } from "../../hal/flash";
import { OpenLink } from "../../hal/link";
import { Printer } from "../../hal/printer";
import { DeviceKeys, KeyEnv, SeKeyAccess } from "./keys";
import { BoardSecurity } from "./secure";
import { SecurityModule } from "../../hal/security";
import { AcquirerProfile, profileHost } from "../../src/host/profile";
import { AppRunner } from "../../src/app/runner";
import { MemoryAppStore, storeOf } from "../../src/app/store";
import { cardNames, findCard } from "../../src/app/cards";
import { Journal } from "../../src/journal/api";
import { openJournal } from "../../src/journal/recover";
import { TxnEngine } from "../../src/txn/engine";
import { pad } from "../../src/text/digits";
import { formatAmount } from "../../src/money/format";
import { Card, OP_NAMES, OP_SALE, OP_SETTLE, OP_SIGNIN, OpResult, Operation, TxnConfig } from "../../src/txn/types";

export const VERSION = "0.1.0";

/** The journal region: 16 sectors (64 KB with 4 KB sectors), as the emulator and the sim use. */
export const DEVICE_SECTOR_COUNT = 16;
export const DEVICE_JOURNAL_LIMITS = { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80 };

/** Development terminal: TEST identities that `posrt acquirer` accepts. */
export const DEVICE_CONFIG: TxnConfig = {
  terminalId: "DEV00001", merchantId: "DEVMERCHANT0001", merchantName: "POSRT DEV BOARD", currency: "156",
  timeout_ms: 30000, reversalAttempts: 3, refundMax_minor: 200000, supervisorPassword: "246810", keyScheme: "003", awaitCompletion: false,
};

/** The TEST card `sale` uses until the card reader is wired (magnetic stripe, no PIN). */
export const TEST_CARD: Card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };

export interface DeviceOptions {
  flash: Flash;
  openLink: OpenLink;
  clock: Clock;
  address: string;
  /** Where the board keeps its keys, its serial number and random source (keys.ts). */
  keys: KeyEnv;
  /** The terminal's configuration from flash (firmware/device/config.ts); DEVICE_CONFIG when absent. */
  config?: TxnConfig;
  /** The acquirer profile from the configuration (src/host/profile.ts): host codec and MAC algorithm; posrt's default when absent. */
  profile?: AcquirerProfile;
  printer?: Printer;
  display?: Display;
  log: (this: void, line: string) => void;
  /** App and engine hand work over in tasks of their own (src/app/runner.ts; Espruino: less memory at once). */
  handoffTasks?: boolean;
  /**
   * Only on a board whose configuration names a secure element (secure.ts): opens it on the
   * board's keys, or says in one line why not and gives undefined (software DES, as without it).
   */
  secure?: (this: void, keys: SeKeyAccess, mac_algorithm: string | undefined) => BoardSecurity | undefined;
}

/** Start-up self-check: CRC-32 of "123456789" must be CBF43926. */
export function selfTest(): boolean {
  return crc32(fromText("123456789")) === 0xcbf43926;
}

function operation(kind: number, amount_minor: number, card?: Card): Operation {
  return { op: kind, amount_minor: amount_minor, card: card, origStan: 0, password: "", origRrn: "", origDate: "" };
}

function resultLine(r: OpResult): string {
  const code = r.code !== "" ? " " + r.code : "";
  const stan = r.stan > 0 ? " trace " + pad(r.stan, 6) : "";
  return OP_NAMES[r.op] + ": " + (r.ok ? "OK" : "NOT OK") + code + stan + " " + r.text;
}

/** The running terminal as the console sees it. */
export class DeviceTerminal {
  private o: DeviceOptions;
  private journal: Journal;
  private engine: TxnEngine;
  private runner: AppRunner;
  private last: string;
  readonly keys: DeviceKeys;
  /** The secure element's SecurityModule, when the board has one that answered. */
  private se?: BoardSecurity;

  constructor(o: DeviceOptions) {
    this.o = o;
    this.last = "";
    const host = profileHost(o.profile);
    let open = o.secure;
    let access: SeKeyAccess | undefined = undefined;
    this.keys = new DeviceKeys(o.keys, host.mac_algorithm, open === undefined ? undefined : (a: SeKeyAccess) => {
      access = a;
    });
    o.log("posrt " + VERSION + " " + this.keys.banner());
    if (this.keys.dropped !== "") o.log("posrt: stored working keys dropped (" + this.keys.dropped + "): sign in");
    // no property on a board without an SE (a property costs Espruino variables)
    const se = open !== undefined && access !== undefined ? open(access, host.mac_algorithm) : undefined;
    if (se !== undefined) this.se = se;
    // the options (this.o) and this scope (kept by the closures below) stay referenced: let the
    // opener, the key access and what they hold go (Espruino keeps a closure's whole scope)
    if (open !== undefined) o.secure = undefined;
    open = undefined;
    access = undefined;
    const security: SecurityModule = se !== undefined ? se : this.keys;
    this.journal = openJournal(o.flash, DEVICE_JOURNAL_LIMITS);
    this.runner = new AppRunner({
      journal: this.journal, store: storeOf(this.journal, new MemoryAppStore()), security: security, codec: host.codec,
      config: o.config !== undefined ? o.config : DEVICE_CONFIG,
      openLink: o.openLink, address: o.address, clock: o.clock, printer: o.printer, display: o.display,
      onResult: (r: OpResult) => this.result(r), handoffTasks: o.handoffTasks,
    });
    this.engine = this.runner.engine;
    this.runner.start();
  }

  private result(r: OpResult): void {
    this.last = resultLine(r);
    this.o.log(this.last);
  }

  /** A key as the keypad would give it ("0".."9", "00", ".", "enter", "cancel", "clear", "back", "up", "down", "f1".."f4"). */
  key(k: string): void {
    this.runner.key(k);
  }

  /** A test card event: kind swipe | insert | tap | remove, `name` from `posrt cards` (not for remove). */
  card(kind: string, name: string): string {
    if (kind !== "remove" && kind !== "swipe" && kind !== "insert" && kind !== "tap") return "kind must be swipe, insert, tap or remove";
    const c = kind === "remove" ? undefined : findCard(name);
    if (kind !== "remove" && c === undefined) return "unknown card " + name + " (" + cardNames() + ")";
    this.runner.card(kind, c);
    return "";
  }

  /** The display rows. */
  screen(): string[] {
    return this.runner.screen();
  }

  /** Loads a key injected over the console (keys.ts); "" when loaded, else why not. */
  inject(name: string, hex: string, kcv: string, under: string): string {
    const why = this.keys.inject(name, hex, kcv, under);
    return why === "" && this.se !== undefined ? this.se.keysChanged() : why;
  }

  signIn(): void {
    this.runner.operate(operation(OP_SIGNIN, 0));
  }

  /** A sale of `amount_minor` (e.g. 1234 = 12.34) on the TEST card. */
  sale(amount_minor: number): void {
    this.runner.operate(operation(OP_SALE, amount_minor, TEST_CARD));
  }

  settle(): void {
    this.runner.operate(operation(OP_SETTLE, 0));
  }

  /** One line: batch, transactions and their total, reversals, fill, keys, link, last result. */
  status(): string {
    const j = this.journal;
    let total = 0;
    const n = j.txnSlots();
    for (let i = 0; i < n; i++) {
      const t = j.txnAt(i, 0);
      if (t !== undefined) total = total + t.amount_minor;
    }
    const link = this.runner.linkError();
    return "batch " + pad(j.batch(), 6) + ", " + j.countTxns(0) + " txn(s) " + formatAmount(total) + ", " + j.countPendingReversals() +
      " reversal(s) pending, journal " + j.fillPercent() + "% full, " + (this.engine.needsSignIn() ? "sign-in needed" : "signed in") +
      (link !== "" ? ", link " + link : "") + (this.last !== "" ? ", last " + this.last : "");
  }
}

/** Boots the terminal; a failure (flash, journal) is logged and returns undefined. */
export function bootDevice(o: DeviceOptions): DeviceTerminal | undefined {
  if (!selfTest()) {
    o.log("posrt " + VERSION + " SELF-TEST FAILED");
    return undefined;
  }
  try {
    const t = new DeviceTerminal(o);
    o.log("posrt " + VERSION + " ready: " + t.status());
    return t;
  } catch (e) {
    o.log("posrt " + VERSION + " boot failed: " + errorText(e));
    return undefined;
  }
}
