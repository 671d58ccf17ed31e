// The app's records in the journal (api.ts `AppRecords`): the audit trail and keyed blobs.
// Audit records are kept (copied forward by reclaim) until released by a printed settlement
// report and then dropped only to make room, oldest first, each drop counted in META.
import { Bytes, len } from "../bytes/index";
import { fail } from "../errors";
import { APP_BLOB_SLOTS, AUDIT_FULL, AUDIT_MAX, AuditEntry } from "./api";
import { RECORD_HEAD_BYTES, REC_AUDIT, REC_BLOB, recordSpan } from "./format";
import { NO_ADDR } from "./index-slots";
import { FlashLog } from "./log";
import { checkAudit, checkBlob, readAudit, readBlob, writeAudit, writeBlob } from "./payload-app";
import { RamIndex } from "./ram-index";

/** What the app records need from the journal that holds them. */
export interface AppHost {
  /** Refuses (JOURNAL_FULL) when `extra` more bytes would not fit. */
  admit(extra: number): void;
  /** Appends a META record with the current counters. */
  appendMeta(): void;
}

export class AppRecordStore {
  private readonly log: FlashLog;
  private readonly idx: RamIndex;

  constructor(log: FlashLog, idx: RamIndex) {
    this.log = log;
    this.idx = idx;
  }

  appendAudit(host: AppHost, e: AuditEntry): void {
    checkAudit(e);
    const a = this.idx.audit;
    const m = this.idx.meta;
    if (a.n >= AUDIT_MAX) {
      const oldest = a.id(0);
      if (oldest > m.audit_rel) fail("journal", AUDIT_FULL);
      m.audit_drop = oldest;
      m.audit_dropped++;
      host.appendMeta();
      a.dropThrough(oldest);
    }
    const wbuf = this.log.b.wbuf;
    const id = this.log.nextSeq;
    const n = writeAudit(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, id, e);
    const span = recordSpan(n, this.log.g.prog_bytes);
    host.admit(span);
    const addr = this.log.append(REC_AUDIT, n, false);
    a.apply(id, addr, span, m.audit_drop);
  }

  auditEntries(): AuditEntry[] {
    const a = this.idx.audit;
    const out: AuditEntry[] = [];
    for (let i = 0; i < a.n; i++) out.push(this.loadAudit(i));
    return out;
  }

  auditDropped(): number {
    return this.idx.meta.audit_dropped;
  }

  auditRoom(): number {
    const a = this.idx.audit;
    let unreleased = 0;
    for (let i = 0; i < a.n; i++) if (a.id(i) > this.idx.meta.audit_rel) unreleased++;
    return AUDIT_MAX - unreleased;
  }

  releaseAudit(host: AppHost, upToSeq: number): void {
    if (typeof upToSeq !== "number" || upToSeq !== Math.floor(upToSeq) || upToSeq < 0) fail("journal", "releaseAudit: " + upToSeq + " is not a count of entries");
    const a = this.idx.audit;
    const k = Math.min(upToSeq, a.n);
    if (k === 0 || a.id(k - 1) <= this.idx.meta.audit_rel) return;
    this.idx.meta.audit_rel = a.id(k - 1);
    host.appendMeta();
  }

  putAppBlob(host: AppHost, slot: number, data: Bytes): void {
    checkBlob(slot, data);
    const wbuf = this.log.b.wbuf;
    const n = writeBlob(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, slot, data);
    const span = recordSpan(n, this.log.g.prog_bytes);
    const old = this.idx.blobs.span(slot);
    if (span > old) host.admit(span - old);
    const addr = this.log.append(REC_BLOB, n, false);
    this.idx.blobs.apply(slot, addr, span);
  }

  getAppBlob(slot: number): Bytes | undefined {
    if (typeof slot !== "number" || slot !== Math.floor(slot) || slot < 0 || slot >= APP_BLOB_SLOTS || !this.idx.blobs.has(slot)) return undefined;
    const n = this.log.readRecord(this.idx.blobs.addr(slot), REC_BLOB);
    return readBlob(this.log.b.rbuf, RECORD_HEAD_BYTES, n);
  }

  /** Bytes the capacity rule charges for the app's records. */
  charged(): number {
    return this.idx.audit.charged() + this.idx.blobs.charged();
  }

  /** Reclaim: copies the app records that live in sector `s` forward. */
  copyFrom(s: number): void {
    const a = this.idx.audit;
    const wbuf = this.log.b.wbuf;
    for (let i = 0; i < a.n; i++) {
      if (!this.inSector(a.addr(i), s)) continue;
      const id = a.id(i);
      const e = this.loadAudit(i);
      const n = writeAudit(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, id, e);
      a.apply(id, this.log.append(REC_AUDIT, n, true), recordSpan(n, this.log.g.prog_bytes), this.idx.meta.audit_drop);
    }
    const bl = this.idx.blobs;
    for (let slot = 0; slot < APP_BLOB_SLOTS; slot++) {
      if (!this.inSector(bl.addr(slot), s)) continue;
      const data = this.getAppBlob(slot) as Bytes;
      const n = writeBlob(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, slot, data);
      bl.apply(slot, this.log.append(REC_BLOB, n, true), recordSpan(n, this.log.g.prog_bytes));
    }
  }

  private loadAudit(i: number): AuditEntry {
    const n = this.log.readRecord(this.idx.audit.addr(i), REC_AUDIT);
    return readAudit(this.log.b.rbuf, RECORD_HEAD_BYTES, n);
  }

  private inSector(addr: number, s: number): boolean {
    return addr !== NO_ADDR && Math.floor(addr / this.log.g.sector_bytes) === s;
  }
}
