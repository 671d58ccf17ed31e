// Operators and their passwords. Operator 00 is the supervisor (6 digits), 01..99 are
// cashiers (4 digits). Passwords are kept only as hashes in app blob slot OPERATOR_SLOT:
// a record per operator that differs from the development default (01..99: 0000,
// 00: 123456) or has wrong tries counted. Five wrong tries lock a cashier until the
// supervisor unlocks; the supervisor is never locked out, only slowed down.
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

  constructor(st: AppStore) {
    this.st = st;
    this.recs = [];
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

  /**
   * The record of `no`; when none is stored, a new one (kept when room) holding `hash`, else
   * the default password's hash (computed only then: 16 3DES rounds).
   */
  private rec(no: number, hash?: Bytes): OperatorRecord {
    const s = this.stored(no);
    if (s !== undefined) return s;
    const r = { no: no, tries: 0, hash: hash !== undefined ? hash : passwordHash(no, defaultPassword(no)) };
    if (this.recs.length < MAX_OPERATOR_RECORDS) this.recs.push(r);
    return r;
  }

  /** True when cashier `no` is locked after too many wrong tries. */
  locked(no: string): boolean {
    return no !== SUPERVISOR && this.tries(no) >= MAX_TRIES;
  }

  /** Wrong tries counted for `no`. */
  tries(no: string): number {
    const r = this.stored(parseInt(no, 10));
    return r === undefined ? 0 : r.tries;
  }

  /** Checks a password; counts a wrong try (kept across power cuts), clears them on success. */
  check(no: string, password: string): boolean {
    const n = parseInt(no, 10);
    const r = this.stored(n);
    // without a stored record the password is the default one: no hash needed (16 3DES rounds each)
    const ok = password.length === passwordDigits(no) && (r === undefined ? password === defaultPassword(n) : equal(passwordHash(n, password), r.hash));
    if (ok && (r === undefined || r.tries === 0)) return true;
    const w = this.rec(n);
    w.tries = ok ? 0 : w.tries + 1 > 255 ? 255 : w.tries + 1;
    this.save();
    return ok;
  }

  /** Sets a new password for `no` (one hash: an operator without a record gets the new password's, not the default's first). */
  setPassword(no: string, password: string): void {
    const n = parseInt(no, 10);
    const hash = passwordHash(n, password);
    const r = this.rec(n, hash);
    r.hash = hash;
    r.tries = 0;
    this.save();
  }

  /** The supervisor unlocks cashier `no`. */
  unlock(no: string): void {
    const r = this.rec(parseInt(no, 10));
    r.tries = 0;
    this.save();
  }
}
