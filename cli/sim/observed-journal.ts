// The simulation's window on the terminal's journal: it delegates every call to the real
// journal (re-opened after each power cut) and watches what the checks need — STANs handed
// out, failed reversals, and each batch's contents just before it is closed.
import { Bytes } from "../../src/bytes/index";
import { Journal, ReversalRecord, TxnRecord } from "../../src/journal/api";

export class ObservedJournal implements Journal {
  inner: Journal;
  lastStan = 0;
  stanViolations: string[] = [];
  reversalsFailed = 0;
  /** Called with the batch's transactions just before it is closed (the close may be cut short). */
  onClose: (batch: number, txns: TxnRecord[]) => void = () => undefined;

  constructor(inner: Journal) {
    this.inner = inner;
  }

  nextStan(): number {
    const s = this.inner.nextStan();
    if (s <= this.lastStan) this.stanViolations.push(`STAN ${s} handed out after ${this.lastStan}`);
    this.lastStan = s;
    return s;
  }
  batch(): number {
    return this.inner.batch();
  }
  setBatch(batch: number): void {
    this.inner.setBatch(batch);
  }
  putTxn(t: TxnRecord): void {
    this.inner.putTxn(t);
  }
  putTxnDisarm(t: TxnRecord, revId: number): void {
    this.inner.putTxnDisarm(t, revId);
  }
  getTxn(batch: number, stan: number): TxnRecord | undefined {
    return this.inner.getTxn(batch, stan);
  }
  findByRrn(rrn: string): TxnRecord | undefined {
    return this.inner.findByRrn(rrn);
  }
  txns(): TxnRecord[] {
    return this.inner.txns();
  }
  txnSlots(): number {
    return this.inner.txnSlots();
  }
  txnAt(i: number, state: number): TxnRecord | undefined {
    return this.inner.txnAt(i, state);
  }
  mayRefer(i: number, rrn: string, orig: boolean): boolean {
    return this.inner.mayRefer(i, rrn, orig);
  }
  countTxns(state: number): number {
    return this.inner.countTxns(state);
  }
  countPendingReversals(): number {
    return this.inner.countPendingReversals();
  }
  reversalStateOf(batch: number, stan: number): number {
    return this.inner.reversalStateOf(batch, stan);
  }
  armReversal(batch: number, stan: number, reason: string, request: Bytes): number {
    return this.inner.armReversal(batch, stan, reason, request);
  }
  setReversalReason(id: number, reason: string): void {
    this.inner.setReversalReason(id, reason);
  }
  recordAttempt(id: number): number {
    return this.inner.recordAttempt(id);
  }
  completeReversal(id: number): void {
    this.inner.completeReversal(id);
  }
  failReversal(id: number): void {
    this.inner.failReversal(id);
    this.reversalsFailed++;
  }
  disarmReversal(id: number): void {
    this.inner.disarmReversal(id);
  }
  pendingReversals(): ReversalRecord[] {
    return this.inner.pendingReversals();
  }

  outcomeUnknown(batch: number, stan: number): boolean {
    return this.inner.outcomeUnknown(batch, stan);
  }
  closeBatch(): void {
    this.onClose(this.inner.batch(), this.inner.txns());
    this.inner.closeBatch();
  }
  fillPercent(): number {
    return this.inner.fillPercent();
  }
  nearlyFull(): boolean {
    return this.inner.nearlyFull();
  }
}
