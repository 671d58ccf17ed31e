// Reading transactions and reversals back from flash, and copying the live ones of a sector
// forward when it is reclaimed, then a META with the new low; only then is the sector free.
import { len } from "../bytes/index";
import { ReversalRecord, TxnRecord } from "./api";
import { RECORD_HEAD_BYTES, REC_REV, REC_TXN, REC_TXN_DELTA, recordSpan } from "./format";
import { NO_ADDR } from "./index-slots";
import { AppRecordStore } from "./app-records";
import { RESERVE_SECTORS } from "./layout";
import { FlashLog } from "./log";
import { applyTxnDelta, readRev, readTxn, writeRev, writeTxn } from "./payload";
import { RamIndex } from "./ram-index";
import { RevTable } from "./rev-table";
import { TxnTable } from "./txn-table";

/** Reads slot `i`'s base record (and delta), checking each CRC again. */
export function loadTxn(log: FlashLog, tt: TxnTable, i: number): TxnRecord {
  const n = log.readRecord(tt.base(i), REC_TXN);
  const t = readTxn(log.b.rbuf, RECORD_HEAD_BYTES, n);
  const d = tt.delta(i);
  if (d !== NO_ADDR) {
    const dn = log.readRecord(d, REC_TXN_DELTA);
    applyTxnDelta(log.b.rbuf, RECORD_HEAD_BYTES, dn, t);
  }
  return t;
}

/** Reads reversal slot `i` (its full record, with state, attempts and reason from the index). */
export function loadRev(log: FlashLog, rt: RevTable, i: number): ReversalRecord {
  const n = log.readRecord(rt.full(i), REC_REV);
  const v = readRev(log.b.rbuf, RECORD_HEAD_BYTES, n);
  v.state = rt.state(i);
  v.attempts = rt.attempts(i);
  v.reason = rt.reason(i);
  return v;
}

/** What reclaim needs from the journal: a META record with the current counters. */
export interface ReclaimHost {
  appendMeta(): void;
}

export class Reclaimer {
  private readonly log: FlashLog;
  private readonly idx: RamIndex;
  private readonly app: AppRecordStore;
  private reclaiming = false;

  constructor(log: FlashLog, idx: RamIndex, app: AppRecordStore) {
    this.log = log;
    this.idx = idx;
    this.app = app;
  }

  /** Keeps RESERVE_SECTORS erased-or-dead sectors by reclaiming the oldest ones (not re-entered from its own writes). */
  maintain(host: ReclaimHost): void {
    if (this.reclaiming) return;
    this.reclaiming = true;
    const t = this.idx.sectors;
    for (let i = 0; i < t.count * 2 && t.freeCount() < RESERVE_SECTORS; i++) {
      const o = t.oldestLive(this.log.head);
      if (o < 0) break;
      this.reclaimSector(host, o);
    }
    this.reclaiming = false;
  }

  /** Reclaims sector `o` now. */
  reclaimNow(host: ReclaimHost, o: number): void {
    this.reclaiming = true;
    this.reclaimSector(host, o);
    this.reclaiming = false;
  }

  /** Copies the live records of sector `o` forward, makes the new low durable, then frees `o`. */
  private reclaimSector(host: ReclaimHost, o: number): void {
    const t = this.idx.sectors;
    this.log.stats.reclaims++;
    const tt = this.idx.txns;
    const rt = this.idx.revs;
    for (let i = 0; i < tt.n; i++) if (this.inSector(tt.base(i), o) || this.inSector(tt.delta(i), o)) this.copyTxn(i);
    for (let i = 0; i < rt.n; i++) if (this.inSector(rt.full(i), o) || this.inSector(rt.upd(i), o)) this.copyRev(i);
    this.app.copyFrom(o);
    this.idx.meta.low = t.oldestLiveSeq(o, t.seq[this.log.head]);
    host.appendMeta();
    t.markDead(o);
    this.log.retireHeader(o);
  }

  private inSector(addr: number, s: number): boolean {
    return addr !== NO_ADDR && Math.floor(addr / this.log.g.sector_bytes) === s;
  }

  copyTxn(i: number): void {
    const t = loadTxn(this.log, this.idx.txns, i);
    const wbuf = this.log.b.wbuf;
    const n = writeTxn(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, t);
    const addr = this.log.append(REC_TXN, n, true);
    this.idx.txns.hashTxn(this.idx.txns.apply(t.batch, t.stan, t.state, addr, recordSpan(n, this.log.g.prog_bytes), true), t);
  }

  copyRev(i: number): void {
    const v = loadRev(this.log, this.idx.revs, i);
    const wbuf = this.log.b.wbuf;
    const n = writeRev(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, v);
    const addr = this.log.append(REC_REV, n, true);
    this.idx.revs.apply(v.id, v.batch, v.stan, v.reason, v.attempts, v.state, addr, recordSpan(n, this.log.g.prog_bytes), true);
  }
}
