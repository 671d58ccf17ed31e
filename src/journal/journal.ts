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
  Journal, JournalConfig, ReversalRecord, TxnRecord, REV_COMPLETED, REV_FAILED, REV_PENDING,
} from "./api";
import { RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_META, REC_REV, REC_REV_UPD, REC_TXN, REC_TXN_DELTA, recordSpan } from "./format";
import { NO_ADDR } from "./index-slots";
import { Buffers, Layout, RESERVE_SECTORS } from "./layout";
import { FlashLog, JOURNAL_FULL, JournalStats } from "./log";
import {
  MAX_REQUEST_BYTES, applyTxnDelta, readRev, readTxn, writeMeta, writeRev, writeRevUpd, writeTxn, writeTxnDelta,
} from "./payload";
import { RamIndex } from "./ram-index";
import { RecoveryReport } from "./report";
import { REV_DISARMED, RevTable } from "./rev-table";
import { SectorTable } from "./sectors";
import { TxnTable } from "./txn-table";
import { checkReason, checkReversalFields, checkTxnFields, sameImmutable, sameTxn } from "./validate";

export { JOURNAL_FULL, JournalStats } from "./log";
export { MAX_SLOTS, RESERVE_SECTORS } from "./layout";
export { MAX_REPORTS, RecoveryReport } from "./report";
export { REV_DISARMED } from "./rev-table";

const NO_IDS: number[] = [];
export const STAN_MAX = 999999;
export const BATCH_MAX = 999999;
/** STANs reserved per META record; a restart skips the unused rest of the block. */
export const STAN_BLOCK = 32;
/** Capacity charged per transaction for its future delta, and per reversal for its updates. */
export const DELTA_CHARGE_BYTES = 56;
export const UPD_CHARGE_BYTES = 24;
export const META_CHARGE_BYTES = 32;
/** RAM cost counted per number slot of the fixed arrays (a Lua TValue). */
export const NUMBER_SLOT_BYTES = 16;

export interface JournalOptions extends JournalConfig {
  /** Recover and read only: no head is opened, every write is refused (for dump). */
  read_only?: boolean;
}

export class FlashJournal implements Journal {
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
  readonly sectors: SectorTable;
  private readonly tt: TxnTable;
  private readonly rt: RevTable;
  /** What recovery found. */
  readonly report: RecoveryReport;
  /** Counters for benchmarks. */
  readonly stats: JournalStats;
  stan = 0;
  stanLeft = 0;
  reclaiming = false;

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
    this.maintainReserve();
  }

  putTxn(t: TxnRecord): void {
    this.writable();
    checkTxnFields(t);
    if (t.batch === this.idx.meta.closed) fail("journal", "batch " + t.batch + " is closed");
    const i = this.tt.find(t.batch, t.stan);
    if (i < 0) this.addTxn(t);
    else this.updateTxn(i, t);
    this.maintainReserve();
  }

  getTxn(batch: number, stan: number): TxnRecord | undefined {
    const i = this.tt.find(batch, stan);
    return i < 0 ? undefined : this.loadTxn(i);
  }

  findByRrn(rrn: string): TxnRecord | undefined {
    if (rrn.length === 0) return undefined;
    for (let i = 0; i < this.tt.n; i++) {
      const t = this.loadTxn(i);
      if (t.rrn === rrn) return t;
    }
    return undefined;
  }

  txns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.tt.n; i++) if (this.tt.batchOf(i) === this.idx.meta.batch) out.push(this.loadTxn(i));
    out.sort((a: TxnRecord, b: TxnRecord) => a.stan - b.stan);
    return out;
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
    const i = this.revSlot(id);
    this.updateRev(i, this.rt.reason(i), this.rt.attempts(i), REV_COMPLETED);
  }

  failReversal(id: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, this.rt.reason(i), this.rt.attempts(i), REV_FAILED);
  }

  disarmReversal(id: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, this.rt.reason(i), this.rt.attempts(i), REV_DISARMED);
  }

  pendingReversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.rt.n; i++) if (this.rt.state(i) === REV_PENDING) out.push(this.loadRev(i));
    return out;
  }

  /** Every kept reversal (pending and failed), oldest first. */
  reversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.rt.n; i++) out.push(this.loadRev(i));
    return out;
  }

  /** One META record closes the batch and drops its failed reversals: a cut leaves all or nothing. */
  closeBatch(): void {
    this.writable();
    const dropped = this.rt.idsIn(REV_FAILED);
    const meta = this.idx.meta;
    const closed = meta.batch;
    meta.closed = closed;
    meta.batch = closed >= BATCH_MAX ? 1 : closed + 1;
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

  // ---- additions: inspection ----

  /** Bytes of RAM the journal holds (its fixed tables and buffers), counted from the live structures. */
  ramBytes(): number {
    const bufs = ramBytes(len(this.b.wbuf)) + ramBytes(len(this.b.rbuf)) + ramBytes(len(this.b.hbuf));
    const tables = ramBytes(len(this.tt.tx)) + ramBytes(len(this.rt.rv));
    return bufs + tables + this.sectors.slots() * NUMBER_SLOT_BYTES + this.idx.report.corrupt.length * NUMBER_SLOT_BYTES;
  }

  /** Live transactions (any batch still kept). */
  txnCount(): number {
    return this.tt.n;
  }

  /** Every kept transaction, any batch, in index order (for dumps and checks). */
  allTxns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.tt.n; i++) out.push(this.loadTxn(i));
    return out;
  }

  /** Reclaims the oldest sector now (copies its live records forward); false when only the head is live. */
  reclaimOldest(): boolean {
    this.writable();
    const o = this.sectors.oldestLive(this.log.head);
    if (o < 0) return false;
    this.reclaiming = true;
    this.reclaimSector(o);
    this.reclaiming = false;
    this.maintainReserve();
    return true;
  }

  /** Bytes the capacity rule counts as used, and the most it allows. */
  chargedBytes(): number {
    return META_CHARGE_BYTES + this.tt.charged(DELTA_CHARGE_BYTES) + this.rt.charged(UPD_CHARGE_BYTES);
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
    this.stan = this.idx.meta.stan_high;
    this.stanLeft = 0;
  }

  // ---- transactions ----

  private addTxn(t: TxnRecord): void {
    if (this.tt.n >= this.maxTxns) fail("journal", JOURNAL_FULL);
    const n = writeTxn(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, t);
    const span = recordSpan(n, this.g.prog_bytes);
    this.admit(span + DELTA_CHARGE_BYTES);
    const addr = this.log.append(REC_TXN, n, false);
    this.tt.apply(t.batch, t.stan, t.state, addr, span, true);
  }

  private updateTxn(i: number, t: TxnRecord): void {
    const cur = this.loadTxn(i);
    if (sameTxn(cur, t)) return;
    if (sameImmutable(cur, t)) {
      const n = writeTxnDelta(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, t);
      const addr = this.log.append(REC_TXN_DELTA, n, false);
      this.tt.apply(t.batch, t.stan, t.state, addr, recordSpan(n, this.g.prog_bytes), false);
      return;
    }
    const n = writeTxn(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, t);
    const span = recordSpan(n, this.g.prog_bytes);
    const old = this.tt.baseLen(i);
    if (span > old) this.admit(span - old);
    const addr = this.log.append(REC_TXN, n, false);
    this.tt.apply(t.batch, t.stan, t.state, addr, span, true);
  }

  /** Reads slot `i`'s base record (and delta), checking each CRC again. */
  loadTxn(i: number): TxnRecord {
    const n = this.log.readRecord(this.tt.base(i), REC_TXN);
    const t = readTxn(this.b.rbuf, RECORD_HEAD_BYTES, n);
    const d = this.tt.delta(i);
    if (d !== NO_ADDR) {
      const dn = this.log.readRecord(d, REC_TXN_DELTA);
      applyTxnDelta(this.b.rbuf, RECORD_HEAD_BYTES, dn, t);
    }
    return t;
  }

  // ---- reversals ----

  private revSlot(id: number): number {
    this.writable();
    for (let i = 0; i < this.rt.n; i++) if (this.rt.id(i) === id) return i;
    return fail("journal", "no reversal " + id);
  }

  private updateRev(i: number, reason: string, attempts: number, state: number): void {
    const id = this.rt.id(i);
    const n = writeRevUpd(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, id, reason, attempts, state);
    const addr = this.log.append(REC_REV_UPD, n, false);
    this.rt.apply(id, 0, 0, reason, attempts, state, addr, recordSpan(n, this.g.prog_bytes), false);
    this.maintainReserve();
  }

  loadRev(i: number): ReversalRecord {
    const n = this.log.readRecord(this.rt.full(i), REC_REV);
    const v = readRev(this.b.rbuf, RECORD_HEAD_BYTES, n);
    v.state = this.rt.state(i);
    v.attempts = this.rt.attempts(i);
    v.reason = this.rt.reason(i);
    return v;
  }

  // ---- meta, capacity ----

  private appendMeta(dropped?: number[]): void {
    const n = writeMeta(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, this.idx.meta, dropped === undefined ? NO_IDS : dropped);
    this.idx.metaAddr = this.log.append(REC_META, n, false);
  }

  private admit(extra: number): void {
    if (this.chargedBytes() + extra > this.capacityBytes()) fail("journal", JOURNAL_FULL);
  }

  private writable(): void {
    if (this.readOnly) fail("journal", "opened read-only");
  }

  // ---- reclaim ----

  /** Keeps RESERVE_SECTORS erased-or-dead sectors by reclaiming the oldest ones. */
  maintainReserve(): void {
    if (this.reclaiming || this.readOnly) return;
    this.reclaiming = true;
    for (let i = 0; i < this.g.sector_count * 2 && this.sectors.freeCount() < RESERVE_SECTORS; i++) {
      const o = this.sectors.oldestLive(this.log.head);
      if (o < 0) break;
      this.reclaimSector(o);
    }
    this.reclaiming = false;
  }

  /** Copies the live records of sector `o` forward, makes the new low durable, then frees `o`. */
  reclaimSector(o: number): void {
    this.log.stats.reclaims++;
    for (let i = 0; i < this.tt.n; i++) if (this.inSector(this.tt.base(i), o) || this.inSector(this.tt.delta(i), o)) this.copyTxn(i);
    for (let i = 0; i < this.rt.n; i++) if (this.inSector(this.rt.full(i), o) || this.inSector(this.rt.upd(i), o)) this.copyRev(i);
    this.idx.meta.low = this.sectors.oldestLiveSeq(o, this.sectors.seq[this.log.head]);
    this.appendMeta();
    this.sectors.markDead(o);
  }

  private inSector(addr: number, s: number): boolean {
    return addr !== NO_ADDR && Math.floor(addr / this.g.sector_bytes) === s;
  }

  private copyTxn(i: number): void {
    const t = this.loadTxn(i);
    const n = writeTxn(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, t);
    const addr = this.log.append(REC_TXN, n, true);
    this.tt.apply(t.batch, t.stan, t.state, addr, recordSpan(n, this.g.prog_bytes), true);
  }

  private copyRev(i: number): void {
    const v = this.loadRev(i);
    const n = writeRev(this.b.wbuf, RECORD_HEAD_BYTES, len(this.b.wbuf) - 4, v);
    const addr = this.log.append(REC_REV, n, true);
    this.rt.apply(v.id, v.batch, v.stan, v.reason, v.attempts, v.state, addr, recordSpan(n, this.g.prog_bytes), true);
  }
}

function wrapStan(v: number): number {
  return v > STAN_MAX ? v - STAN_MAX : v;
}
