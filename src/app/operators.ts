// Operators and their passwords. Operator 00 is the supervisor (6 digits), 01..99 are
// cashiers (4 digits). Passwords are kept only as hashes in app blob slot OPERATOR_SLOT:
// a record per operator that differs from the development default (01..99: 0000,
// 00: 123456) or has wrong tries counted. Five wrong tries lock a cashier until the
// supervisor unlocks; the supervisor is never locked out, only slowed down.
//
// The slot holds at most MAX_OPERATOR_RECORDS records, and no other slot is free. A record
// that carries nothing (the default password again, no wrong tries) is dropped: when an
// operator sets the default password, signs on with it, or is unlocked while having it (unlock
// computes the default's hash, 16 3DES rounds, only when there were tries to clear). When the
// table is full:
// - setPassword of an operator without a record changes nothing and returns false (the menu
//   says so); setting the default password never needs room.
// - wrong tries of an operator without a record are counted in RAM (one byte per operator
//   number 00..99, so the count can never be pushed out by other operators), with the same
//   lockout: five lock a cashier until the supervisor unlocks, or until power-on. An attacker
//   thus gets at most MAX_TRIES guesses per power cycle (with a record: per unlock), and a
//   cashier who mistypes is treated as with a record. Every operator number has its byte, so
//   no eviction can reset a count (a smaller table would need one). When a record is kept for
//   the operator again, the RAM count moves into it.
//
// Hash: 16 rounds of 3DES over a block of the operator number, each round keyed with the
// password and the round's output (a slow, one-way function of the password, 8 bytes).
// Key bytes are shifted left by one: DES ignores each byte's low (parity) bit.
// Four digits are few: the hash keeps the password out of clear, it does not make it strong.
import { Bytes, alloc, equal, fromAscii, get, len, set, slice } from "../bytes/index";
import { ecb, tdesKey } from "../crypto/index";
import { AppStore } from "./store";

export const OPERATOR_SLOT = 0;
export const SUPERVISOR = "00";
export const DEFAULT_OPERATOR_PASSWORD = "0000";
export const DEFAULT_SUPERVISOR_PASSWORD = "123456";
export const MAX_TRIES = 5;
/** Bytes of one operator record: number, wrong tries, hash (8). */
const REC_BYTES = 10;
const HASH_BYTES = 8;
/** Most operator records (one 256-byte slot). */
export const MAX_OPERATOR_RECORDS = 25;
/** Operator numbers 00..99: the bound of the RAM tries table. */
const OPERATOR_NUMBERS = 100;
/** The menu's answer when setPassword could not keep a new password (two display rows). */
export const OPERATORS_FULL_TEXT = "Operator table full: password not changed.";
const HASH_ROUNDS = 16;

export interface OperatorRecord {
  no: number;
  tries: number;
  hash: Bytes;
}

/** The password hash of operator `no`. */
export function passwordHash(no: number, password: string): Bytes {
  let block = alloc(8);
  set(block, 0, no);
  const pw = fromAscii(password + "        ", "operator");
  const keyBytes = alloc(16);
  for (let r = 0; r < HASH_ROUNDS; r++) {
    for (let i = 0; i < 8; i++) {
      set(keyBytes, i, (get(pw, i) << 1) & 255);
      set(keyBytes, 8 + i, ((get(block, i) ^ r) << 1) & 255);
    }
    block = ecb(tdesKey(keyBytes), block, false);
  }
  return block;
}

/** The development default password of operator `no` (the supervisor's is longer). */
function defaultPassword(no: number): string {
  return no === 0 ? DEFAULT_SUPERVISOR_PASSWORD : DEFAULT_OPERATOR_PASSWORD;
}

/** True when `no` is a valid operator number string ("00".."99"). */
export function validOperator(no: string): boolean {
  return no.length === 2 && no.charCodeAt(0) >= 48 && no.charCodeAt(0) <= 57 && no.charCodeAt(1) >= 48 && no.charCodeAt(1) <= 57;
}

/** Digits a password of operator `no` has. */
export function passwordDigits(no: string): number {
  return no === SUPERVISOR ? 6 : 4;
}

export class Operators {
  private st: AppStore;
  private recs: OperatorRecord[];
  /** Wrong tries of operators without a record while the table is full, by number (made on first need). */
  private ram: Bytes | undefined;

  constructor(st: AppStore) {
    this.st = st;
    this.recs = [];
    this.ram = undefined;
    this.load();
  }

  private load(): void {
    this.recs = [];
    const b = this.st.getAppBlob(OPERATOR_SLOT);
    if (b === undefined) return;
    const n = Math.floor(len(b) / REC_BYTES);
    for (let i = 0; i < n && i < MAX_OPERATOR_RECORDS; i++) {
      this.recs.push({ no: get(b, i * REC_BYTES), tries: get(b, i * REC_BYTES + 1), hash: slice(b, i * REC_BYTES + 2, HASH_BYTES) });
    }
  }

  private save(): void {
    const b = alloc(this.recs.length * REC_BYTES);
    for (let i = 0; i < this.recs.length; i++) {
      const r = this.recs[i];
      set(b, i * REC_BYTES, r.no);
      set(b, i * REC_BYTES + 1, r.tries);
      for (let k = 0; k < HASH_BYTES; k++) set(b, i * REC_BYTES + 2 + k, get(r.hash, k));
    }
    this.st.putAppBlob(OPERATOR_SLOT, b);
  }

  /** The stored record of `no`, if any. */
  private stored(no: number): OperatorRecord | undefined {
    for (let i = 0; i < this.recs.length; i++) if (this.recs[i].no === no) return this.recs[i];
    return undefined;
  }

  /** Drops the record of `no` (it carries nothing); true when there was one. */
  private drop(no: number): boolean {
    for (let i = 0; i < this.recs.length; i++) {
      if (this.recs[i].no === no) {
        this.recs.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Wrong tries of `no` counted in RAM (no record, table full). */
  private ramTries(no: number): number {
    return this.ram === undefined ? 0 : get(this.ram, no);
  }

  private setRamTries(no: number, tries: number): void {
    if (this.ram === undefined) {
      if (tries === 0) return;
      this.ram = alloc(OPERATOR_NUMBERS);
    }
    set(this.ram, no, tries);
  }

  /** True when the table has room for one more record. */
  hasRoom(): boolean {
    return this.recs.length < MAX_OPERATOR_RECORDS;
  }

  /** True when cashier `no` is locked after too many wrong tries. */
  locked(no: string): boolean {
    return no !== SUPERVISOR && this.tries(no) >= MAX_TRIES;
  }

  /** Wrong tries counted for `no` (in its record, or in RAM when it has none). */
  tries(no: string): number {
    const n = parseInt(no, 10);
    const r = this.stored(n);
    return r === undefined ? this.ramTries(n) : r.tries;
  }

  /**
   * Checks a password; counts a wrong try (kept across power cuts when the table has room,
   * else in RAM), clears them on success. Success with the default password drops the record.
   */
  check(no: string, password: string): boolean {
    const n = parseInt(no, 10);
    const r = this.stored(n);
    // without a stored record the password is the default one: no hash needed (16 3DES rounds each)
    const ok = password.length === passwordDigits(no) && (r === undefined ? password === defaultPassword(n) : equal(passwordHash(n, password), r.hash));
    if (ok) {
      this.setRamTries(n, 0);
      if (r === undefined) return true;
      if (password === defaultPassword(n)) this.drop(n);
      else if (r.tries === 0) return true;
      else r.tries = 0;
      this.save();
      return true;
    }
    this.wrongTry(n, r);
    return false;
  }

  /** Counts a wrong try of `n`: in its record, a new record when room (the default's hash), else in RAM. */
  private wrongTry(n: number, r: OperatorRecord | undefined): void {
    if (r === undefined && !this.hasRoom()) {
      const t = this.ramTries(n);
      this.setRamTries(n, t >= 255 ? 255 : t + 1);
      return;
    }
    const w = r !== undefined ? r : { no: n, tries: this.ramTries(n), hash: passwordHash(n, defaultPassword(n)) };
    if (r === undefined) this.recs.push(w);
    w.tries = w.tries >= 255 ? 255 : w.tries + 1;
    this.setRamTries(n, 0);
    this.save();
  }

  /**
   * Sets a new password for `no`; false when it could not be kept (the table is full and `no`
   * has no record): then nothing changed. The default password drops the record instead (no
   * room needed, no hash). Otherwise one hash, also for an operator without a record.
   */
  setPassword(no: string, password: string): boolean {
    const n = parseInt(no, 10);
    const r = this.stored(n);
    if (password === defaultPassword(n)) {
      this.setRamTries(n, 0);
      if (this.drop(n)) this.save();
      return true;
    }
    if (r === undefined && !this.hasRoom()) return false;
    const hash = passwordHash(n, password);
    if (r === undefined) this.recs.push({ no: n, tries: 0, hash: hash });
    else {
      r.hash = hash;
      r.tries = 0;
    }
    this.setRamTries(n, 0);
    this.save();
    return true;
  }

  /**
   * The supervisor unlocks `no`: its wrong tries are cleared; a record left with the default
   * password is dropped (the default's hash is computed only then: 16 3DES rounds).
   */
  unlock(no: string): void {
    const n = parseInt(no, 10);
    this.setRamTries(n, 0);
    const r = this.stored(n);
    if (r === undefined || r.tries === 0) return;
    r.tries = 0;
    if (equal(r.hash, passwordHash(n, defaultPassword(n)))) this.drop(n);
    this.save();
  }
}
