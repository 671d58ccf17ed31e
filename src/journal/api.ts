// The journal's contract with the transaction engine. The journal (src/journal/) keeps
// every transaction state, the reversal queue and the STAN/batch counters in NOR flash,
// power-loss-safe; the engine (src/txn/) only ever talks to it through this interface.
import { Bytes } from "../bytes/types";

/** Transaction kinds kept in the journal (balance inquiries are not journaled). */
export const KIND_SALE = 1;
export const KIND_VOID = 2;
export const KIND_REFUND = 3;

/** Transaction states. PENDING: the request may have left, the outcome is unknown. */
export const ST_PENDING = 1;
export const ST_APPROVED = 2;
export const ST_DECLINED = 3;
/** A sale whose void was approved. */
export const ST_VOIDED = 4;
/** Reversed at the acquirer (reversal completed). */
export const ST_REVERSED = 5;

/** Reversal queue entry states. */
export const REV_PENDING = 1;
export const REV_COMPLETED = 2;
/** Retries ran out: "reversal failed — contact acquirer"; kept for settlement. */
export const REV_FAILED = 3;

/** One transaction's newest state. Strings are "" when not (yet) known; never null. */
export interface TxnRecord {
  batch: number;
  stan: number;
  kind: number;
  state: number;
  amount_minor: number;
  /** ISO 4217 numeric, e.g. "156". */
  currency: string;
  /** First 6 / last 4 only. */
  panMasked: string;
  /** The PAN sealed by the SecurityModule; the clear PAN is never stored. */
  panSealed: Bytes;
  /** Local transaction time, field 12+13 style "MMDDhhmmss". */
  time: string;
  rrn: string;
  authCode: string;
  /** Field 39 of the reply, "" while pending. */
  respCode: string;
  /** Void: the voided sale's STAN; 0 otherwise. */
  origStan: number;
  /** Refund: the original sale's RRN and date (MMDD); "" otherwise. */
  origRrn: string;
  origDate: string;
  /** Sale: total of approved refunds against it. */
  refunded_minor: number;
}

/** One pending/finished reversal. `request` is the original request, packed bare, with track data, PIN block and fields 26/53 already removed. */
export interface ReversalRecord {
  id: number;
  batch: number;
  stan: number;
  /** Field 39 of the 0400: "98" no reply, "A0" bad MAC, "06" mismatch/cannot complete. */
  reason: string;
  attempts: number;
  state: number;
  request: Bytes;
}

export interface JournalConfig {
  /** Most transactions one batch may hold before settlement is required. */
  maxTxnsPerBatch: number;
  /** Capacity of the reversal FIFO. */
  maxReversals: number;
  /** Fill level (percent) at which `nearlyFull()` turns true so the UI can warn. */
  warnFillPercent: number;
}

export interface Journal {
  /** Reserves and persists the next STAN (1..999999, wraps, never repeats after a cut). */
  nextStan(): number;
  batch(): number;
  /** Sets the batch number (sign-in reply); persisted. */
  setBatch(batch: number): void;
  /** Appends the newest state of a transaction (keyed by batch+stan). Throws "journal full — settle the batch" rather than drop unsettled data. */
  putTxn(t: TxnRecord): void;
  getTxn(batch: number, stan: number): TxnRecord | undefined;
  findByRrn(rrn: string): TxnRecord | undefined;
  /** Transactions of the current batch, ascending STAN. */
  txns(): TxnRecord[];
  /** Arms a reversal before the request leaves; returns its id. */
  armReversal(batch: number, stan: number, reason: string, request: Bytes): number;
  setReversalReason(id: number, reason: string): void;
  /** Records one send attempt; returns the attempt count. */
  recordAttempt(id: number): number;
  /** The acquirer settled it (00, 12, 25). */
  completeReversal(id: number): void;
  /** Retries ran out; kept for settlement. */
  failReversal(id: number): void;
  /** The reply settled the outcome: the reversal is not needed. */
  disarmReversal(id: number): void;
  /** Pending reversals, oldest first. */
  pendingReversals(): ReversalRecord[];
  /** Closes the current batch after settlement: its records become reclaimable, batch + 1. */
  closeBatch(): void;
  /** Used share of the region that cannot be reclaimed, 0..100. */
  fillPercent(): number;
  nearlyFull(): boolean;
}
