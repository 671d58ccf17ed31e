// The acquirer simulator's books: cardholder accounts, every financial transaction it
// answered, and settlements. All money moves here, through four operations (approve a
// sale, a void, a refund; reverse any of them), so the invariant is easy to state:
//   for every account, opening − balance = Σ live sales − Σ live refunds
// where "live" means approved, not reversed and (for sales) not voided.
import { BatchTotals, DEFAULT_BALANCE_MINOR, TEST_CARDS } from "../../src/acquirer/protocol";
import { luhnValid } from "../../src/card/pan";
import { KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_REVERSED, ST_VOIDED } from "../../src/journal/api";
import { SaleFacts, saleFacts, settlementSign } from "../../src/money/rules";

/** Most transactions the simulator keeps (a bound; beyond it requests get 96). */
export const MAX_TXNS = 2_000_000;
/** Most accounts opened on first use. */
export const MAX_ACCOUNTS = 1_000_000;
/** Most remembered reversals of unknown transactions. */
export const MAX_ORPHAN_REVERSALS = 100_000;

export type TxnKind = "sale" | "void" | "refund";

export interface AccountState {
  pan: string;
  opening_minor: number;
  balance_minor: number;
  /** YYMM. */
  expiry: string;
  /** Fixed response code for test cards ("" = normal checks). */
  rc: string;
}

export interface TxnRecord {
  id: number;
  kind: TxnKind;
  tid: string;
  mid: string;
  batch: string;
  stan: string;
  pan: string;
  amount_minor: number;
  rrn: string;
  auth: string;
  rc: string;
  /** Host date MMDD and time of the answer. */
  date: string;
  at_ms: number;
  approved: boolean;
  reversed: boolean;
  /** Sales only: voided, and how much was refunded so far. */
  voided: boolean;
  refunded_minor: number;
  /** Void and refund: id of the original sale. */
  orig_id: number;
}

export interface SettlementRecord {
  tid: string;
  batch: string;
  terminal: BatchTotals;
  acquirer: BatchTotals;
  balanced: boolean;
  /** Batch-upload items received, and how many named a transaction the acquirer does not hold as live. */
  uploads: number;
  unknown_uploads: number;
  /** True once settled (balanced 0500, or batch end after upload). */
  closed: boolean;
  /** Batch ends (0320, 60.3 = 202) that closed this batch (absent in older states: none). */
  batch_ends?: number;
}

/** A transaction's kind in the terminal's terms (src/journal KIND_*), for the money rules. */
export function kindCode(t: TxnRecord): number {
  if (t.kind === "sale") return KIND_SALE;
  return t.kind === "void" ? KIND_VOID : KIND_REFUND;
}

/** A transaction's state in the terminal's terms (src/journal ST_*): reversed, voided, approved or declined. */
export function stateCode(t: TxnRecord): number {
  if (!t.approved) return ST_DECLINED;
  if (t.reversed) return ST_REVERSED;
  return t.voided ? ST_VOIDED : ST_APPROVED;
}

/** The facts src/money/rules judges a sale by; the acquirer knows every outcome, so no refund is in flight. */
export function factsOf(t: TxnRecord, settled: boolean): SaleFacts {
  return saleFacts(kindCode(t), stateCode(t), t.amount_minor, t.refunded_minor, 0, settled);
}

/** How `t` counts in its batch's totals and in money moved: +1 debit, -1 credit, 0 not at all (src/money/rules). */
export function moneySign(t: TxnRecord): number {
  return settlementSign(kindCode(t), stateCode(t));
}

/** The key of a request: terminal, batch and trace number. */
export function txnKey(tid: string, batch: string, stan: string): string {
  return tid + "|" + batch + "|" + stan;
}

export class Ledger {
  readonly accounts = new Map<string, AccountState>();
  readonly txns: TxnRecord[] = [];
  readonly settlements: SettlementRecord[] = [];
  readonly orphanReversals = new Set<string>();
  /** Wrong PIN tries per PAN (src/app/pin.ts pinVerdict: 55, then 75 after three). */
  readonly pinWrong = new Map<string, number>();
  private byKey = new Map<string, TxnRecord>();
  private byRrn = new Map<string, TxnRecord>();

  constructor() {
    for (const c of TEST_CARDS) {
      this.accounts.set(c.pan, { pan: c.pan, opening_minor: c.balance_minor, balance_minor: c.balance_minor, expiry: c.expiry, rc: c.rc });
    }
  }

  /** The account of `pan`, opened with the default balance on first use; undefined when the PAN fails Luhn or the book is full. */
  account(pan: string): AccountState | undefined {
    const known = this.accounts.get(pan);
    if (known !== undefined) return known;
    if (!luhnValid(pan) || pan.length < 12 || this.accounts.size >= MAX_ACCOUNTS) return undefined;
    const a: AccountState = { pan, opening_minor: DEFAULT_BALANCE_MINOR, balance_minor: DEFAULT_BALANCE_MINOR, expiry: "9912", rc: "" };
    this.accounts.set(pan, a);
    return a;
  }

  full(): boolean {
    return this.txns.length >= MAX_TXNS;
  }

  byRequest(tid: string, batch: string, stan: string): TxnRecord | undefined {
    return this.byKey.get(txnKey(tid, batch, stan));
  }

  byReference(rrn: string): TxnRecord | undefined {
    return this.byRrn.get(rrn);
  }

  /** Records an answered transaction (approved or declined); approved ones move money. */
  record(t: TxnRecord): void {
    if (t.approved) this.applyMoney(t, 1);
    this.txns.push(t);
    this.byKey.set(txnKey(t.tid, t.batch, t.stan), t);
    if (t.rrn !== "") this.byRrn.set(t.rrn, t);
  }

  /** Undoes an approved transaction's money exactly once; a declined one is only marked. */
  reverse(t: TxnRecord): void {
    if (t.reversed) return;
    if (t.approved) this.applyMoney(t, -1);
    t.reversed = true;
  }

  /** sign 1 applies the transaction, −1 undoes it. */
  private applyMoney(t: TxnRecord, sign: number): void {
    if (t.kind === "sale") {
      if (t.voided) return; // the void already gave the money back
      this.moveMoney(t.pan, -sign * t.amount_minor);
    } else if (t.kind === "void") {
      const orig = this.txns[t.orig_id];
      orig.voided = sign > 0;
      if (!orig.reversed) this.moveMoney(orig.pan, sign * orig.amount_minor);
    } else {
      const orig = this.txns[t.orig_id];
      orig.refunded_minor += sign * t.amount_minor;
      this.moveMoney(orig.pan, sign * t.amount_minor);
    }
  }

  private moveMoney(pan: string, delta_minor: number): void {
    const a = this.accounts.get(pan);
    if (a === undefined) throw new Error("ledger: no account for a recorded transaction");
    a.balance_minor += delta_minor;
  }

  /** The acquirer's view of a terminal's batch (what counts: src/money/rules settlementSign). */
  totals(tid: string, batch: string): BatchTotals {
    const t: BatchTotals = { debit_count: 0, debit_minor: 0, credit_count: 0, credit_minor: 0 };
    for (const x of this.txns) {
      if (x.tid !== tid || x.batch !== batch) continue;
      const sign = moneySign(x);
      if (sign > 0) {
        t.debit_count++;
        t.debit_minor += x.amount_minor;
      } else if (sign < 0) {
        t.credit_count++;
        t.credit_minor += x.amount_minor;
      }
    }
    return t;
  }

  /** Net money taken from each card (positive = debited), from balances. */
  netByPan(): Map<string, number> {
    const out = new Map<string, number>();
    for (const a of this.accounts.values()) if (a.opening_minor !== a.balance_minor) out.set(a.pan, a.opening_minor - a.balance_minor);
    return out;
  }

  /** The same figure recomputed from live transactions; equal to netByPan unless money was lost or duplicated. */
  netFromTransactions(): Map<string, number> {
    const out = new Map<string, number>();
    for (const x of this.txns) {
      const sign = moneySign(x);
      if (sign !== 0) out.set(x.pan, (out.get(x.pan) ?? 0) + sign * x.amount_minor);
    }
    for (const [pan, v] of out) if (v === 0) out.delete(pan);
    return out;
  }

  /** Rebuilds the indexes after loading transactions from a saved state. */
  reindex(): void {
    this.byKey.clear();
    this.byRrn.clear();
    for (const t of this.txns) {
      this.byKey.set(txnKey(t.tid, t.batch, t.stan), t);
      if (t.rrn !== "") this.byRrn.set(t.rrn, t);
    }
  }
}
