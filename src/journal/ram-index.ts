// The journal's whole RAM state about flash, as recovery builds it and the journal then keeps
// it current: sector table, transaction and reversal tables, the newest META values.
// Recovery fills a RamIndex by replaying records (applyRecord); the journal takes it over.
import { RecoveryReport, newReport } from "./report";
import { AuditTable, BlobTable } from "./app-table";
import { REC_AUDIT, REC_BLOB, REC_REV, REC_REV_UPD, REC_TXN, REC_TXN_DELTA } from "./format";
import { NO_ADDR } from "./index-slots";
import { Keys, newKeys } from "./payload";
import { REV_DISARMED, RevTable } from "./rev-table";
import { SectorTable } from "./sectors";
import { TxnTable } from "./txn-table";

export class RamIndex {
  readonly sectors: SectorTable;
  readonly txns: TxnTable;
  readonly revs: RevTable;
  readonly audit: AuditTable = new AuditTable();
  readonly blobs: BlobTable = new BlobTable();
  /** Newest META values (stan_high, batch, low, closed). */
  meta: Keys = newKeys();
  metaAddr = NO_ADDR;
  /** Highest record seq applied. */
  lastSeq = 0;
  /** Next sector-header seq to use. */
  nextSectorSeq = 1;
  report: RecoveryReport = newReport();
  /** The counters as last made durable by a META record (sector headers carry these). */
  durable: Keys = newKeys();
  /** Record seqs to skip on the next write (records may be lost with an unreadable sector). */
  seqSkip = 0;
  /** STANs to skip at resume (a lost META may have reserved some). */
  stanSkip = 0;

  constructor(sectorCount: number, maxTxns: number, maxRevs: number) {
    this.sectors = new SectorTable(sectorCount);
    this.txns = new TxnTable(maxTxns);
    this.revs = new RevTable(maxRevs);
    this.meta.batch = 1;
  }

  /** Applies one valid record found at `addr` (its key fields in `k`) to the index. */
  applyRecord(type: number, k: Keys, addr: number, span: number): void {
    if (type === REC_TXN || type === REC_TXN_DELTA) {
      if (k.batch === this.meta.closed && this.txns.find(k.batch, k.stan) < 0 && type === REC_TXN) return;
      const i = this.txns.apply(k.batch, k.stan, k.state, addr, span, type === REC_TXN);
      if (i >= 0) this.txns.setHashes(i, k.rrn_h, k.orig_h);
      if (k.disarm !== 0) this.revs.apply(k.disarm, 0, 0, "", 0, REV_DISARMED, addr, span, false);
    } else if (type === REC_REV) {
      this.revs.apply(k.id, k.batch, k.stan, k.reason, k.attempts, k.state, addr, span, true);
    } else if (type === REC_REV_UPD) {
      this.revs.apply(k.id, 0, 0, k.reason, k.attempts, k.state, addr, span, false);
    } else if (type === REC_AUDIT) {
      this.audit.apply(k.id, addr, span, this.meta.audit_drop);
    } else if (type === REC_BLOB) {
      this.blobs.apply(k.slot, addr, span);
    } else {
      this.applyMeta(k, addr);
    }
  }

  /** A META record: new counters; a settlement drops its batch and the failed reversals it names. */
  applyMeta(k: Keys, addr: number): void {
    const closedBefore = this.meta.closed;
    const m = this.meta;
    m.stan_high = k.stan_high; m.batch = k.batch; m.low = k.low; m.closed = k.closed;
    m.audit_rel = k.audit_rel; m.audit_drop = k.audit_drop; m.audit_dropped = k.audit_dropped;
    this.metaAddr = addr;
    this.audit.dropThrough(k.audit_drop);
    this.setDurable(m);
    if (k.closed !== closedBefore && k.closed !== 0) this.txns.dropBatch(k.closed);
    this.revs.drop(k.dropped);
  }

  /** Header state (newer than every record before its sector): counters and a settlement a lost META may have carried. */
  applyHeader(stan_high: number, batch: number, closed: number): void {
    const m = this.meta;
    if (closed !== m.closed && closed !== 0) this.txns.dropBatch(closed);
    m.stan_high = stan_high; m.batch = batch; m.closed = closed;
    this.setDurable(m);
  }

  setDurable(m: Keys): void {
    this.durable.stan_high = m.stan_high; this.durable.batch = m.batch; this.durable.closed = m.closed;
  }

  /** Forgets every record applied so far (a second recovery pass with a higher low); sectors stay. */
  resetRecords(): void {
    this.txns.n = 0;
    this.revs.n = 0;
    this.audit.n = 0;
    this.blobs.clear();
    this.meta = newKeys();
    this.meta.batch = 1;
    this.metaAddr = NO_ADDR;
    this.lastSeq = 0;
    this.durable = newKeys();
  }
}
