// "Can it still be cancelled?" — the advisor's decision as a pure function of what the
// terminal knows about the original (journal record, reversal queue, settled-sales index),
// shared by menu 5 and `posrt journal lookup`. One state in words, the one action still
// possible and why.
import { Journal, TxnRecord, KIND_REFUND, KIND_SALE, REV_FAILED, REV_PENDING, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../journal/api";
import { SettledIndex, SettledSale } from "./settled";
import { refundsOf } from "../txn/settle";
import { refundedBefore } from "../txn/types";
import { money } from "./screen";
import { kindWord } from "./receipts";

export const ACT_VOID = "void";
export const ACT_REFUND = "refund";
export const ACT_NOTHING = "nothing";
export const ACT_WAIT = "wait";
export const ACT_CONTACT = "contact acquirer";
export const ACT_ASK = "ask the acquirer";

/** What the advisor knows about one original. */
export interface Original {
  kind: number;
  state: number;
  batch: number;
  stan: number;
  rrn: string;
  /** MMDD */
  date: string;
  amount_minor: number;
  refunded_minor: number;
  /** Refunds sent whose answer is still out. */
  openRefund_minor: number;
  /** Its batch is settled. */
  settled: boolean;
  /** Its reversal: "" none, "pending", "failed". */
  reversal: string;
  panMasked: string;
  /** A record the journal lost (storage fault) may have held its newer state: outcome unknown. */
  lost: boolean;
}

export interface Advice {
  state: string;
  action: string;
  reason: string;
  refundable_minor: number;
}

function advice(state: string, action: string, reason: string, refundable_minor: number): Advice {
  return { state: state, action: action, reason: reason, refundable_minor: refundable_minor };
}

/** The advisor's answer for `o`. */
export function advise(o: Original): Advice {
  if (o.lost) return advice("outcome unknown after storage damage", ACT_ASK, "never guess: settlement with batch upload decides", 0);
  if (o.reversal === "pending") return advice("reversal pending", ACT_WAIT, "the terminal is already undoing it and retries by itself", 0);
  if (o.reversal === "failed") return advice("reversal failed", ACT_CONTACT, "the record is kept for settlement", 0);
  if (o.kind !== KIND_SALE) return advice(kindWord(o.kind).toLowerCase() + " " + stateName(o.state), ACT_NOTHING, "only a sale can be cancelled", 0);
  if (o.state === ST_PENDING) return advice("outcome unknown", ACT_ASK, "never guess: settlement with batch upload decides", 0);
  if (o.state === ST_DECLINED) return advice("declined", ACT_NOTHING, "no money was taken", 0);
  if (o.state === ST_REVERSED) return advice("reversed", ACT_NOTHING, "the charge was undone automatically", 0);
  if (o.state === ST_VOIDED) return advice("voided", ACT_NOTHING, "the charge was cancelled", 0);
  const left = o.amount_minor - o.refunded_minor - o.openRefund_minor;
  if (left <= 0) return advice("refunded", ACT_NOTHING, "fully refunded: no money to give back", 0);
  if (o.refunded_minor > 0 || o.openRefund_minor > 0) {
    return advice("refunded " + money(o.refunded_minor + o.openRefund_minor) + " of " + money(o.amount_minor), ACT_REFUND, "partly refunded: give back up to " + money(left), left);
  }
  if (o.settled) return advice("settled", ACT_REFUND, "the money has moved; give some or all back", left);
  return advice("approved", ACT_VOID, "same batch, not settled: the charge disappears", o.amount_minor);
}

function stateName(state: number): string {
  if (state === ST_APPROVED) return "approved";
  if (state === ST_DECLINED) return "declined";
  if (state === ST_PENDING) return "pending";
  if (state === ST_VOIDED) return "voided";
  return state === ST_REVERSED ? "reversed" : "unknown";
}

function reversalOf(j: Journal, batch: number, stan: number): string {
  const st = j.reversalStateOf(batch, stan);
  return st === REV_PENDING ? "pending" : st === REV_FAILED ? "failed" : "";
}

/** What the advisor knows about journal record `t` (and its settled-index entry, if any). */
export function originalOf(j: Journal, t: TxnRecord, s: SettledSale | undefined): Original {
  const refunded = s !== undefined && s.refunded_minor > t.refunded_minor ? s.refunded_minor : t.refunded_minor;
  return {
    kind: t.kind, state: t.state, batch: t.batch, stan: t.stan, rrn: t.rrn, date: t.time.substring(0, 4), amount_minor: t.amount_minor,
    refunded_minor: refunded, openRefund_minor: refundsOf(j, t.rrn, ST_PENDING, j.txnSlots()), settled: t.batch !== j.batch() || s !== undefined,
    reversal: reversalOf(j, t.batch, t.stan), panMasked: t.panMasked, lost: j.outcomeUnknown(t.batch, t.stan),
  };
}

/** What the advisor knows about a settled sale the journal no longer holds. */
export function originalOfSettled(j: Journal, s: SettledSale): Original {
  return {
    kind: KIND_SALE, state: ST_APPROVED, batch: s.batch, stan: s.stan, rrn: s.rrn, date: s.date, amount_minor: s.amount_minor,
    refunded_minor: refundedBefore(s, j.batch()) + refundsOf(j, s.rrn, ST_APPROVED, j.txnSlots()), openRefund_minor: refundsOf(j, s.rrn, ST_PENDING, j.txnSlots()), settled: true, reversal: "", panMasked: "", lost: false,
  };
}

/** Looks up by trace (current batch, then the settled index), by RRN, or the last sale (`how` "trace" | "rrn" | "last"), reading one record at a time. */
export function findOriginal(j: Journal, settled: SettledIndex | undefined, how: string, key: string): Original | undefined {
  if (how === "trace") {
    const stan = parseInt(key, 10);
    const t = j.getTxn(j.batch(), stan);
    if (t !== undefined) return originalOf(j, t, undefined);
    const s = settled === undefined || stan < 1 ? undefined : settled.findTrace(0, stan);
    return s === undefined ? undefined : originalOfSettled(j, s);
  }
  if (how === "rrn") {
    const t = j.findByRrn(key);
    const s = settled === undefined ? undefined : settled.find(key);
    if (t !== undefined) return originalOf(j, t, s);
    return s === undefined ? undefined : originalOfSettled(j, s);
  }
  for (let i = j.txnSlots() - 1; i >= 0; i--) {
    const t = j.txnAt(i, 0);
    if (t !== undefined && t.kind === KIND_SALE) return originalOf(j, t, settled === undefined ? undefined : settled.find(t.rrn));
  }
  const newest = settled === undefined ? undefined : settled.findTrace(0, 0);
  return newest === undefined ? undefined : originalOfSettled(j, newest);
}
