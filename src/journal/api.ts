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
  /**
   * Sale: which refund `refunded_minor` counted last, as `refundKey(batch, stan)` of that refund;
   * 0 (or absent) when none. Written in the same record as the new total, so a refund repeated
   * after a power cut between the two writes of its approval is not counted twice.
   */
  refundedBy?: number;
}

/** `refundKey` = batch * REFUND_KEY_BATCH + STAN (batch and STAN are at most 999999). */
export const REFUND_KEY_BATCH = 1000000;

/** The key of the refund with this batch and STAN (never 0: STANs start at 1). */
export function refundKey(batch: number, stan: number): number {
  return batch * REFUND_KEY_BATCH + stan;
}

/** `t.refundedBy`, 0 when absent. */
export function refundedByOf(t: TxnRecord): number {
  return t.refundedBy === undefined ? 0 : t.refundedBy;
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
  /**
   * putTxn(t), then disarmReversal(revId), as one record when `t` changes only what a delta
   * carries (a reply: approved or declined): a power cut leaves both or neither.
   */
  putTxnDisarm(t: TxnRecord, revId: number): void;
  getTxn(batch: number, stan: number): TxnRecord | undefined;
  findByRrn(rrn: string): TxnRecord | undefined;
  /** Transactions of the current batch, ascending STAN (every one as an object at once: tools and tests; the terminal walks with `txnAt`). */
  txns(): TxnRecord[];
  /** Slots of the transaction index: the bound of a walk with `txnAt` (0..txnSlots()-1 is ascending STAN). */
  txnSlots(): number;
  /**
   * The transaction in index slot `i` when it belongs to the current batch and (`state` not 0)
   * is in `state` (both known from the RAM index: others are not read), else undefined. Read from
   * flash now and kept by nobody else: settlement, lookups and checks walk a batch one record at a
   * time, in memory that does not grow with it. Slots keep their places until a transaction is
   * added or a batch is closed.
   */
  txnAt(i: number, state: number): TxnRecord | undefined;
  /**
   * False when index slot `i` surely does not hold `rrn` as its RRN (`orig` false) or as its
   * original's RRN (`orig` true: refunds), from a one-byte hash in RAM: true may still be a
   * different RRN (read the record to know). Lets a walk by RRN skip what cannot match unread.
   */
  mayRefer(i: number, rrn: string, orig: boolean): boolean;
  /** How many transactions the current batch holds (`state` 0: any, else in that state), from the RAM index. */
  countTxns(state: number): number;
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
  /** Pending reversals, counted in the RAM index (no request read). */
  countPendingReversals(): number;
  /** REV_PENDING when a reversal of this transaction is pending, else REV_FAILED when one failed, else 0 (from the RAM index). */
  reversalStateOf(batch: number, stan: number): number;
  /**
   * True when a record the journal lost (storage fault) may have held a newer state of this
   * transaction (e.g. approved, or its reversal disarmed): outcome unknown — ask the acquirer;
   * its reversal is never sent automatically.
   */
  outcomeUnknown(batch: number, stan: number): boolean;
  /** Closes the current batch after settlement: its records become reclaimable, batch + 1. */
  closeBatch(): void;
  /** Used share of the region that cannot be reclaimed, 0..100. */
  fillPercent(): number;
  nearlyFull(): boolean;
}

/** What an audit record is about; "storage": a storage fault found at power-up. */
export type AuditKind = "void" | "refund" | "reversal" | "abort" | "storage";

/** One audit record (what the settlement report lists: voids, refunds, reversals, aborts, storage faults). */
export interface AuditEntry {
  t_s: number;
  operator: string;
  kind: AuditKind;
  reason: string;
  batch: number;
  stan: number;
  rrn: string;
  amount_minor: number;
  outcome: string;
}

/** Audit kinds in the order they are coded on flash (0..4; new kinds only ever go at the end). */
export const AUDIT_KINDS = ["void", "refund", "reversal", "abort", "storage"];
/** Most audit records kept; released ones are dropped (oldest first, counted) only to make room. */
export const AUDIT_MAX = 64;
/** Text limits of an audit record (printable ASCII). */
export const AUDIT_MAX_OPERATOR = 16;
export const AUDIT_MAX_REASON = 48;
export const AUDIT_MAX_OUTCOME = 64;
/** App blobs: slots 0..APP_BLOB_SLOTS-1, each at most APP_BLOB_MAX_BYTES, kept across sector reclaim. */
export const APP_BLOB_SLOTS = 8;
export const APP_BLOB_MAX_BYTES = 256;
/** The refusal when the audit trail is full of records no settlement report has printed yet. */
export const AUDIT_FULL = "audit trail full — print the settlement report";

/** What the terminal app keeps in the journal besides transactions. */
export interface AppRecords {
  /** Appends an audit record (power-safe). Throws AUDIT_FULL when AUDIT_MAX unreleased records are kept. */
  appendAudit(e: AuditEntry): void;
  /** Kept audit records, oldest first. */
  auditEntries(): AuditEntry[];
  /** Released audit records dropped so far to make room (persisted). */
  auditDropped(): number;
  /** How many audit records can be appended before AUDIT_FULL (AUDIT_MAX less the unreleased ones). */
  auditRoom(): number;
  /** The first `upToSeq` records as auditEntries() lists them were printed: they may be dropped when room is needed. */
  releaseAudit(upToSeq: number): void;
  /** Stores `b` (at most APP_BLOB_MAX_BYTES) in `slot` (0..APP_BLOB_SLOTS-1), replacing what was there. */
  putAppBlob(slot: number, b: Bytes): void;
  getAppBlob(slot: number): Bytes | undefined;
}
