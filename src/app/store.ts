// What the app keeps in the journal besides transactions: audit records and small keyed
// blobs (operators' password hashes, settings, the index of settled sales). The journal
// implements this contract (AppRecords); MemoryAppStore is a RAM stand-in for tests and for
// journals that lack it (nothing in it survives a power cut).
import { Bytes, alloc, len, slice } from "../bytes/index";
import { fail } from "../errors";
import { APP_BLOB_MAX_BYTES, APP_BLOB_SLOTS, AppRecords, AuditEntry, Journal } from "../journal/api";

/** The journal's contract for the app (src/journal/api.ts AppRecords). */
export type AppStore = AppRecords;
export { AuditEntry };

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

  auditRoom(): number {
    return MEMORY_AUDIT_MAX - (this.audit.length - this.released);
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

/** The journal as app store when it implements the contract, else `fallback`. */
export function storeOf(j: Journal, fallback: AppStore): AppStore {
  const s = j as unknown as { appendAudit?: unknown; putAppBlob?: unknown };
  return s.appendAudit !== undefined && s.putAppBlob !== undefined ? (j as unknown as AppStore) : fallback;
}
