// CBOR payloads of the app's records: audit entries and keyed blobs (positional arrays).
import { Bytes, len } from "../bytes/index";
import { fail } from "../errors";
import { cborReader, cborWriter, rArray, rBytes, rText, rUint, wArray, wBytes, wText, wUint } from "../codec/cbor";
import {
  APP_BLOB_MAX_BYTES, APP_BLOB_SLOTS, AUDIT_KINDS, AUDIT_MAX_OPERATOR, AUDIT_MAX_OUTCOME, AUDIT_MAX_REASON, AuditEntry, AuditKind,
} from "./api";
import { AUDIT_FIELDS_COUNT, MAX_RRN } from "./payload";
import { MAX_AMOUNT_MINOR, MAX_COUNTER, checkInt, checkText } from "./validate";

export const AUDIT_FIELDS = AUDIT_FIELDS_COUNT;
export const BLOB_FIELDS = 2;
/** Largest t_s stored (seconds; u32). */
export const MAX_TIME_S = 4294967295;

export function checkAudit(e: AuditEntry): void {
  checkInt(e.t_s, MAX_TIME_S, "audit t_s");
  checkText(e.operator, AUDIT_MAX_OPERATOR, "audit operator");
  if (AUDIT_KINDS.indexOf(e.kind) < 0) fail("journal", "audit kind \"" + e.kind + "\" is not one of " + AUDIT_KINDS.join(", "));
  checkText(e.reason, AUDIT_MAX_REASON, "audit reason");
  checkInt(e.batch, MAX_COUNTER, "audit batch");
  checkInt(e.stan, MAX_COUNTER, "audit stan");
  checkText(e.rrn, MAX_RRN, "audit rrn");
  checkInt(e.amount_minor, MAX_AMOUNT_MINOR, "audit amount_minor");
  checkText(e.outcome, AUDIT_MAX_OUTCOME, "audit outcome");
}

export function checkBlob(slot: number, b: Bytes): void {
  checkInt(slot, APP_BLOB_SLOTS - 1, "app blob slot");
  if (len(b) > APP_BLOB_MAX_BYTES) fail("journal", "app blob of " + len(b) + " bytes, at most " + APP_BLOB_MAX_BYTES);
}

/** AUDIT: [id, t_s, operator, kind, reason, batch, stan, rrn, amount_minor, outcome]. */
export function writeAudit(b: Bytes, off: number, end: number, id: number, e: AuditEntry): number {
  const w = cborWriter(b, off, end);
  wArray(w, AUDIT_FIELDS);
  wUint(w, id); wUint(w, e.t_s); wText(w, e.operator); wUint(w, AUDIT_KINDS.indexOf(e.kind)); wText(w, e.reason);
  wUint(w, e.batch); wUint(w, e.stan); wText(w, e.rrn); wUint(w, e.amount_minor); wText(w, e.outcome);
  return w.pos - off;
}

export function readAudit(b: Bytes, off: number, n: number): AuditEntry {
  const r = cborReader(b, off, off + n);
  if (rArray(r) !== AUDIT_FIELDS) fail("journal", "audit record has the wrong field count");
  rUint(r);
  const t = rUint(r); const op = rText(r); const kind = rUint(r); const reason = rText(r);
  const batch = rUint(r); const stan = rUint(r); const rrn = rText(r); const amount = rUint(r); const outcome = rText(r);
  if (kind >= AUDIT_KINDS.length) fail("journal", "audit record with kind " + kind);
  const k = AUDIT_KINDS[kind] as AuditKind;
  return { t_s: t, operator: op, kind: k, reason: reason, batch: batch, stan: stan, rrn: rrn, amount_minor: amount, outcome: outcome };
}

/** BLOB: [slot, bytes]. */
export function writeBlob(b: Bytes, off: number, end: number, slot: number, data: Bytes): number {
  const w = cborWriter(b, off, end);
  wArray(w, BLOB_FIELDS);
  wUint(w, slot); wBytes(w, data, 0, len(data));
  return w.pos - off;
}

export function readBlob(b: Bytes, off: number, n: number): Bytes {
  const r = cborReader(b, off, off + n);
  if (rArray(r) !== BLOB_FIELDS) fail("journal", "blob record has the wrong field count");
  rUint(r);
  return rBytes(r);
}
