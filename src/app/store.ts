// What the app keeps in the journal besides transactions: audit records and small keyed
// blobs (operators' password hashes, settings, the index of settled sales). The journal
// implements this contract; MemoryAppStore is a RAM stand-in for tests and for journals
// that lack it (nothing in it survives a power cut).
import { Bytes, alloc, len, slice } from "../bytes/index";
import { fail } from "../errors";

export interface AuditEntry {
  t_s: number;
  operator: string;
  kind: "void" | "refund" | "reversal" | "abort";
  reason: string;
  batch: number;
  stan: number;
  rrn: string;
  amount_minor: number;
  outcome: string;
}

export interface AppStore {
  appendAudit(e: AuditEntry): void;
  auditEntries(): AuditEntry[];
  auditDropped(): number;
  /** Entries up to `upToSeq` (a count of entries as auditEntries() listed them) may be dropped. */
  releaseAudit(upToSeq: number): void;
  putAppBlob(slot: number, b: Bytes): void;
  getAppBlob(slot: number): Bytes | undefined;
}

export const APP_BLOB_SLOTS = 8;
export const APP_BLOB_MAX_BYTES = 256;
/** Most audit records the RAM store keeps. */
export const MEMORY_AUDIT_MAX = 64;

export class MemoryAppStore implements AppStore {
  private audit: AuditEntry[] = [];
  private released = 0;
  private dropped = 0;
  private blobs: Bytes[] = [];
  private has: boolean[] = [];

  constructor() {
    for (let i = 0; i < APP_BLOB_SLOTS; i++) {
      this.blobs.push(alloc(0));
      this.has.push(false);
    }
  }

  appendAudit(e: AuditEntry): void {
    if (this.audit.length >= MEMORY_AUDIT_MAX) {
      if (this.released === 0) fail("audit", "audit trail full — print the settlement report");
      this.audit.shift();
      this.released--;
      this.dropped++;
    }
    this.audit.push(e);
  }

  auditEntries(): AuditEntry[] {
    return this.audit.slice(0);
  }

  auditDropped(): number {
    return this.dropped;
  }

  releaseAudit(upToSeq: number): void {
    if (upToSeq > this.released) this.released = upToSeq > this.audit.length ? this.audit.length : upToSeq;
  }

  putAppBlob(slot: number, b: Bytes): void {
    if (slot < 0 || slot >= APP_BLOB_SLOTS) fail("app blob", "slot " + slot + " outside 0.." + (APP_BLOB_SLOTS - 1));
    if (len(b) > APP_BLOB_MAX_BYTES) fail("app blob", "more than " + APP_BLOB_MAX_BYTES + " bytes");
    this.blobs[slot] = slice(b, 0, len(b));
    this.has[slot] = true;
  }

  getAppBlob(slot: number): Bytes | undefined {
    if (slot < 0 || slot >= APP_BLOB_SLOTS || !this.has[slot]) return undefined;
    return slice(this.blobs[slot], 0, len(this.blobs[slot]));
  }
}
