// The transaction engine's vocabulary: operations an operator asks for, events that drive
// the engine, and effects it asks the device to carry out. Plain records with short numeric
// kinds, identical on every target.
import { Bytes } from "../bytes/types";

/** Operations. */
export const OP_SIGNIN = 1;
export const OP_SALE = 2;
export const OP_VOID = 3;
export const OP_REFUND = 4;
export const OP_BALANCE = 5;
export const OP_SETTLE = 6;
export const OP_NAMES = ["", "sign-in", "sale", "void", "refund", "balance", "settlement"];

/** Events into the engine. */
export const EV_OP = 1;
export const EV_BYTES = 2;
export const EV_TIMER = 3;
export const EV_POWER_UP = 4;
/** The app/EMV layer cannot complete an approved transaction (card declined after approval, no receipt). */
export const EV_CANNOT_COMPLETE = 5;
/** The app/EMV layer completed an approved chip transaction. */
export const EV_COMPLETED = 6;

/** Effects out of the engine. */
export const FX_SEND = 1;
export const FX_START_TIMER = 2;
export const FX_CANCEL_TIMER = 3;
export const FX_PRINT = 4;
export const FX_DISPLAY = 5;
/** Set the terminal clock: text "MMDDhhmmss" from the sign-in reply. */
export const FX_SET_CLOCK = 6;
/** An operation finished (approved, declined or failed). */
export const FX_RESULT = 7;
/** The host approved a sale that waits (chip card, or awaitCompletion): finish it, then raise EV_COMPLETED or EV_CANNOT_COMPLETE. */
export const FX_FINISH_CARD = 8;

/** Card data as read by the card reader; "" for absent items. */
export interface Card {
  pan: string;
  /** YYMM */
  expiry: string;
  /** Track-2 equivalent data ("D" separator), "" for keyed entry. */
  track2: string;
  /** Encrypted PIN block (hex), "" without PIN. */
  pinBlock: string;
  /** True for chip (EMV): the sale waits for EV_COMPLETED / EV_CANNOT_COMPLETE. */
  chip: boolean;
  /** Field 55 (hex), "" for magnetic stripe. */
  icc: string;
}

export interface Operation {
  op: number;
  amount_minor: number;
  card?: Card;
  /** Void: the sale's trace number (STAN). */
  origStan: number;
  /** Void: the supervisor password. */
  password: string;
  /** Refund: the original RRN and date (MMDD). */
  origRrn: string;
  origDate: string;
}

export interface TxnEvent {
  k: number;
  /** Wall-clock time from the Clock HAL, milliseconds since 1970 (UTC). */
  t_ms: number;
  op?: Operation;
  data?: Bytes;
  /** EV_TIMER: the timer's id. */
  id?: number;
}

export interface OpResult {
  op: number;
  /** True when the acquirer approved (or the local operation succeeded). */
  ok: boolean;
  /** Field 39, or "" when no valid reply came. */
  code: string;
  text: string;
  stan: number;
  amount_minor: number;
  rrn: string;
  authCode: string;
  /** The issuer's name from 63.2.1 of the reply, when it had one (one character per byte: GBK bytes above 0x7E kept). */
  issuer?: string;
}

export interface Effect {
  k: number;
  b?: Bytes;
  id?: number;
  ms?: number;
  text?: string;
  lines?: string[];
  result?: OpResult;
}

export interface TxnConfig {
  /** Field 41, 8 characters. */
  terminalId: string;
  /** Field 42, 15 characters. */
  merchantId: string;
  merchantName: string;
  /** ISO 4217 numeric, e.g. "156". */
  currency: string;
  /** How long to wait for a reply. */
  timeout_ms: number;
  /** Sends of one reversal (and repeats of an unanswered refund) before giving up. */
  reversalAttempts: number;
  /** Refund cap when the original sale is not in the journal. */
  refundMax_minor: number;
  supervisorPassword: string;
  /** Sign-in 60.3: "001" single DES, "003" double-length keys, "004" with a track key. */
  keyScheme: string;
  /**
   * Approved magnetic-stripe sales also wait for EV_COMPLETED (e.g. the receipt printed) or
   * EV_CANNOT_COMPLETE before the reversal is disarmed; chip sales always wait for the card.
   */
  awaitCompletion: boolean;
}

/** Defaults a configuration starts from. */
export const DEFAULT_TIMEOUT_MS = 30000;
export const DEFAULT_REVERSAL_ATTEMPTS = 3;
/** Largest amount in minor units (field 4 holds 12 digits; kept below 2^53). */
export const MAX_AMOUNT_MINOR = 999999999999;

/** A sale of a settled batch, as the index of settled sales keeps it. */
export interface SettledSale {
  batch: number;
  stan: number;
  rrn: string;
  /** MMDD of the sale. */
  date: string;
  amount_minor: number;
  /** Approved refunds against it so far, including those of `refundBatch`. */
  refunded_minor: number;
  /** The batch whose approved refunds were counted last into `refunded_minor` (0: none), and what they added. */
  refundBatch: number;
  refundBatch_minor: number;
}

/**
 * A bounded, persistent index of settled sales (the journal drops a batch once it is settled),
 * so a refund after settlement is still capped at the original minus what was refunded. The
 * engine keeps it up to date: at settlement it adds the batch's approved sales and counts the
 * batch's approved refunds against older settled sales; it looks originals up by RRN.
 */
export interface SettledSales {
  find(rrn: string): SettledSale | undefined;
  /** Adds a sale (kept in RAM until `save`); one already kept (same batch, trace and RRN) is updated in place, not added twice. */
  add(sale: SettledSale): void;
  /**
   * Sets what the approved refunds of `batch` took from the sale `rrn` to `batch_minor`:
   * `settledBatchRefunds` is applied in one write of the sale's entry, so counting the same
   * batch again (a power cut before the journal closed it) replaces its share, never adds it twice.
   */
  countRefunds(rrn: string, batch: number, batch_minor: number): void;
  /** Persists what `add` and `countRefunds` changed. */
  save(): void;
}

/** `sale` with the refunds of `batch` counted as `batch_minor` (idempotent per batch). */
export function settledBatchRefunds(sale: SettledSale, batch: number, batch_minor: number): void {
  sale.refunded_minor = refundedBefore(sale, batch) + batch_minor;
  sale.refundBatch = batch;
  sale.refundBatch_minor = batch_minor;
}

/** What was refunded of a settled sale before batch `batch` (the open one): its share, if already counted, taken out. */
export function refundedBefore(sale: SettledSale, batch: number): number {
  return sale.refundBatch === batch ? sale.refunded_minor - sale.refundBatch_minor : sale.refunded_minor;
}
