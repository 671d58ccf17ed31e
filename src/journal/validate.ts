// Checks on what the engine asks the journal to store: bounded fields, integers in range,
// and no clear PAN (a masked PAN shows at most 6 + 4 digits).
import { Bytes, equal, len } from "../bytes/index";
import { fail } from "../errors";
import { REFUND_KEY_BATCH, TxnRecord, refundedByOf } from "./api";
import {
  MAX_AUTH, MAX_CURRENCY, MAX_DATE, MAX_PAN_CLEAR_DIGITS, MAX_PAN_MASKED, MAX_PAN_SEALED, MAX_REASON, MAX_RESP, MAX_RRN, MAX_TIME,
} from "./payload";

/** Largest batch, STAN or amount stored (amounts in minor units stay below 2^53). */
export const MAX_COUNTER = 999999;
export const MAX_AMOUNT_MINOR = 9007199254740991;

export function checkText(s: string, max: number, what: string): void {
  if (typeof s !== "string") fail("journal", what + " must be a string");
  if (s.length > max) fail("journal", what + " longer than " + max + " characters");
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) fail("journal", what + ": non-printable character at " + i);
  }
}

export function checkInt(v: number, max: number, what: string): void {
  if (typeof v !== "number" || v !== Math.floor(v) || v < 0 || v > max) fail("journal", what + " " + v + " outside 0.." + max);
}

function clearDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function checkTxnFields(t: TxnRecord): void {
  checkInt(t.batch, MAX_COUNTER, "batch");
  checkInt(t.stan, MAX_COUNTER, "stan");
  checkInt(t.kind, 255, "kind");
  checkInt(t.state, 255, "state");
  checkInt(t.amount_minor, MAX_AMOUNT_MINOR, "amount_minor");
  checkInt(t.origStan, MAX_COUNTER, "origStan");
  checkInt(t.refunded_minor, MAX_AMOUNT_MINOR, "refunded_minor");
  checkInt(refundedByOf(t), MAX_COUNTER * REFUND_KEY_BATCH + MAX_COUNTER, "refundedBy");
  checkText(t.currency, MAX_CURRENCY, "currency");
  checkText(t.panMasked, MAX_PAN_MASKED, "panMasked");
  if (clearDigits(t.panMasked) > MAX_PAN_CLEAR_DIGITS) fail("journal", "panMasked shows more than " + MAX_PAN_CLEAR_DIGITS + " digits (a clear PAN is never stored)");
  if (len(t.panSealed) > MAX_PAN_SEALED) fail("journal", "panSealed longer than " + MAX_PAN_SEALED + " bytes");
  checkText(t.time, MAX_TIME, "time");
  checkText(t.rrn, MAX_RRN, "rrn");
  checkText(t.authCode, MAX_AUTH, "authCode");
  checkText(t.respCode, MAX_RESP, "respCode");
  checkText(t.origRrn, MAX_RRN, "origRrn");
  checkText(t.origDate, MAX_DATE, "origDate");
}

export function checkReason(reason: string): void {
  checkText(reason, MAX_REASON, "reversal reason");
}

export function checkReversalFields(batch: number, stan: number, reason: string, request: Bytes, maxRequest: number): void {
  checkInt(batch, MAX_COUNTER, "batch");
  checkInt(stan, MAX_COUNTER, "stan");
  checkReason(reason);
  if (len(request) > maxRequest) fail("journal", "reversal request of " + len(request) + " bytes, at most " + maxRequest);
}

/** True when only the fields a delta record carries differ. */
export function sameImmutable(a: TxnRecord, b: TxnRecord): boolean {
  return a.batch === b.batch && a.stan === b.stan && a.kind === b.kind && a.amount_minor === b.amount_minor &&
    a.currency === b.currency && a.panMasked === b.panMasked && equal(a.panSealed, b.panSealed) && a.time === b.time &&
    a.origStan === b.origStan && a.origRrn === b.origRrn && a.origDate === b.origDate;
}

export function sameTxn(a: TxnRecord, b: TxnRecord): boolean {
  return sameImmutable(a, b) && a.state === b.state && a.rrn === b.rrn && a.authCode === b.authCode &&
    a.respCode === b.respCode && a.refunded_minor === b.refunded_minor && refundedByOf(a) === refundedByOf(b);
}
