// The power-loss-safe journal on NOR flash (implements api.ts `Journal`).
//
// Log: sectors become the head one after another (header seq 1, 2, …, each linking to the
// sector it continues, prev_seq/prev_end); records are appended, never rewritten (log.ts).
// Sectors are reclaimed oldest first: live records are copied forward, a META record makes
// the new "low" durable, and only then may the old sector be erased (lazily, when it becomes
// a head). Recovery (scan.ts) builds the RAM index; the journal takes it over (recover.ts).
// RAM: fixed tables sized at open (txn-table.ts, rev-table.ts, sectors.ts); nothing grows with records written.
import { Bytes, len, ramBytes } from "../bytes/index";
import { fail } from "../errors";
import { Flash, FlashGeometry } from "../../hal/flash";
import {
  AppRecords, AuditEntry, Journal, JournalConfig, ReversalRecord, TxnRecord, REV_COMPLETED, REV_FAILED, REV_PENDING,
} from "./api";
import { AppHost, AppRecordStore } from "./app-records";
import { RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_META, REC_REV, REC_REV_UPD, recordSpan } from "./format";
import { Buffers, Layout, RESERVE_SECTORS } from "./layout";
import { FlashLog, JOURNAL_FULL, JournalStats } from "./log";
import {
  MAX_REQUEST_BYTES, writeMeta, writeRev, writeRevUpd,
} from "./payload";
import { RamIndex } from "./ram-index";
import { Reclaimer, loadRev, loadTxn } from "./reclaim";
import { RecoveryReport } from "./report";
import { REV_DISARMED, RevTable } from "./rev-table";
import { SectorTable } from "./sectors";
import { TxnTable } from "./txn-table";
import { checkReason, checkReversalFields, checkTxnFields } from "./validate";
import { DELTA_CHARGE_BYTES, TxnWriter } from "./txn-writes";

export { JOURNAL_FULL, JournalStats } from "./log";
export { MAX_SLOTS, RESERVE_SECTORS } from "./layout";
export { MAX_REPORTS, RecoveryReport } from "./report";
export { REV_DISARMED } from "./rev-table";
export { DELTA_CHARGE_BYTES } from "./txn-writes";

const NO_IDS: number[] = [];
export const STAN_MAX = 999999;
export const BATCH_MAX = 999999;
/** STANs reserved per META record; a restart skips the unused rest of the block. */
export const STAN_BLOCK = 32;
/** Capacity charged per reversal for its updates, and for the META record. */
export const UPD_CHARGE_BYTES = 24;
export const META_CHARGE_BYTES = 32;
/** RAM cost counted per number slot of the fixed arrays (a Lua TValue). */
export const NUMBER_SLOT_BYTES = 16;

export interface JournalOptions extends JournalConfig {
  /** Recover and read only: no head is opened, every write is refused (for dump). */
  read_only?: boolean;
}

export class FlashJournal implements Journal, AppRecords, AppHost {
  readonly flash: Flash;
  readonly g: FlashGeometry;
  readonly l: Layout;
  readonly b: Buffers;
  readonly maxTxns: number;
  readonly maxRevs: number;
  readonly warnPercent: number;
  readonly readOnly: boolean;
  /** The RAM index recovery built; kept current by every write. */
  readonly idx: RamIndex;
  readonly log: FlashLog;
  readonly app: AppRecordStore;
  readonly reclaimer: Reclaimer;
  private readonly tw: TxnWriter;
  readonly sectors: SectorTable;
  private readonly tt: TxnTable;
  private readonly rt: RevTable;
  /** What recovery found. */
  readonly report: RecoveryReport;
  /** Counters for benchmarks. */
  readonly stats: JournalStats;
  stan = 0;
  stanLeft = 0;

  /** Takes over the index recovery built from `flash` (see recover.ts `openJournal`). */
  constructor(flash: Flash, o: JournalOptions, l: Layout, b: Buffers, idx: RamIndex) {
    this.flash = flash;
    this.g = l.g;
    this.l = l;
    this.b = b;
    this.maxTxns = o.maxTxnsPerBatch;
    this.maxRevs = o.maxReversals;
    this.warnPercent = o.warnFillPercent;
    this.readOnly = o.read_only === true;
    this.idx = idx;
    this.sectors = idx.sectors;
    this.tt = idx.txns;
    this.rt = idx.revs;
    this.log = new FlashLog(flash, l, b, idx, this.readOnly);
    this.app = new AppRecordStore(this.log, idx);
    this.reclaimer = new Reclaimer(this.log, idx, this.app);
    this.tw = new TxnWriter(this.log, this.tt, this.maxTxns);
    this.report = idx.report;
    this.stats = this.log.stats;
    this.resumeCounters();
  }

  // ---- public API (api.ts) ----

  nextStan(): number {
    this.writable();
    if (this.stanLeft === 0) {
      this.idx.meta.stan_high = wrapStan(this.stan + STAN_BLOCK);
      this.appendMeta();
      this.stanLeft = STAN_BLOCK;
      this.maintainReserve();
    }
    this.stan = wrapStan(this.stan + 1);
    this.stanLeft--;
    return this.stan;
  }

  batch(): number {
    return this.idx.meta.batch;
  }

  setBatch(batch: number): void {
    this.writable();
    if (batch !== Math.floor(batch) || batch < 1 || batch > BATCH_MAX) fail("journal", "batch " + batch + " outside 1.." + BATCH_MAX);
    this.idx.meta.batch = batch;
    this.appendMeta();
    this.appendMeta();
    this.maintainReserve();
  }

  putTxn(t: TxnRecord): void {
    this.writable();
    checkTxnFields(t);
    if (t.batch === this.idx.meta.closed) fail("journal", "batch " + t.batch + " is closed");
    this.tw.put(this, t);
    this.maintainReserve();
  }

  /** putTxn + disarmReversal in one delta record when `t` changes only what a delta carries (else two records). */
  putTxnDisarm(t: TxnRecord, revId: number): void {
    this.writable();
    checkTxnFields(t);
    const i = this.tt.find(t.batch, t.stan);
    const r = this.rt.find(revId);
    if (i >= 0 && r >= 0 && t.batch !== this.idx.meta.closed && this.tw.deltaOnly(i, t)) {
      this.tw.delta(t, revId);
      this.rt.remove(r);
      this.maintainReserve();
      return;
    }
    this.putTxn(t);
    this.disarmReversal(revId);
  }

  getTxn(batch: number, stan: number): TxnRecord | undefined {
    const i = this.tt.find(batch, stan);
    return i < 0 ? undefined : loadTxn(this.log, this.tt, i);
  }

  findByRrn(rrn: string): TxnRecord | undefined {
    if (rrn.length === 0) return undefined;
    for (let i = 0; i < this.tt.n; i++) {
      if (!this.tt.mayHold(i, rrn, false)) continue;
      const t = loadTxn(this.log, this.tt, i);
      if (t.rrn === rrn) return t;
    }
    return undefined;
  }

  mayRefer(i: number, rrn: string, orig: boolean): boolean {
    return this.tt.mayHold(i, rrn, orig);
  }

  txns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.tt.n; i++) if (this.tt.batchOf(i) === this.idx.meta.batch) out.push(loadTxn(this.log, this.tt, i));
    out.sort((a: TxnRecord, b: TxnRecord) => a.stan - b.stan);
    return out;
  }

  txnSlots(): number {
    return this.tt.n;
  }

  txnAt(i: number, state: number): TxnRecord | undefined {
    const tt = this.tt;
    if (i < 0 || i >= tt.n || tt.batchOf(i) !== this.idx.meta.batch || (state !== 0 && tt.stateOf(i) !== state)) return undefined;
    return loadTxn(this.log, tt, i);
  }

  countTxns(state: number): number {
    const batch = this.idx.meta.batch;
    let count = 0;
    for (let i = 0; i < this.tt.n; i++) if (this.tt.batchOf(i) === batch && (state === 0 || this.tt.stateOf(i) === state)) count++;
    return count;
  }

  armReversal(batch: number, stan: number, reason: string, request: Bytes): number {
    this.writable();
    checkReversalFields(batch, stan, reason, request, this.requestLimit());
    if (this.rt.n >= this.maxRevs) fail("journal", "reversal queue full — " + this.rt.n + " reversals kept, settle the batch");
    const id = this.log.nextSeq;
    const v: ReversalRecord = { id: id, batch: batch, stan: stan, reason: reason, attempts: 0, state: REV_PENDING, request: request };
    const n = writeRev(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, v);
    this.admit(recordSpan(n, this.g.prog_bytes) + UPD_CHARGE_BYTES);
    const addr = this.log.append(REC_REV, n, false);
    this.rt.apply(id, batch, stan, reason, 0, REV_PENDING, addr, recordSpan(n, this.g.prog_bytes), true);
    this.maintainReserve();
    return id;
  }

  setReversalReason(id: number, reason: string): void {
    const i = this.revSlot(id);
    checkReason(reason);
    this.updateRev(i, reason, this.rt.attempts(i), this.rt.state(i));
  }

  recordAttempt(id: number): number {
    const i = this.revSlot(id);
    const attempts = this.rt.attempts(i) + 1;
    if (attempts > 255) fail("journal", "reversal " + id + ": more than 255 attempts");
    this.updateRev(i, this.rt.reason(i), attempts, this.rt.state(i));
    return attempts;
  }

  completeReversal(id: number): void {
    this.setRevState(id, REV_COMPLETED);
  }

  failReversal(id: number): void {
    this.setRevState(id, REV_FAILED);
  }

  disarmReversal(id: number): void {
    this.setRevState(id, REV_DISARMED);
  }

  pendingReversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.rt.n; i++) if (this.rt.state(i) === REV_PENDING) out.push(loadRev(this.log, this.rt, i));
    return out;
  }

  countPendingReversals(): number {
    let count = 0;
    for (let i = 0; i < this.rt.n; i++) if (this.rt.state(i) === REV_PENDING) count++;
    return count;
  }

  reversalStateOf(batch: number, stan: number): number {
    let found = 0;
    for (let i = 0; i < this.rt.n; i++) {
      if (this.rt.batchOf(i) !== batch || this.rt.stanOf(i) !== stan) continue;
      const st = this.rt.state(i);
      if (st === REV_PENDING) return REV_PENDING;
      if (st === REV_FAILED) found = REV_FAILED;
    }
    return found;
  }

  outcomeUnknown(batch: number, stan: number): boolean {
    return this.idx.report.unknown_outcomes.indexOf(batch + "/" + stan) >= 0;
  }

  /** Every kept reversal (pending and failed), oldest first. */
  reversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.rt.n; i++) out.push(loadRev(this.log, this.rt, i));
    return out;
  }

  /** One META record closes the batch and drops its failed reversals: a cut leaves all or nothing (a second copy survives the loss of one record). */
  closeBatch(): void {
    this.writable();
    const dropped = this.rt.idsIn(REV_FAILED);
    const meta = this.idx.meta;
    const closed = meta.batch;
    meta.closed = closed;
    meta.batch = closed >= BATCH_MAX ? 1 : closed + 1;
    this.appendMeta(dropped);
    this.appendMeta(dropped);
    this.tt.dropBatch(closed);
    this.rt.drop(dropped);
    this.maintainReserve();
  }

  fillPercent(): number {
    const cap = this.capacityBytes();
    let p = cap <= 0 ? 100 : Math.floor((this.chargedBytes() * 100) / cap);
    p = Math.max(p, Math.floor((this.tt.n * 100) / this.maxTxns), Math.floor((this.rt.n * 100) / this.maxRevs));
    return Math.min(100, p);
  }

  nearlyFull(): boolean {
    return this.fillPercent() >= this.warnPercent;
  }

  // ---- the app's records (api.ts AppRecords) ----

  appendAudit(e: AuditEntry): void {
    this.writable();
    this.app.appendAudit(this, e);
    this.maintainReserve();
  }

  auditEntries(): AuditEntry[] {
    return this.app.auditEntries();
  }

  auditDropped(): number {
    return this.app.auditDropped();
  }

  auditRoom(): number {
    return this.app.auditRoom();
  }

  releaseAudit(upToSeq: number): void {
    this.writable();
    this.app.releaseAudit(this, upToSeq);
    this.maintainReserve();
  }

  putAppBlob(slot: number, b: Bytes): void {
    this.writable();
    this.app.putAppBlob(this, slot, b);
    this.maintainReserve();
  }

  getAppBlob(slot: number): Bytes | undefined {
    return this.app.getAppBlob(slot);
  }

  // ---- additions: inspection ----

  /** Bytes of RAM the journal holds (its fixed tables and buffers), counted from the live structures. */
  ramBytes(): number {
    const bufs = ramBytes(len(this.b.wbuf)) + ramBytes(len(this.b.rbuf)) + ramBytes(len(this.b.hbuf));
    const tables = ramBytes(len(this.tt.tx)) + ramBytes(len(this.rt.rv)) + ramBytes(len(this.idx.audit.au)) + ramBytes(len(this.idx.blobs.bl));
    return bufs + tables + this.sectors.slots() * NUMBER_SLOT_BYTES + this.idx.report.corrupt.length * NUMBER_SLOT_BYTES;
  }

  /** Live transactions (any batch still kept). */
  txnCount(): number {
    return this.tt.n;
  }

  /** Every kept transaction, any batch, in index order (for dumps and checks). */
  allTxns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.tt.n; i++) out.push(loadTxn(this.log, this.tt, i));
    return out;
  }

  /** Reclaims the oldest sector now (copies its live records forward); false when only the head is live. */
  reclaimOldest(): boolean {
    this.writable();
    const o = this.sectors.oldestLive(this.log.head);
    if (o < 0) return false;
    this.reclaimer.reclaimNow(this, o);
    this.maintainReserve();
    return true;
  }

  /** Bytes the capacity rule counts as used, and the most it allows. */
  chargedBytes(): number {
    return META_CHARGE_BYTES + this.tt.charged(DELTA_CHARGE_BYTES) + this.rt.charged(UPD_CHARGE_BYTES) + this.app.charged();
  }

  capacityBytes(): number {
    return (this.sectors.goodCount() - RESERVE_SECTORS - 1) * (this.g.sector_bytes - this.l.first - this.l.maxRecord);
  }

  /** Sectors known bad (failed a program or erase since open). */
  badSectors(): number[] {
    return this.sectors.badList();
  }

  /** Highest erase count of any sector (from the sector headers and this session). */
  maxEraseCount(): number {
    return this.sectors.maxErase();
  }

  /** Longest reversal request this geometry accepts. */
  requestLimit(): number {
    return Math.min(MAX_REQUEST_BYTES, this.l.maxRecord - RECORD_OVERHEAD_BYTES - 40);
  }

  /** After recovery: STANs resume past the persisted reservation. */
  resumeCounters(): void {
    this.stan = wrapStan(this.idx.meta.stan_high + this.idx.stanSkip);
    this.stanLeft = 0;
  }

  // ---- reversals ----

  private revSlot(id: number): number {
    this.writable();
    for (let i = 0; i < this.rt.n; i++) if (this.rt.id(i) === id) return i;
    return fail("journal", "no reversal " + id);
  }

  private setRevState(id: number, state: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, this.rt.reason(i), this.rt.attempts(i), state);
  }

  private updateRev(i: number, reason: string, attempts: number, state: number): void {
    const id = this.rt.id(i);
    const n = writeRevUpd(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, id, reason, attempts, state);
    const addr = this.log.append(REC_REV_UPD, n, false);
    this.rt.apply(id, 0, 0, reason, attempts, state, addr, recordSpan(n, this.g.prog_bytes), false);
    this.maintainReserve();
  }

  // ---- meta, capacity ----

  appendMeta(dropped?: number[]): void {
    const n = writeMeta(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, this.idx.meta, dropped === undefined ? NO_IDS : dropped);
    this.idx.metaAddr = this.log.append(REC_META, n, false);
    this.idx.setDurable(this.idx.meta);
  }

  admit(extra: number): void {
    if (this.chargedBytes() + extra > this.capacityBytes()) fail("journal", JOURNAL_FULL);
  }

  private writable(): void {
    if (this.readOnly) fail("journal", "opened read-only");
  }

  // ---- reclaim ----

  /** Keeps RESERVE_SECTORS erased-or-dead sectors by reclaiming the oldest ones. */
  maintainReserve(): void {
    if (!this.readOnly) this.reclaimer.maintain(this);
  }
}

function wrapStan(v: number): number {
  return v > STAN_MAX ? v - STAN_MAX : v;
}
