// The power-loss-safe journal on NOR flash (implements api.ts `Journal`).
//
// Log: sectors become the head one after another (header seq 1, 2, …, each linking to the
// sector it continues, prev_seq/prev_end); records are appended, never rewritten. Sectors
// are reclaimed oldest first: live records are copied forward, a META record makes the new
// "low" durable, and only then may the old sector be erased (lazily, when it becomes a head).
// After a restart nothing is programmed over bits a cut may have torn: the last record is
// programmed again in place (completing it) and the span after it is zero-filled and skipped.
// RAM: fixed tables sized at open (index-slots.ts); nothing grows with records written.
import { Bytes, alloc, copy, fill, get, len, ramBytes, set } from "../bytes/index";
import { fail } from "../errors";
import { FLASH_OK, Flash, FlashGeometry } from "../../hal/flash";
import {
  Journal, JournalConfig, ReversalRecord, TxnRecord, REV_COMPLETED, REV_FAILED, REV_PENDING,
} from "./api";
import {
  MAX_RECORD_BYTES, MAX_SECTOR_BYTES, NO_END, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES,
  REC_META, REC_REV, REC_REV_UPD, REC_TXN, REC_TXN_DELTA, SectorHeader, decodeHeader, encodeHeader,
  firstRecordOffset, plausibleHead, recordCrcOk, recordPayloadLength, recordSpan, recordType, sealRecord,
} from "./format";
import {
  Keys, MAX_REQUEST_BYTES, applyTxnDelta, newKeys, readKeys, readRev, readTxn, writeMeta, writeRev, writeRevUpd,
  writeTxn, writeTxnDelta,
} from "./payload";
import {
  NO_ADDR, RV_ATTEMPTS, RV_BATCH, RV_FULL, RV_FULL_LEN, RV_ID, RV_REASON, RV_SLOT_BYTES, RV_STAN, RV_STATE, RV_UPD,
  RV_UPD_LEN, TX_BASE, TX_BASE_LEN, TX_BATCH, TX_DELTA, TX_DELTA_LEN, TX_SLOT_BYTES, TX_STAN, TX_STATE, getCode2,
  getU16, getU24, getU32, setCode2, setU16, setU24, setU32,
} from "./index-slots";
import { checkReason, checkReversalFields, checkTxnFields, sameImmutable, sameTxn } from "./validate";

/** The distinct refusal when a record cannot be written without dropping unsettled data. */
export const JOURNAL_FULL = "journal full — settle the batch";
/** Internal reversal state: disarmed (removed). */
export const REV_DISARMED = 0;
const NO_IDS: number[] = [];
export const STAN_MAX = 999999;
export const BATCH_MAX = 999999;
/** STANs reserved per META record; a restart skips the unused rest of the block. */
export const STAN_BLOCK = 32;
/** Erased sectors kept in reserve: one for a restart's fresh head, one for reclaim copies. */
export const RESERVE_SECTORS = 2;
/** Capacity charged per transaction for its future delta, and per reversal for its updates. */
export const DELTA_CHARGE_BYTES = 56;
export const UPD_CHARGE_BYTES = 24;
export const META_CHARGE_BYTES = 32;
/** Most corruption reports kept from one recovery. */
export const MAX_REPORTS = 16;
/** Bound on transactions and reversals per journal (slot tables). */
export const MAX_SLOTS = 4096;
/** RAM cost counted per number slot of the fixed arrays (a Lua TValue). */
export const NUMBER_SLOT_BYTES = 16;

export interface JournalOptions extends JournalConfig {
  /** Recover and read only: no head is opened, every write is refused (for dump). */
  read_only?: boolean;
}

/** What recovery found. Offsets are within the sector. */
export interface RecoveryReport {
  /** Sectors of the live log, oldest first. */
  chain: number[];
  records: number;
  /** A torn tail in the newest sector ("" when none): "sector S offset O". */
  torn_tail: string;
  /** Mid-log corruption, never skipped silently: "sector S offset O: why". */
  corrupt: string[];
  bytes_read: number;
}

/** Counters for benchmarks. */
export interface JournalStats {
  records: number;
  payload_bytes: number;
  copy_payload_bytes: number;
  programmed_bytes: number;
  erases: number;
  reclaims: number;
}

const SECTOR_DEAD = 0;
const SECTOR_LIVE = 1;

export class FlashJournal implements Journal {
  readonly flash: Flash;
  readonly g: FlashGeometry;
  readonly maxTxns: number;
  readonly maxRevs: number;
  readonly warnPercent: number;
  readonly readOnly: boolean;
  readonly first: number;
  readonly maxRecord: number;
  /** Bytes skipped after a restart (zero-filled): the longest record, rounded to the program granularity. */
  readonly fillerSpan: number;
  secSeq: number[] = [];
  secErase: number[] = [];
  secLow: number[] = [];
  secPrevSeq: number[] = [];
  secPrevEnd: number[] = [];
  secState: number[] = [];
  secBad: number[] = [];
  secEnd: number[] = [];
  head = -1;
  headPos = 0;
  nextSeq = 1;
  nextSectorSeq = 1;
  wbuf: Bytes;
  rbuf: Bytes;
  hbuf: Bytes;
  tx: Bytes;
  nTx = 0;
  rv: Bytes;
  nRv = 0;
  meta: Keys = newKeys();
  metaAddr = NO_ADDR;
  stan = 0;
  stanLeft = 0;
  keys: Keys = newKeys();
  reclaiming = false;
  report: RecoveryReport = { chain: [], records: 0, torn_tail: "", corrupt: [], bytes_read: 0 };
  stats: JournalStats = { records: 0, payload_bytes: 0, copy_payload_bytes: 0, programmed_bytes: 0, erases: 0, reclaims: 0 };
  tailAt = -1;
  tailSpan = 0;
  lastSeqSeen = 0;

  constructor(flash: Flash, o: JournalOptions) {
    const g = flash.geometry;
    checkConfig(g, o);
    this.flash = flash;
    this.g = g;
    this.maxTxns = o.maxTxnsPerBatch;
    this.maxRevs = o.maxReversals;
    this.warnPercent = o.warnFillPercent;
    this.readOnly = o.read_only === true;
    this.first = firstRecordOffset(g.prog_bytes);
    this.maxRecord = Math.min(MAX_RECORD_BYTES, Math.floor((g.sector_bytes - this.first) / 2));
    const bufBytes = Math.ceil(this.maxRecord / g.prog_bytes) * g.prog_bytes;
    this.fillerSpan = bufBytes;
    this.wbuf = alloc(bufBytes);
    this.rbuf = alloc(bufBytes);
    this.hbuf = alloc(this.first);
    this.tx = alloc(this.maxTxns * TX_SLOT_BYTES);
    this.rv = alloc(this.maxRevs * RV_SLOT_BYTES);
    for (let s = 0; s < g.sector_count; s++) {
      this.secSeq.push(NO_SEQ); this.secErase.push(0); this.secLow.push(0); this.secPrevSeq.push(NO_SEQ);
      this.secPrevEnd.push(NO_END); this.secState.push(SECTOR_DEAD); this.secBad.push(0); this.secEnd.push(0);
    }
    this.meta.batch = 1;
  }

  // ---- public API (api.ts) ----

  nextStan(): number {
    this.writable();
    if (this.stanLeft === 0) {
      this.meta.stan_high = wrapStan(this.stan + STAN_BLOCK);
      this.appendMeta();
      this.stanLeft = STAN_BLOCK;
      this.maintainReserve();
    }
    this.stan = wrapStan(this.stan + 1);
    this.stanLeft--;
    return this.stan;
  }

  batch(): number {
    return this.meta.batch;
  }

  setBatch(batch: number): void {
    this.writable();
    if (batch !== Math.floor(batch) || batch < 1 || batch > BATCH_MAX) fail("journal", "batch " + batch + " outside 1.." + BATCH_MAX);
    this.meta.batch = batch;
    this.appendMeta();
    this.maintainReserve();
  }

  putTxn(t: TxnRecord): void {
    this.writable();
    checkTxnFields(t);
    if (t.batch === this.meta.closed) fail("journal", "batch " + t.batch + " is closed");
    const i = this.findTxn(t.batch, t.stan);
    if (i < 0) this.addTxn(t);
    else this.updateTxn(i, t);
    this.maintainReserve();
  }

  getTxn(batch: number, stan: number): TxnRecord | undefined {
    const i = this.findTxn(batch, stan);
    return i < 0 ? undefined : this.loadTxn(i);
  }

  findByRrn(rrn: string): TxnRecord | undefined {
    if (rrn.length === 0) return undefined;
    for (let i = 0; i < this.nTx; i++) {
      const t = this.loadTxn(i);
      if (t.rrn === rrn) return t;
    }
    return undefined;
  }

  txns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.nTx; i++) if (getU24(this.tx, i * TX_SLOT_BYTES + TX_BATCH) === this.meta.batch) out.push(this.loadTxn(i));
    out.sort((a: TxnRecord, b: TxnRecord) => a.stan - b.stan);
    return out;
  }

  armReversal(batch: number, stan: number, reason: string, request: Bytes): number {
    this.writable();
    checkReversalFields(batch, stan, reason, request, this.requestLimit());
    if (this.nRv >= this.maxRevs) fail("journal", "reversal queue full — " + this.nRv + " reversals kept, settle the batch");
    const id = this.nextSeq;
    const v: ReversalRecord = { id: id, batch: batch, stan: stan, reason: reason, attempts: 0, state: REV_PENDING, request: request };
    const n = writeRev(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, v);
    this.admit(recordSpan(n, this.g.prog_bytes) + UPD_CHARGE_BYTES);
    const addr = this.append(REC_REV, n, false);
    this.revApply(id, batch, stan, reason, 0, REV_PENDING, addr, recordSpan(n, this.g.prog_bytes), true);
    this.maintainReserve();
    return id;
  }

  setReversalReason(id: number, reason: string): void {
    const i = this.revSlot(id);
    checkReason(reason);
    this.updateRev(i, reason, this.rvAttempts(i), this.rvState(i));
  }

  recordAttempt(id: number): number {
    const i = this.revSlot(id);
    const attempts = this.rvAttempts(i) + 1;
    if (attempts > 255) fail("journal", "reversal " + id + ": more than 255 attempts");
    this.updateRev(i, getCode2(this.rv, i * RV_SLOT_BYTES + RV_REASON), attempts, this.rvState(i));
    return attempts;
  }

  completeReversal(id: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, getCode2(this.rv, i * RV_SLOT_BYTES + RV_REASON), this.rvAttempts(i), REV_COMPLETED);
  }

  failReversal(id: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, getCode2(this.rv, i * RV_SLOT_BYTES + RV_REASON), this.rvAttempts(i), REV_FAILED);
  }

  disarmReversal(id: number): void {
    const i = this.revSlot(id);
    this.updateRev(i, getCode2(this.rv, i * RV_SLOT_BYTES + RV_REASON), this.rvAttempts(i), REV_DISARMED);
  }

  pendingReversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.nRv; i++) if (this.rvState(i) === REV_PENDING) out.push(this.loadRev(i));
    return out;
  }

  /** Every kept reversal (pending and failed), oldest first. */
  reversals(): ReversalRecord[] {
    const out: ReversalRecord[] = [];
    for (let i = 0; i < this.nRv; i++) out.push(this.loadRev(i));
    return out;
  }

  /** One META record closes the batch and drops its failed reversals: a cut leaves all or nothing. */
  closeBatch(): void {
    this.writable();
    const dropped: number[] = [];
    for (let i = 0; i < this.nRv; i++) if (this.rvState(i) === REV_FAILED) dropped.push(getU32(this.rv, i * RV_SLOT_BYTES + RV_ID));
    const closed = this.meta.batch;
    this.meta.closed = closed;
    this.meta.batch = closed >= BATCH_MAX ? 1 : closed + 1;
    this.appendMeta(dropped);
    this.dropBatch(closed);
    this.dropReversals(dropped);
    this.maintainReserve();
  }

  private dropReversals(ids: number[]): void {
    for (let k = 0; k < ids.length; k++) {
      for (let i = 0; i < this.nRv; i++) {
        if (getU32(this.rv, i * RV_SLOT_BYTES + RV_ID) === ids[k]) {
          this.removeRev(i);
          break;
        }
      }
    }
  }

  fillPercent(): number {
    const cap = this.capacityBytes();
    let p = cap <= 0 ? 100 : Math.floor((this.chargedBytes() * 100) / cap);
    p = Math.max(p, Math.floor((this.nTx * 100) / this.maxTxns), Math.floor((this.nRv * 100) / this.maxRevs));
    return Math.min(100, p);
  }

  nearlyFull(): boolean {
    return this.fillPercent() >= this.warnPercent;
  }

  // ---- additions: inspection ----

  /** Bytes of RAM the journal holds (its fixed tables and buffers), counted from the live structures. */
  ramBytes(): number {
    const bufs = ramBytes(len(this.wbuf)) + ramBytes(len(this.rbuf)) + ramBytes(len(this.hbuf));
    const tables = ramBytes(len(this.tx)) + ramBytes(len(this.rv));
    const arrays = (this.secSeq.length + this.secErase.length + this.secLow.length + this.secPrevSeq.length +
      this.secPrevEnd.length + this.secState.length + this.secBad.length + this.secEnd.length) * NUMBER_SLOT_BYTES;
    return bufs + tables + arrays + this.report.corrupt.length * NUMBER_SLOT_BYTES;
  }

  /** Live transactions (any batch still kept). */
  txnCount(): number {
    return this.nTx;
  }

  /** Every kept transaction, any batch, in index order (for dumps and checks). */
  allTxns(): TxnRecord[] {
    const out: TxnRecord[] = [];
    for (let i = 0; i < this.nTx; i++) out.push(this.loadTxn(i));
    return out;
  }

  /** Reclaims the oldest sector now (copies its live records forward); false when only the head is live. */
  reclaimOldest(): boolean {
    this.writable();
    const o = this.oldestLiveSector();
    if (o < 0) return false;
    this.reclaiming = true;
    this.reclaimSector(o);
    this.reclaiming = false;
    this.maintainReserve();
    return true;
  }

  /** Bytes the capacity rule counts as used, and the most it allows. */
  chargedBytes(): number {
    let total = META_CHARGE_BYTES;
    for (let i = 0; i < this.nTx; i++) total += getU16(this.tx, i * TX_SLOT_BYTES + TX_BASE_LEN) + DELTA_CHARGE_BYTES;
    for (let i = 0; i < this.nRv; i++) total += getU16(this.rv, i * RV_SLOT_BYTES + RV_FULL_LEN) + UPD_CHARGE_BYTES;
    return total;
  }

  capacityBytes(): number {
    let good = 0;
    for (let s = 0; s < this.g.sector_count; s++) if (this.secBad[s] === 0) good++;
    return (good - RESERVE_SECTORS - 1) * (this.g.sector_bytes - this.first - this.maxRecord);
  }

  /** Sectors known bad (failed a program or erase since open). */
  badSectors(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.g.sector_count; s++) if (this.secBad[s] !== 0) out.push(s);
    return out;
  }

  /** Highest erase count of any sector (from the sector headers and this session). */
  maxEraseCount(): number {
    let m = 0;
    for (let s = 0; s < this.g.sector_count; s++) if (this.secErase[s] > m) m = this.secErase[s];
    return m;
  }

  /** Longest reversal request this geometry accepts. */
  requestLimit(): number {
    return Math.min(MAX_REQUEST_BYTES, this.maxRecord - RECORD_OVERHEAD_BYTES - 40);
  }

  // ---- transactions ----

  private addTxn(t: TxnRecord): void {
    if (this.nTx >= this.maxTxns) fail("journal", JOURNAL_FULL);
    const n = writeTxn(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, t);
    const span = recordSpan(n, this.g.prog_bytes);
    this.admit(span + DELTA_CHARGE_BYTES);
    const addr = this.append(REC_TXN, n, false);
    this.txnApply(t.batch, t.stan, t.state, addr, span, true);
  }

  private updateTxn(i: number, t: TxnRecord): void {
    const cur = this.loadTxn(i);
    if (sameTxn(cur, t)) return;
    if (sameImmutable(cur, t)) {
      const n = writeTxnDelta(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, t);
      const addr = this.append(REC_TXN_DELTA, n, false);
      this.txnApply(t.batch, t.stan, t.state, addr, recordSpan(n, this.g.prog_bytes), false);
      return;
    }
    const n = writeTxn(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, t);
    const span = recordSpan(n, this.g.prog_bytes);
    const old = getU16(this.tx, i * TX_SLOT_BYTES + TX_BASE_LEN);
    if (span > old) this.admit(span - old);
    const addr = this.append(REC_TXN, n, false);
    this.txnApply(t.batch, t.stan, t.state, addr, span, true);
  }

  private findTxn(batch: number, stan: number): number {
    for (let i = 0; i < this.nTx; i++) {
      const at = i * TX_SLOT_BYTES;
      if (getU24(this.tx, at + TX_STAN) === stan && getU24(this.tx, at + TX_BATCH) === batch) return i;
    }
    return -1;
  }

  /** Points the index at a txn record just written or found by recovery (`full`: base record, else delta). */
  private txnApply(batch: number, stan: number, state: number, addr: number, span: number, full: boolean): void {
    let i = this.findTxn(batch, stan);
    if (i < 0) {
      if (!full) return;
      if (this.nTx >= this.maxTxns) fail("journal", "recovery: more than " + this.maxTxns + " transactions kept (maxTxnsPerBatch too small for this image)");
      i = this.nTx;
      this.nTx++;
      setU24(this.tx, i * TX_SLOT_BYTES + TX_BATCH, batch);
      setU24(this.tx, i * TX_SLOT_BYTES + TX_STAN, stan);
    }
    const at = i * TX_SLOT_BYTES;
    set(this.tx, at + TX_STATE, state);
    if (full) {
      setU24(this.tx, at + TX_BASE, addr);
      setU16(this.tx, at + TX_BASE_LEN, span);
      setU24(this.tx, at + TX_DELTA, NO_ADDR);
      setU16(this.tx, at + TX_DELTA_LEN, 0);
    } else {
      setU24(this.tx, at + TX_DELTA, addr);
      setU16(this.tx, at + TX_DELTA_LEN, span);
    }
  }

  /** Reads slot `i`'s base record (and delta), checking each CRC again. */
  loadTxn(i: number): TxnRecord {
    const at = i * TX_SLOT_BYTES;
    const n = this.readRecord(getU24(this.tx, at + TX_BASE), REC_TXN);
    const t = readTxn(this.rbuf, RECORD_HEAD_BYTES, n);
    const d = getU24(this.tx, at + TX_DELTA);
    if (d !== NO_ADDR) {
      const dn = this.readRecord(d, REC_TXN_DELTA);
      applyTxnDelta(this.rbuf, RECORD_HEAD_BYTES, dn, t);
    }
    return t;
  }

  private dropBatch(batch: number): void {
    let keep = 0;
    for (let i = 0; i < this.nTx; i++) {
      if (getU24(this.tx, i * TX_SLOT_BYTES + TX_BATCH) === batch) continue;
      if (keep !== i) copy(this.tx, i * TX_SLOT_BYTES, this.tx, keep * TX_SLOT_BYTES, TX_SLOT_BYTES);
      keep++;
    }
    this.nTx = keep;
  }

  // ---- reversals ----

  private revSlot(id: number): number {
    this.writable();
    for (let i = 0; i < this.nRv; i++) if (getU32(this.rv, i * RV_SLOT_BYTES + RV_ID) === id) return i;
    return fail("journal", "no reversal " + id);
  }

  private rvState(i: number): number {
    return get(this.rv, i * RV_SLOT_BYTES + RV_STATE);
  }

  private rvAttempts(i: number): number {
    return get(this.rv, i * RV_SLOT_BYTES + RV_ATTEMPTS);
  }

  private updateRev(i: number, reason: string, attempts: number, state: number): void {
    const at = i * RV_SLOT_BYTES;
    const id = getU32(this.rv, at + RV_ID);
    const n = writeRevUpd(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, id, reason, attempts, state);
    const addr = this.append(REC_REV_UPD, n, false);
    this.revApply(id, 0, 0, reason, attempts, state, addr, recordSpan(n, this.g.prog_bytes), false);
    this.maintainReserve();
  }

  /** Points the FIFO at a reversal record (`full`: arm/copy, else an update); finished ones leave the FIFO. */
  private revApply(id: number, batch: number, stan: number, reason: string, attempts: number, state: number, addr: number, span: number, full: boolean): void {
    let i = -1;
    for (let k = 0; k < this.nRv; k++) if (getU32(this.rv, k * RV_SLOT_BYTES + RV_ID) === id) i = k;
    const gone = state === REV_DISARMED || state === REV_COMPLETED;
    if (i < 0 && (gone || !full)) return;
    if (gone) {
      this.removeRev(i);
      return;
    }
    if (i < 0) i = this.insertRev(id, batch, stan);
    const at = i * RV_SLOT_BYTES;
    set(this.rv, at + RV_STATE, state);
    set(this.rv, at + RV_ATTEMPTS, attempts);
    setCode2(this.rv, at + RV_REASON, reason);
    if (full) {
      setU24(this.rv, at + RV_FULL, addr);
      setU16(this.rv, at + RV_FULL_LEN, span);
      setU24(this.rv, at + RV_UPD, NO_ADDR);
    } else {
      setU24(this.rv, at + RV_UPD, addr);
      setU16(this.rv, at + RV_UPD_LEN, span);
    }
  }

  /** A new slot for `id`, kept in ascending id order (the FIFO order). */
  private insertRev(id: number, batch: number, stan: number): number {
    if (this.nRv >= this.maxRevs) fail("journal", "recovery: more than " + this.maxRevs + " reversals kept (maxReversals too small for this image)");
    let i = this.nRv;
    while (i > 0 && getU32(this.rv, (i - 1) * RV_SLOT_BYTES + RV_ID) > id) {
      copy(this.rv, (i - 1) * RV_SLOT_BYTES, this.rv, i * RV_SLOT_BYTES, RV_SLOT_BYTES);
      i--;
    }
    this.nRv++;
    const at = i * RV_SLOT_BYTES;
    fill(this.rv, at, RV_SLOT_BYTES, 0);
    setU32(this.rv, at + RV_ID, id);
    setU24(this.rv, at + RV_BATCH, batch);
    setU24(this.rv, at + RV_STAN, stan);
    return i;
  }

  private removeRev(i: number): void {
    for (let k = i; k < this.nRv - 1; k++) copy(this.rv, (k + 1) * RV_SLOT_BYTES, this.rv, k * RV_SLOT_BYTES, RV_SLOT_BYTES);
    this.nRv--;
  }

  loadRev(i: number): ReversalRecord {
    const at = i * RV_SLOT_BYTES;
    const n = this.readRecord(getU24(this.rv, at + RV_FULL), REC_REV);
    const v = readRev(this.rbuf, RECORD_HEAD_BYTES, n);
    v.state = this.rvState(i);
    v.attempts = this.rvAttempts(i);
    v.reason = getCode2(this.rv, at + RV_REASON);
    return v;
  }

  // ---- meta ----

  private appendMeta(dropped?: number[]): void {
    const n = writeMeta(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, this.meta, dropped === undefined ? NO_IDS : dropped);
    this.metaAddr = this.append(REC_META, n, false);
  }

  // ---- capacity ----

  private admit(extra: number): void {
    if (this.chargedBytes() + extra > this.capacityBytes()) fail("journal", JOURNAL_FULL);
  }

  private writable(): void {
    if (this.readOnly) fail("journal", "opened read-only");
  }

  // ---- records on flash ----

  /** Reads the record at `addr` into rbuf, checking head, type and CRC; returns its payload length. */
  readRecord(addr: number, type: number): number {
    this.readInto(addr, this.rbuf, 0, RECORD_HEAD_BYTES);
    const n = recordPayloadLength(this.rbuf, 0);
    const where = "record at " + this.where(addr);
    if (!plausibleHead(this.rbuf, 0) || RECORD_OVERHEAD_BYTES + n > len(this.rbuf)) fail("journal", where + ": bad head");
    this.readInto(addr + RECORD_HEAD_BYTES, this.rbuf, RECORD_HEAD_BYTES, n + 4);
    if (!recordCrcOk(this.rbuf, 0)) fail("journal", where + ": CRC mismatch on read-back");
    if (recordType(this.rbuf, 0) !== type) fail("journal", where + ": type " + recordType(this.rbuf, 0) + ", expected " + type);
    return n;
  }

  readInto(addr: number, buf: Bytes, off: number, n: number): void {
    const rc = this.flash.read(addr, buf, off, n);
    this.report.bytes_read += n;
    if (rc !== FLASH_OK) fail("journal", "flash read failed at sector " + Math.floor(addr / this.g.sector_bytes) + " offset " + (addr % this.g.sector_bytes) + " (code " + rc + ")");
  }

  /**
   * Appends the payload at wbuf[RECORD_HEAD_BYTES..+n) as one record; asserts it before it is
   * programmed and compares it after. A failing sector is abandoned and the record written
   * to a fresh head. Returns the record's address.
   */
  append(type: number, n: number, copyOf: boolean): number {
    const span = recordSpan(n, this.g.prog_bytes);
    for (let attempt = 0; attempt <= this.g.sector_count; attempt++) {
      if (this.head < 0 || this.headPos + span > this.g.sector_bytes) this.advanceHead(this.headPos, this.head < 0 ? NO_SEQ : this.secSeq[this.head]);
      const sealed = sealRecord(this.wbuf, type, this.nextSeq, n);
      fill(this.wbuf, sealed, span - sealed, 0xff);
      this.assertRecord(type, n);
      const addr = this.head * this.g.sector_bytes + this.headPos;
      if (this.programVerified(addr, this.wbuf, span)) {
        this.nextSeq++;
        this.headPos += span;
        this.stats.records++;
        if (copyOf) this.stats.copy_payload_bytes += n;
        else this.stats.payload_bytes += n;
        return addr;
      }
      this.secBad[this.head] = 1;
      this.advanceHead(this.headPos, this.secSeq[this.head]);
    }
    return fail("journal", "flash worn out — " + this.badSectors().length + " bad sectors, record not written");
  }

  private assertRecord(type: number, n: number): void {
    if (!plausibleHead(this.wbuf, 0) || !recordCrcOk(this.wbuf, 0)) fail("journal", "assertion: record about to be written is malformed");
    readKeys(type, this.wbuf, RECORD_HEAD_BYTES, n, this.keys);
  }

  /** Programs `buf[0..n)` at `addr` page by page, then reads it back and compares. */
  private programVerified(addr: number, buf: Bytes, n: number): boolean {
    const page = this.g.page_bytes;
    let done = 0;
    const maxPieces = Math.ceil(n / page) + 1;
    for (let piece = 0; piece < maxPieces && done < n; piece++) {
      const a = addr + done;
      const chunk = Math.min(n - done, page - (a % page));
      if (this.flash.program(a, buf, done, chunk) !== FLASH_OK) return false;
      done += chunk;
      this.stats.programmed_bytes += chunk;
    }
    const rc = this.flash.read(addr, this.rbuf, 0, n);
    if (rc !== FLASH_OK) return false;
    for (let i = 0; i < n; i++) if (get(this.rbuf, i) !== get(buf, i)) return false;
    return true;
  }

  /** Closes the head (its data ends at `prevEnd`) and opens an erased sector as the new head. */
  advanceHead(prevEnd: number, prevSeq: number): void {
    if (this.readOnly) fail("journal", "opened read-only");
    for (let tries = 0; tries < this.g.sector_count; tries++) {
      const s = this.pickFreeSector();
      if (s < 0) break;
      if (this.openSector(s, prevEnd, prevSeq)) return;
      this.secBad[s] = 1;
    }
    const bad = this.badSectors().length;
    if (bad > 0) fail("journal", "flash worn out — " + bad + " of " + this.g.sector_count + " sectors bad, no erased sector left (erase counts up to " + this.maxEraseCount() + ")");
    fail("journal", JOURNAL_FULL);
  }

  private openSector(s: number, prevEnd: number, prevSeq: number): boolean {
    this.stats.erases++;
    if (this.flash.erase(s) !== FLASH_OK) return false;
    this.secErase[s]++;
    const h: SectorHeader = { seq: this.nextSectorSeq, erase_count: this.secErase[s], low: this.oldestLiveSeq(this.nextSectorSeq), prev_seq: prevSeq, prev_end: prevEnd };
    fill(this.hbuf, 0, len(this.hbuf), 0xff);
    encodeHeader(this.hbuf, h);
    if (!this.programVerified(s * this.g.sector_bytes, this.hbuf, len(this.hbuf))) return false;
    this.nextSectorSeq++;
    this.secSeq[s] = h.seq;
    this.secLow[s] = h.low;
    this.secPrevSeq[s] = prevSeq;
    this.secPrevEnd[s] = prevEnd;
    this.secState[s] = SECTOR_LIVE;
    this.head = s;
    this.headPos = this.first;
    return true;
  }

  /** The dead, good sector with the fewest erases (wear levelling), or -1. */
  private pickFreeSector(): number {
    let best = -1;
    for (let s = 0; s < this.g.sector_count; s++) {
      if (this.secState[s] !== SECTOR_DEAD || this.secBad[s] !== 0) continue;
      if (best < 0 || this.secErase[s] < this.secErase[best]) best = s;
    }
    return best;
  }

  /** Seq of the oldest live sector (`dflt` when none). */
  oldestLiveSeq(dflt: number): number {
    return this.oldestLiveSeqExcept(-1, dflt);
  }

  private oldestLiveSeqExcept(except: number, dflt?: number): number {
    let low = dflt === undefined ? this.secSeq[this.head] : dflt;
    for (let s = 0; s < this.g.sector_count; s++) {
      if (s !== except && this.secState[s] === SECTOR_LIVE && this.secSeq[s] < low) low = this.secSeq[s];
    }
    return low;
  }

  private oldestLiveSector(): number {
    let best = -1;
    for (let s = 0; s < this.g.sector_count; s++) {
      if (this.secState[s] !== SECTOR_LIVE || s === this.head) continue;
      if (best < 0 || this.secSeq[s] < this.secSeq[best]) best = s;
    }
    return best;
  }

  private freeSectors(): number {
    let n = 0;
    for (let s = 0; s < this.g.sector_count; s++) if (this.secState[s] === SECTOR_DEAD && this.secBad[s] === 0) n++;
    return n;
  }

  // ---- reclaim ----

  /** Keeps RESERVE_SECTORS erased-or-dead sectors by reclaiming the oldest ones. */
  maintainReserve(): void {
    if (this.reclaiming || this.readOnly) return;
    this.reclaiming = true;
    for (let i = 0; i < this.g.sector_count * 2 && this.freeSectors() < RESERVE_SECTORS; i++) {
      const o = this.oldestLiveSector();
      if (o < 0) break;
      this.reclaimSector(o);
    }
    this.reclaiming = false;
  }

  /** Copies the live records of sector `o` forward, makes the new low durable, then frees `o`. */
  reclaimSector(o: number): void {
    this.stats.reclaims++;
    for (let i = 0; i < this.nTx; i++) if (this.txnIn(i, o)) this.copyTxn(i);
    for (let i = 0; i < this.nRv; i++) if (this.revIn(i, o)) this.copyRev(i);
    this.meta.low = this.oldestLiveSeqExcept(o);
    this.appendMeta();
    this.secState[o] = SECTOR_DEAD;
  }

  private inSector(addr: number, s: number): boolean {
    return addr !== NO_ADDR && Math.floor(addr / this.g.sector_bytes) === s;
  }

  private txnIn(i: number, s: number): boolean {
    const at = i * TX_SLOT_BYTES;
    return this.inSector(getU24(this.tx, at + TX_BASE), s) || this.inSector(getU24(this.tx, at + TX_DELTA), s);
  }

  private revIn(i: number, s: number): boolean {
    const at = i * RV_SLOT_BYTES;
    return this.inSector(getU24(this.rv, at + RV_FULL), s) || this.inSector(getU24(this.rv, at + RV_UPD), s);
  }

  private copyTxn(i: number): void {
    const t = this.loadTxn(i);
    const n = writeTxn(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, t);
    const addr = this.append(REC_TXN, n, true);
    this.txnApply(t.batch, t.stan, t.state, addr, recordSpan(n, this.g.prog_bytes), true);
  }

  private copyRev(i: number): void {
    const v = this.loadRev(i);
    const n = writeRev(this.wbuf, RECORD_HEAD_BYTES, len(this.wbuf) - 4, v);
    const addr = this.append(REC_REV, n, true);
    this.revApply(v.id, v.batch, v.stan, v.reason, v.attempts, v.state, addr, recordSpan(n, this.g.prog_bytes), true);
  }

  // ---- recovery (used by recover.ts) ----

  /** Applies one valid record found at `addr` (payload in rbuf) to the RAM index. */
  applyRecord(type: number, addr: number, n: number): void {
    const k = this.keys;
    readKeys(type, this.rbuf, RECORD_HEAD_BYTES, n, k);
    const span = recordSpan(n, this.g.prog_bytes);
    if (type === REC_TXN || type === REC_TXN_DELTA) {
      if (k.batch === this.meta.closed && this.findTxn(k.batch, k.stan) < 0 && type === REC_TXN) return;
      this.txnApply(k.batch, k.stan, k.state, addr, span, type === REC_TXN);
    } else if (type === REC_REV) {
      this.revApply(k.id, k.batch, k.stan, k.reason, k.attempts, k.state, addr, span, true);
    } else if (type === REC_REV_UPD) {
      this.revApply(k.id, 0, 0, k.reason, k.attempts, k.state, addr, span, false);
    } else {
      const closedBefore = this.meta.closed;
      this.meta.stan_high = k.stan_high; this.meta.batch = k.batch; this.meta.low = k.low; this.meta.closed = k.closed;
      this.metaAddr = addr;
      if (k.closed !== closedBefore && k.closed !== 0) this.dropBatch(k.closed);
      this.dropReversals(k.dropped);
    }
  }

  /** Forgets everything recovered so far (a second pass with a higher low). */
  resetIndex(): void {
    this.nTx = 0;
    this.nRv = 0;
    this.meta = newKeys();
    this.meta.batch = 1;
    this.metaAddr = NO_ADDR;
    this.lastSeqSeen = 0;
    this.tailAt = -1;
    this.report.records = 0;
    this.report.torn_tail = "";
    this.report.corrupt = [];
  }

  /** After recovery: STANs resume past the persisted reservation. */
  resumeCounters(): void {
    this.stan = this.meta.stan_high;
    this.stanLeft = 0;
  }

  /** Keeps the last record found by the scan (in wbuf: nothing is written while recovering). */
  copyToTail(at: number, span: number): void {
    const n = RECORD_OVERHEAD_BYTES + recordPayloadLength(this.rbuf, 0);
    copy(this.rbuf, 0, this.wbuf, 0, n);
    fill(this.wbuf, n, span - n, 0xff);
    this.tailAt = at;
    this.tailSpan = span;
  }

  /** Programs the last record found again, in place: completes any bit a cut left half-programmed. */
  solidifyTail(): void {
    if (!this.programVerified(this.tailAt, this.wbuf, this.tailSpan)) fail("journal", "cannot re-program the last record at " + this.where(this.tailAt));
  }

  /** Zero-fills `s` from `from` to `to` (whole filler spans) and makes `s` the head at `to`. */
  resumeAfterFiller(s: number, from: number, to: number): void {
    fill(this.wbuf, 0, len(this.wbuf), 0);
    const base = s * this.g.sector_bytes;
    let at = from;
    for (let guard = 0; guard < this.g.sector_bytes && at < to; guard++) {
      const n = Math.min(to - at, len(this.wbuf));
      if (!this.programVerified(base + at, this.wbuf, n)) {
        this.secBad[s] = 1;
        this.advanceHead(from, this.secSeq[s]);
        return;
      }
      at += n;
    }
    this.head = s;
    this.headPos = to;
  }

  where(addr: number): string {
    return "sector " + Math.floor(addr / this.g.sector_bytes) + " offset " + (addr % this.g.sector_bytes);
  }

  markDead(s: number): void {
    this.secState[s] = SECTOR_DEAD;
  }

  markLive(s: number): void {
    this.secState[s] = SECTOR_LIVE;
  }

  isLive(s: number): boolean {
    return this.secState[s] === SECTOR_LIVE;
  }

  corrupt(s: number, off: number, why: string): void {
    if (this.report.corrupt.length < MAX_REPORTS) this.report.corrupt.push("sector " + s + " offset " + off + ": " + why);
  }
}

function wrapStan(v: number): number {
  return v > STAN_MAX ? v - STAN_MAX : v;
}

function checkConfig(g: FlashGeometry, o: JournalConfig): void {
  if (g.sector_bytes > MAX_SECTOR_BYTES || g.sector_bytes < 256) fail("journal", "sector of " + g.sector_bytes + " bytes outside 256.." + MAX_SECTOR_BYTES);
  if (g.sector_count < RESERVE_SECTORS + 2 || g.sector_count * g.sector_bytes > 16777215) fail("journal", "needs " + (RESERVE_SECTORS + 2) + " or more sectors and under 16 MiB");
  if (o.maxTxnsPerBatch < 1 || o.maxTxnsPerBatch > MAX_SLOTS) fail("journal", "maxTxnsPerBatch " + o.maxTxnsPerBatch + " outside 1.." + MAX_SLOTS);
  if (o.maxReversals < 1 || o.maxReversals > 255) fail("journal", "maxReversals " + o.maxReversals + " outside 1..255");
  if (o.warnFillPercent < 1 || o.warnFillPercent > 100) fail("journal", "warnFillPercent " + o.warnFillPercent + " outside 1..100");
}

