// CBOR payloads of journal records: positional arrays (no keys on flash), written into
// and read from caller-owned buffers. Only these fields exist, so track data, PIN blocks
// and CVVs cannot be written: the PAN appears only sealed and masked.
import { Bytes, get, len } from "../bytes/index";
import { fail } from "../errors";
import {
  CborReader, MAJOR_BYTES, MAJOR_TEXT, MAJOR_UINT, cborReader, cborWriter, rArray, rBytes, rSkip, rUint, wArray, wBytes, wUint,
} from "../codec/cbor";
import { ReversalRecord, TxnRecord, refundedByOf } from "./api";
import { rDigits, rDigitsHash, wDigits } from "./digits";
import { REC_AUDIT, REC_BLOB, REC_META, REC_REV, REC_REV_UPD, REC_TXN, REC_TXN_DELTA } from "./format";

/** Fields of a TXN record; records written before `refundedBy` existed have one fewer (read as 0). */
export const TXN_FIELDS = 17;
/** Fields of a TXN record before its RRN (batch … time), between the RRN and the original's RRN (auth, resp, origStan), and of a delta before its RRN. */
const TXN_BEFORE_RRN = 9;
const TXN_RRN_TO_ORIG = 3;
const DELTA_BEFORE_RRN = 3;
export const TXN_DELTA_FIELDS = 8;
/** A delta that also disarms a reversal (putTxnDisarm): the reversal id follows. */
export const TXN_DELTA_DISARM_FIELDS = 9;
const TXN_FIELDS_V1 = 16;
const TXN_DELTA_FIELDS_V1 = 7;
export const REV_FIELDS = 7;
export const REV_UPD_FIELDS = 4;
export const META_FIELDS = 5;
/** META with the audit trail's state (written once the trail has released or dropped anything). */
export const META_AUDIT_FIELDS = 8;

/** Field length limits (characters or bytes), checked before anything is written. */
export const MAX_CURRENCY = 3;
export const MAX_PAN_MASKED = 19;
/** Most clear digits a masked PAN may show (first 6 + last 4). */
export const MAX_PAN_CLEAR_DIGITS = 10;
export const MAX_PAN_SEALED = 64;
export const MAX_TIME = 10;
export const MAX_RRN = 12;
export const MAX_AUTH = 6;
export const MAX_RESP = 2;
export const MAX_DATE = 4;
export const MAX_REASON = 2;
export const MAX_REQUEST_BYTES = 512;
/** Fields of an AUDIT record (payload-app.ts writes them). */
export const AUDIT_FIELDS_COUNT = 10;

/** Key fields of any record, filled by `readKeys` (one scratch object, reused). */
export interface Keys {
  batch: number;
  stan: number;
  state: number;
  id: number;
  attempts: number;
  reason: string;
  stan_high: number;
  low: number;
  closed: number;
  /** META only: reversal ids a settlement dropped (failed ones), in the same record as the close. */
  dropped: number[];
  /** META: audit records up to this id were printed (released); up to this id were dropped; how many were dropped. */
  audit_rel: number;
  audit_drop: number;
  audit_dropped: number;
  /** BLOB: the slot. */
  slot: number;
  /** TXN_DELTA: the reversal it disarms in the same record (0: none). */
  disarm: number;
  /** TXN and TXN_DELTA: hash of the RRN (digits.ts `digitsHash`); TXN only: of the original's RRN (else -1: unchanged). */
  rrn_h: number;
  orig_h: number;
}

export function newKeys(): Keys {
  return { batch: 0, stan: 0, state: 0, id: 0, attempts: 0, reason: "", stan_high: 0, low: 0, closed: 0, dropped: [], audit_rel: 0, audit_drop: 0, audit_dropped: 0, slot: 0, disarm: 0, rrn_h: 0, orig_h: -1 };
}

/** The mutable part of a transaction (what a delta record carries). */
export interface TxnDelta {
  batch: number;
  stan: number;
  state: number;
  rrn: string;
  authCode: string;
  respCode: string;
  refunded_minor: number;
  refundedBy: number;
}

export function writeTxn(b: Bytes, off: number, end: number, t: TxnRecord): number {
  const w = cborWriter(b, off, end);
  wArray(w, TXN_FIELDS);
  wUint(w, t.batch); wUint(w, t.stan); wUint(w, t.kind); wUint(w, t.state);
  wUint(w, t.amount_minor); wDigits(w, t.currency); wDigits(w, t.panMasked);
  wBytes(w, t.panSealed, 0, len(t.panSealed));
  wDigits(w, t.time); wDigits(w, t.rrn); wDigits(w, t.authCode); wDigits(w, t.respCode);
  wUint(w, t.origStan); wDigits(w, t.origRrn); wDigits(w, t.origDate); wUint(w, t.refunded_minor);
  wUint(w, refundedByOf(t));
  return w.pos - off;
}

function expectArray(r: CborReader, n: number, what: string): void {
  const got = rArray(r);
  if (got !== n) fail("journal", what + " record has " + got + " fields, expected " + n);
}

/** A TXN or TXN_DELTA array: the field count (the current one, the one before `refundedBy`, or a delta that disarms). */
function txnFields(r: CborReader, n: number, v1: number, what: string): number {
  const got = rArray(r);
  const disarm = n === TXN_DELTA_FIELDS && got === TXN_DELTA_DISARM_FIELDS;
  if (got !== n && got !== v1 && !disarm) fail("journal", what + " record has " + got + " fields, expected " + n);
  return got;
}

function expectTxnArray(r: CborReader, n: number, v1: number, what: string): boolean {
  return txnFields(r, n, v1, what) === v1;
}

export function readTxn(b: Bytes, off: number, n: number): TxnRecord {
  const r = cborReader(b, off, off + n);
  const v1 = expectTxnArray(r, TXN_FIELDS, TXN_FIELDS_V1, "txn");
  const batch = rUint(r); const stan = rUint(r); const kind = rUint(r); const state = rUint(r);
  const amount = rUint(r); const currency = rDigits(r); const masked = rDigits(r); const sealed = rBytes(r);
  const time = rDigits(r); const rrn = rDigits(r); const auth = rDigits(r); const resp = rDigits(r);
  const origStan = rUint(r); const origRrn = rDigits(r); const origDate = rDigits(r); const refunded = rUint(r);
  const refundedBy = v1 ? 0 : rUint(r);
  return {
    batch: batch, stan: stan, kind: kind, state: state, amount_minor: amount, currency: currency,
    panMasked: masked, panSealed: sealed, time: time, rrn: rrn, authCode: auth, respCode: resp,
    origStan: origStan, origRrn: origRrn, origDate: origDate, refunded_minor: refunded,
    refundedBy: refundedBy,
  };
}

/** The delta of `t`; with `disarm` not 0 it also disarms that reversal (one record for both). */
export function writeTxnDelta(b: Bytes, off: number, end: number, t: TxnRecord, disarm: number): number {
  const w = cborWriter(b, off, end);
  wArray(w, disarm !== 0 ? TXN_DELTA_DISARM_FIELDS : TXN_DELTA_FIELDS);
  wUint(w, t.batch); wUint(w, t.stan); wUint(w, t.state);
  wDigits(w, t.rrn); wDigits(w, t.authCode); wDigits(w, t.respCode); wUint(w, t.refunded_minor);
  wUint(w, refundedByOf(t));
  if (disarm !== 0) wUint(w, disarm);
  return w.pos - off;
}

/** Applies the delta at `b[off..off+n)` to `t` (in place). */
export function applyTxnDelta(b: Bytes, off: number, n: number, t: TxnRecord): void {
  const r = cborReader(b, off, off + n);
  const fields = txnFields(r, TXN_DELTA_FIELDS, TXN_DELTA_FIELDS_V1, "txn-delta");
  rUint(r); rUint(r);
  t.state = rUint(r);
  t.rrn = rDigits(r); t.authCode = rDigits(r); t.respCode = rDigits(r);
  t.refunded_minor = rUint(r);
  t.refundedBy = fields === TXN_DELTA_FIELDS_V1 ? 0 : rUint(r);
  if (fields === TXN_DELTA_DISARM_FIELDS) rUint(r);
}

export function writeRev(b: Bytes, off: number, end: number, v: ReversalRecord): number {
  const w = cborWriter(b, off, end);
  wArray(w, REV_FIELDS);
  wUint(w, v.id); wUint(w, v.batch); wUint(w, v.stan); wDigits(w, v.reason);
  wUint(w, v.attempts); wUint(w, v.state); wBytes(w, v.request, 0, len(v.request));
  return w.pos - off;
}

export function readRev(b: Bytes, off: number, n: number): ReversalRecord {
  const r = cborReader(b, off, off + n);
  expectArray(r, REV_FIELDS, "reversal");
  const id = rUint(r); const batch = rUint(r); const stan = rUint(r); const reason = rDigits(r);
  const attempts = rUint(r); const state = rUint(r); const request = rBytes(r);
  return { id: id, batch: batch, stan: stan, reason: reason, attempts: attempts, state: state, request: request };
}

export function writeRevUpd(b: Bytes, off: number, end: number, id: number, reason: string, attempts: number, state: number): number {
  const w = cborWriter(b, off, end);
  wArray(w, REV_UPD_FIELDS);
  wUint(w, id); wDigits(w, reason); wUint(w, attempts); wUint(w, state);
  return w.pos - off;
}

/**
 * META: [stan_high, batch, low, closed, [dropped reversal ids]] plus, once the audit trail has
 * state, [audit_rel, audit_drop, audit_dropped] (`dropped` is written from the argument, not from `k`).
 */
export function writeMeta(b: Bytes, off: number, end: number, k: Keys, dropped: number[]): number {
  const w = cborWriter(b, off, end);
  const audit = k.audit_rel !== 0 || k.audit_drop !== 0 || k.audit_dropped !== 0;
  wArray(w, audit ? META_AUDIT_FIELDS : META_FIELDS);
  wUint(w, k.stan_high); wUint(w, k.batch); wUint(w, k.low); wUint(w, k.closed);
  wArray(w, dropped.length);
  for (let i = 0; i < dropped.length; i++) wUint(w, dropped[i]);
  if (audit) {
    wUint(w, k.audit_rel); wUint(w, k.audit_drop); wUint(w, k.audit_dropped);
  }
  return w.pos - off;
}

/**
 * Reads the key fields of a record of `type` into `k` (request bytes and texts not needed are
 * skipped). With `whole` the payload is walked to its end and must end there (a record just
 * written); without it (recovery: the CRC already vouched for the bytes) a TXN or a delta
 * without a disarm stops after the fields the index needs (state, the RRN hashes): the rest is
 * decoded when the transaction is read (readTxn, applyTxnDelta), not for every record at boot.
 */
export function readKeys(type: number, b: Bytes, off: number, n: number, k: Keys, whole: boolean): void {
  const r = cborReader(b, off, off + n);
  if (type === REC_TXN || type === REC_TXN_DELTA) {
    if (!readTxnKeys(r, type === REC_TXN, k, whole)) return;
  } else if (type === REC_REV) {
    expectArray(r, REV_FIELDS, "reversal");
    k.id = rUint(r); k.batch = rUint(r); k.stan = rUint(r); k.reason = rDigits(r);
    k.attempts = rUint(r); k.state = rUint(r); rSkip(r);
  } else if (type === REC_REV_UPD) {
    expectArray(r, REV_UPD_FIELDS, "reversal-update");
    k.id = rUint(r); k.reason = rDigits(r); k.attempts = rUint(r); k.state = rUint(r);
  } else if (type === REC_META) {
    readMetaKeys(r, k);
  } else if (type === REC_AUDIT) {
    rArray(r);
    k.id = rUint(r);
    for (let i = 1; i < AUDIT_FIELDS_COUNT; i++) rSkip(r);
  } else if (type === REC_BLOB) {
    rArray(r);
    k.slot = rUint(r);
    rSkip(r);
  } else {
    fail("journal", "record type " + type + " unknown");
  }
  if (r.pos !== off + n) fail("journal", "record payload has " + (off + n - r.pos) + " trailing bytes");
}

/** The key fields of a TXN (`txn`) or TXN_DELTA record; false when it stopped before the end (recovery, no disarm). */
function readTxnKeys(r: CborReader, txn: boolean, k: Keys, whole: boolean): boolean {
  const fields = txnFields(r, txn ? TXN_FIELDS : TXN_DELTA_FIELDS, txn ? TXN_FIELDS_V1 : TXN_DELTA_FIELDS_V1, "txn");
  const disarm = !txn && fields === TXN_DELTA_DISARM_FIELDS;
  k.batch = rUint(r); k.stan = rUint(r);
  if (txn) rUint(r);
  k.state = rUint(r);
  const before = txn ? TXN_BEFORE_RRN : DELTA_BEFORE_RRN;
  skipPlain(r, before - (txn ? 4 : DELTA_BEFORE_RRN));
  k.rrn_h = rDigitsHash(r);
  k.orig_h = -1;
  let read = before + 1;
  if (txn) {
    skipPlain(r, TXN_RRN_TO_ORIG);
    k.orig_h = rDigitsHash(r);
    read += TXN_RRN_TO_ORIG + 1;
  }
  k.disarm = 0;
  if (!whole && !disarm) return false;
  skipPlain(r, fields - (disarm ? 1 : 0) - read);
  k.disarm = disarm ? rUint(r) : 0;
  return true;
}

/**
 * Skips `count` items, in one loop for unsigned integers and short byte or text strings (the
 * fields of a txn record between its key fields: recovery reads every one), else by rSkip.
 */
function skipPlain(r: CborReader, count: number): void {
  const b = r.buf;
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    const head = at < r.end ? get(b, at) : 0xff;
    const major = head >>> 5;
    const info = head & 31;
    const str = major === MAJOR_BYTES || major === MAJOR_TEXT;
    if (major === MAJOR_UINT && info < 24) r.pos = at + 1;
    else if (major === MAJOR_UINT && info < 28) r.pos = at + 1 + (info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 8);
    else if (str && info < 24) r.pos = at + 1 + info;
    else if (str && info === 24 && at + 1 < r.end) r.pos = at + 2 + get(b, at + 1);
    else rSkip(r);
  }
  if (r.pos > r.end) fail("journal", "txn record: a field runs past its end");
}

function readMetaKeys(r: CborReader, k: Keys): void {
  const fields = rArray(r);
  if (fields !== META_FIELDS && fields !== META_AUDIT_FIELDS) fail("journal", "meta record has " + fields + " fields, expected " + META_FIELDS + " or " + META_AUDIT_FIELDS);
  k.stan_high = rUint(r); k.batch = rUint(r); k.low = rUint(r); k.closed = rUint(r);
  const n = rArray(r);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(rUint(r));
  k.dropped = ids;
  const audit = fields === META_AUDIT_FIELDS;
  k.audit_rel = audit ? rUint(r) : 0;
  k.audit_drop = audit ? rUint(r) : 0;
  k.audit_dropped = audit ? rUint(r) : 0;
}
