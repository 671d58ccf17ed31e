// The terminal's money rules, in one place for the engine, the simulation's checks and the
// acquirer simulator: what a refund may still take from a sale, what may be voided, and what
// counts in a batch's totals (what settlement settles). Pure functions over plain facts, so
// every caller maps its own records (journal TxnRecord, acquirer ledger entry) onto them.
// Portable.
import { KIND_REFUND, KIND_SALE, ST_APPROVED, ST_PENDING, ST_VOIDED } from "../journal/api";

/** A sale as the money rules see it. `state` uses the journal's ST_* values. */
export interface SaleFacts {
  kind: number;
  state: number;
  amount_minor: number;
  /** Approved refunds against it so far. */
  refunded_minor: number;
  /** Refunds sent against it whose outcome is not known yet (they count as taken). */
  openRefunds_minor: number;
  /** Its batch has been settled (closed). */
  settled: boolean;
}

/** Refund verdicts. */
export const REFUND_OK = 0;
/** Zero or not a whole number of minor units. */
export const REFUND_BAD_AMOUNT = 1;
/** The original is not known here and the amount is above the cap for unknown originals. */
export const REFUND_ABOVE_MAX = 2;
/** The original is not an approved sale (declined, voided, reversed, pending, or not a sale). */
export const REFUND_NOT_APPROVED = 3;
/** More than what is left of the original. */
export const REFUND_ABOVE_LEFT = 4;

/** Void verdicts. */
export const VOID_OK = 0;
export const VOID_NOT_A_SALE = 1;
export const VOID_ALREADY_VOIDED = 2;
export const VOID_NOT_APPROVED = 3;
/** A sale with refunds is not voided: the rest is refunded instead. */
export const VOID_HAS_REFUNDS = 4;
/** A void is for the full amount only. */
export const VOID_AMOUNT = 5;
/** Its batch was settled: only a refund can give the money back. */
export const VOID_SETTLED = 6;

/** A sale facts record from the fields both sides have. */
export function saleFacts(kind: number, state: number, amount_minor: number, refunded_minor: number, openRefunds_minor: number, settled: boolean): SaleFacts {
  return { kind: kind, state: state, amount_minor: amount_minor, refunded_minor: refunded_minor, openRefunds_minor: openRefunds_minor, settled: settled };
}

/** What a refund may still take from `sale` (0 when it is not an approved sale). */
export function refundableMinor(sale: SaleFacts): number {
  if (sale.kind !== KIND_SALE || sale.state !== ST_APPROVED) return 0;
  const left = sale.amount_minor - sale.refunded_minor - sale.openRefunds_minor;
  return left > 0 ? left : 0;
}

/** The refund cap holds: what was refunded (and is in flight) never exceeds the sale. */
export function refundCapHeld(sale: SaleFacts): boolean {
  return sale.refunded_minor + sale.openRefunds_minor <= sale.amount_minor;
}

/**
 * May a refund of `amount_minor` go out? `sale` is the original when known (in the open batch
 * or in the index of settled sales), else undefined: then `maxWithoutOriginal_minor` caps it.
 */
export function refundVerdict(sale: SaleFacts | undefined, amount_minor: number, maxWithoutOriginal_minor: number): number {
  if (amount_minor < 1 || Math.floor(amount_minor) !== amount_minor) return REFUND_BAD_AMOUNT;
  if (sale === undefined) return amount_minor > maxWithoutOriginal_minor ? REFUND_ABOVE_MAX : REFUND_OK;
  if (sale.kind !== KIND_SALE || sale.state !== ST_APPROVED) return REFUND_NOT_APPROVED;
  return amount_minor > refundableMinor(sale) ? REFUND_ABOVE_LEFT : REFUND_OK;
}

/** May `sale` be voided for `amount_minor` (its full amount)? */
export function voidVerdict(sale: SaleFacts, amount_minor: number): number {
  if (sale.kind !== KIND_SALE) return VOID_NOT_A_SALE;
  if (sale.state === ST_VOIDED) return VOID_ALREADY_VOIDED;
  if (sale.state !== ST_APPROVED) return VOID_NOT_APPROVED;
  if (sale.settled) return VOID_SETTLED;
  if (sale.refunded_minor > 0) return VOID_HAS_REFUNDS;
  return amount_minor !== sale.amount_minor ? VOID_AMOUNT : VOID_OK;
}

/**
 * How a transaction counts in its batch's settlement totals: +1 debit (an approved sale, not
 * voided, not reversed), -1 credit (an approved refund), 0 nothing (declined, pending,
 * voided, reversed, and voids themselves, which only take their sale out).
 */
export function settlementSign(kind: number, state: number): number {
  if (state !== ST_APPROVED) return 0;
  if (kind === KIND_SALE) return 1;
  return kind === KIND_REFUND ? -1 : 0;
}

/** True while a transaction's outcome is unknown: settlement waits for it. */
export function unresolvedState(state: number): boolean {
  return state === ST_PENDING;
}
