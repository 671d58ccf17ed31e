// Writing a transaction's records: a new one (full record), a change of its mutable part
// (delta record, optionally disarming its reversal in the same record), or any other change
// (a full record again). The capacity rule is asked before anything that needs new room.
import { len } from "../bytes/index";
import { fail } from "../errors";
import { TxnRecord } from "./api";
import { RECORD_HEAD_BYTES, REC_TXN, REC_TXN_DELTA, recordSpan } from "./format";
import { JOURNAL_FULL, FlashLog } from "./log";
import { writeTxn, writeTxnDelta } from "./payload";
import { loadTxn } from "./reclaim";
import { TxnTable } from "./txn-table";
import { sameImmutable, sameTxn } from "./validate";

/** Capacity charged per transaction for its future delta (largest: 54 payload bytes with `refundedBy` and a disarmed reversal id, + RECORD_OVERHEAD_BYTES), and per reversal for its updates. */
export const DELTA_CHARGE_BYTES = 64;

/** What the writer needs from the journal: the capacity rule. */
export interface TxnHost {
  admit(extra: number): void;
}

export class TxnWriter {
  private readonly log: FlashLog;
  private readonly tt: TxnTable;
  private readonly maxTxns: number;

  constructor(log: FlashLog, tt: TxnTable, maxTxns: number) {
    this.log = log;
    this.tt = tt;
    this.maxTxns = maxTxns;
  }

  /** Writes `t` (new: full record; changed: delta or full record; unchanged: nothing). */
  put(host: TxnHost, t: TxnRecord): void {
    const i = this.tt.find(t.batch, t.stan);
    if (i < 0) this.add(host, t);
    else this.update(host, i, t);
  }

  /** True when slot `i` changes to `t` only in what a delta carries (and changes at all). */
  deltaOnly(i: number, t: TxnRecord): boolean {
    const cur = loadTxn(this.log, this.tt, i);
    return !sameTxn(cur, t) && sameImmutable(cur, t);
  }

  private add(host: TxnHost, t: TxnRecord): void {
    if (this.tt.n >= this.maxTxns) fail("journal", JOURNAL_FULL);
    const wbuf = this.log.b.wbuf;
    const n = writeTxn(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, t);
    const span = recordSpan(n, this.log.g.prog_bytes);
    host.admit(span + DELTA_CHARGE_BYTES);
    const addr = this.log.append(REC_TXN, n, false);
    this.tt.hashTxn(this.tt.apply(t.batch, t.stan, t.state, addr, span, true), t);
  }

  private update(host: TxnHost, i: number, t: TxnRecord): void {
    const cur = loadTxn(this.log, this.tt, i);
    if (sameTxn(cur, t)) return;
    if (sameImmutable(cur, t)) return this.delta(t, 0);
    const wbuf = this.log.b.wbuf;
    const n = writeTxn(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, t);
    const span = recordSpan(n, this.log.g.prog_bytes);
    const old = this.tt.baseLen(i);
    if (span > old) host.admit(span - old);
    const addr = this.log.append(REC_TXN, n, false);
    this.tt.hashTxn(this.tt.apply(t.batch, t.stan, t.state, addr, span, true), t);
  }

  /** A delta record (with `disarm` not 0: that reversal disarmed in the same record). */
  delta(t: TxnRecord, disarm: number): void {
    const wbuf = this.log.b.wbuf;
    const n = writeTxnDelta(wbuf, RECORD_HEAD_BYTES, len(wbuf) - 4, t, disarm);
    const addr = this.log.append(REC_TXN_DELTA, n, false);
    this.tt.hashTxn(this.tt.apply(t.batch, t.stan, t.state, addr, recordSpan(n, this.log.g.prog_bytes), false), t);
  }
}
