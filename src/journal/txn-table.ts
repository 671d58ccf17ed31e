// The RAM index of transactions: one fixed slot per transaction kept (any batch), pointing
// at its base record and newest delta on flash, in ascending STAN order. Sized at open; never grows.
import { Bytes, alloc, copy, get, set } from "../bytes/index";
import { fail } from "../errors";
import { TxnRecord } from "./api";
import { digitsHash } from "./digits";
import {
  NO_ADDR, TX_BASE, TX_BASE_LEN, TX_BATCH, TX_DELTA, TX_DELTA_LEN, TX_ORIG_H, TX_RRN_H, TX_SLOT_BYTES, TX_STAN, TX_STATE, getU16, getU24, setU16, setU24,
} from "./index-slots";

export class TxnTable {
  readonly max: number;
  readonly tx: Bytes;
  n = 0;
  /** The RRN `mayHold` was last asked about, and its hash (a walk asks slot after slot). */
  private qRrn = "";
  private qHash = 0;

  constructor(max: number) {
    this.max = max;
    this.tx = alloc(max * TX_SLOT_BYTES);
  }

  /**
   * The slot of (batch, stan), or -1. Slots are in ascending STAN order (insertAt), so a binary
   * search finds the first slot of `stan` (log2(n) steps, not n: recovery calls this for every
   * txn record); the slots of that STAN in other batches follow it.
   */
  find(batch: number, stan: number): number {
    let lo = 0;
    let hi = this.n;
    for (let guard = 0; guard < 32 && lo < hi; guard++) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.stanOf(mid) < stan) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.n && this.stanOf(i) === stan; i++) if (this.batchOf(i) === batch) return i;
    return -1;
  }

  batchOf(i: number): number {
    return getU24(this.tx, i * TX_SLOT_BYTES + TX_BATCH);
  }

  stanOf(i: number): number {
    return getU24(this.tx, i * TX_SLOT_BYTES + TX_STAN);
  }

  stateOf(i: number): number {
    return get(this.tx, i * TX_SLOT_BYTES + TX_STATE);
  }

  base(i: number): number {
    return getU24(this.tx, i * TX_SLOT_BYTES + TX_BASE);
  }

  baseLen(i: number): number {
    return getU16(this.tx, i * TX_SLOT_BYTES + TX_BASE_LEN);
  }

  delta(i: number): number {
    return getU24(this.tx, i * TX_SLOT_BYTES + TX_DELTA);
  }

  /** Hash of slot `i`'s RRN (`orig` false) or of its original's RRN (`orig` true); 0: none. */
  hashOf(i: number, orig: boolean): number {
    return get(this.tx, i * TX_SLOT_BYTES + (orig ? TX_ORIG_H : TX_RRN_H));
  }

  /** False when slot `i`'s RRN (`orig` false) or its original's RRN (`orig` true) is surely not `rrn` (their hashes differ). */
  mayHold(i: number, rrn: string, orig: boolean): boolean {
    if (rrn !== this.qRrn) {
      this.qRrn = rrn;
      this.qHash = digitsHash(rrn);
    }
    return i >= 0 && i < this.n && this.hashOf(i, orig) === this.qHash;
  }

  /** Sets slot `i`'s RRN hash and (`origH` not negative) its original's RRN hash. */
  setHashes(i: number, rrnH: number, origH: number): void {
    set(this.tx, i * TX_SLOT_BYTES + TX_RRN_H, rrnH);
    if (origH >= 0) set(this.tx, i * TX_SLOT_BYTES + TX_ORIG_H, origH);
  }

  /** Keeps slot `i`'s hashes those of `t`, its newest state (`i` negative: nothing). */
  hashTxn(i: number, t: TxnRecord): void {
    if (i >= 0) this.setHashes(i, digitsHash(t.rrn), digitsHash(t.origRrn));
  }

  /**
   * Points the index at a txn record just written or found by recovery (`full`: base record, else
   * delta); returns its slot (-1: a delta of a transaction not kept). The caller sets its hashes.
   */
  apply(batch: number, stan: number, state: number, addr: number, span: number, full: boolean): number {
    let i = this.find(batch, stan);
    if (i < 0) {
      if (!full) return -1;
      if (this.n >= this.max) fail("journal", "recovery: more than " + this.max + " transactions kept (maxTxnsPerBatch too small for this image)");
      i = this.insertAt(stan);
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
      this.setHashes(i, 0, 0);
    } else {
      setU24(this.tx, at + TX_DELTA, addr);
      setU16(this.tx, at + TX_DELTA_LEN, span);
    }
    return i;
  }

  /**
   * Opens a slot for a new transaction so that slots stay in ascending STAN order (a batch is
   * walked in STAN order without sorting, see `FlashJournal.txnAt`): later slots move up by one.
   */
  private insertAt(stan: number): number {
    let i = this.n;
    for (let moved = 0; moved < this.n && i > 0 && this.stanOf(i - 1) > stan; moved++) {
      copy(this.tx, (i - 1) * TX_SLOT_BYTES, this.tx, i * TX_SLOT_BYTES, TX_SLOT_BYTES);
      i--;
    }
    this.n++;
    return i;
  }

  /** Forgets every transaction of `batch` (closed by settlement). */
  dropBatch(batch: number): void {
    let keep = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.batchOf(i) === batch) continue;
      if (keep !== i) copy(this.tx, i * TX_SLOT_BYTES, this.tx, keep * TX_SLOT_BYTES, TX_SLOT_BYTES);
      keep++;
    }
    this.n = keep;
  }

  /** Bytes charged by the capacity rule: each base record plus `perTxn`. */
  charged(perTxn: number): number {
    let total = 0;
    for (let i = 0; i < this.n; i++) total += this.baseLen(i) + perTxn;
    return total;
  }
}
