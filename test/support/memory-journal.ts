// TEST DOUBLE: an in-memory Journal (no flash, no power-loss behaviour of its own). It keeps
// the contract of src/journal/api.ts so the engine can be unit-tested; records are copied in
// and out, as a flash journal decodes fresh objects. A "power cut" in tests is modelled by
// dropping the engine and keeping this object (each call is atomic here).
import { Bytes, slice, len } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import {
  Journal, JournalConfig, ReversalRecord, TxnRecord, REV_COMPLETED, REV_FAILED, REV_PENDING,
} from "../../src/journal/api";

const STAN_MAX = 999999;

function copyTxn(t: TxnRecord): TxnRecord {
  const c = { ...t };
  c.panSealed = slice(t.panSealed, 0, len(t.panSealed));
  return c;
}

function copyRev(r: ReversalRecord): ReversalRecord {
  return { ...r, request: slice(r.request, 0, len(r.request)) };
}

export class MemoryJournal implements Journal {
  cfg: JournalConfig;
  stan = 0;
  batchNo = 1;
  txnList: TxnRecord[] = [];
  revs: ReversalRecord[] = [];
  nextId = 1;
  /** Calls that would write flash (for tests). */
  writes = 0;

  constructor(cfg?: Partial<JournalConfig>) {
    this.cfg = { maxTxnsPerBatch: 200, maxReversals: 16, warnFillPercent: 80, ...cfg };
  }

  nextStan(): number {
    this.writes++;
    this.stan = this.stan >= STAN_MAX ? 1 : this.stan + 1;
    return this.stan;
  }
  batch(): number {
    return this.batchNo;
  }
  setBatch(batch: number): void {
    this.writes++;
    this.batchNo = batch;
  }
  putTxn(t: TxnRecord): void {
    this.writes++;
    const at = this.txnList.findIndex((x) => x.batch === t.batch && x.stan === t.stan);
    if (at >= 0) this.txnList[at] = copyTxn(t);
    else {
      if (this.txnList.length >= this.cfg.maxTxnsPerBatch) fail("journal", "journal full — settle the batch");
      this.txnList.push(copyTxn(t));
    }
  }
  putTxnDisarm(t: TxnRecord, revId: number): void {
    this.putTxn(t);
    this.disarmReversal(revId);
  }
  getTxn(batch: number, stan: number): TxnRecord | undefined {
    const t = this.txnList.find((x) => x.batch === batch && x.stan === stan);
    return t === undefined ? undefined : copyTxn(t);
  }
  findByRrn(rrn: string): TxnRecord | undefined {
    const t = this.txnList.find((x) => x.rrn === rrn && rrn !== "");
    return t === undefined ? undefined : copyTxn(t);
  }
  txns(): TxnRecord[] {
    return this.txnList.filter((t) => t.batch === this.batchNo).sort((a, b) => a.stan - b.stan).map(copyTxn);
  }
  txnSlots(): number {
    return this.countTxns(0);
  }
  txnAt(i: number, state: number): TxnRecord | undefined {
    const t = this.txns()[i];
    return t !== undefined && (state === 0 || t.state === state) ? t : undefined;
  }
  /** No RRN index here: every slot may hold any RRN. */
  mayRefer(i: number, _rrn: string, _orig: boolean): boolean {
    return i >= 0 && i < this.txnSlots();
  }
  countTxns(state: number): number {
    return this.txnList.filter((t) => t.batch === this.batchNo && (state === 0 || t.state === state)).length;
  }
  countPendingReversals(): number {
    return this.pendingReversals().length;
  }
  reversalStateOf(batch: number, stan: number): number {
    const mine = this.revs.filter((r) => r.batch === batch && r.stan === stan);
    if (mine.some((r) => r.state === REV_PENDING)) return REV_PENDING;
    return mine.some((r) => r.state === REV_FAILED) ? REV_FAILED : 0;
  }
  armReversal(batch: number, stan: number, reason: string, request: Bytes): number {
    this.writes++;
    if (this.pendingReversals().length >= this.cfg.maxReversals) fail("journal", "reversal queue full");
    const id = this.nextId++;
    this.revs.push({ id, batch, stan, reason, attempts: 0, state: REV_PENDING, request: slice(request, 0, len(request)) });
    return id;
  }
  private rev(id: number): ReversalRecord {
    const r = this.revs.find((x) => x.id === id);
    if (r === undefined) return fail("journal", "no reversal " + id);
    return r;
  }
  setReversalReason(id: number, reason: string): void {
    this.writes++;
    this.rev(id).reason = reason;
  }
  recordAttempt(id: number): number {
    this.writes++;
    return ++this.rev(id).attempts;
  }
  completeReversal(id: number): void {
    this.writes++;
    this.rev(id).state = REV_COMPLETED;
  }
  failReversal(id: number): void {
    this.writes++;
    this.rev(id).state = REV_FAILED;
  }
  disarmReversal(id: number): void {
    this.writes++;
    this.revs = this.revs.filter((r) => r.id !== id);
  }
  outcomeUnknown(): boolean {
    return false;
  }

  pendingReversals(): ReversalRecord[] {
    return this.revs.filter((r) => r.state === REV_PENDING).map(copyRev);
  }
  closeBatch(): void {
    this.writes++;
    this.txnList = this.txnList.filter((t) => t.batch !== this.batchNo);
    this.revs = this.revs.filter((r) => r.state === REV_PENDING);
    this.batchNo = this.batchNo >= STAN_MAX ? 1 : this.batchNo + 1;
  }
  fillPercent(): number {
    return Math.floor((this.txnList.length * 100) / this.cfg.maxTxnsPerBatch);
  }
  nearlyFull(): boolean {
    return this.fillPercent() >= this.cfg.warnFillPercent;
  }
}
