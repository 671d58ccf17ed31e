// The simulation's invariants. After every step: STANs never reused, the reversal queue
// within its bound, nothing the terminal shows as approved reversed at the acquirer, after a
// recovery nothing the acquirer approved unknown to the terminal, settlement totals agreeing,
// RAM collections bounded, no defect caught in the core; and whenever nothing is in flight,
// money: per card, the acquirer's net movement equals what the terminal holds as approved
// (counted by the money rules of src/money/rules.ts), and no sale refunded beyond its amount
// (also across a power cut between the two writes of a refund's approval).
import { ST_APPROVED, ST_PENDING, ST_VOIDED, TxnRecord } from "../../src/journal/api";
import { refundCapHeld, saleFacts, settlementSign } from "../../src/money/rules";
import { SecurityModule } from "../../hal/security";
import { World } from "./world";

/** Acquirer-side states as the checks see them. */
export const L_UNKNOWN = 0;
export const L_APPROVED = 1;
export const L_DECLINED = 2;
export const L_REVERSED = 3;
export const L_VOIDED = 4;

/** What the checks read from the acquirer's ledger. */
export interface SimLedger {
  /** Net money moved per PAN (sales +, refunds and voids −, reversals undo). */
  netByCard(): { [pan: string]: number };
  stateOf(tid: string, stan: number): number;
  /** STANs of this terminal's batch the acquirer holds as approved (or voided). */
  approvedInBatch(tid: string, batch: number): number[];
  /** Field 48 (first 30 digits: domestic debit/credit totals) as the acquirer counts this terminal's batch. */
  batchTotals48(tid: string, batch: number): string;
}

export interface CheckContext {
  world: World;
  ledger: SimLedger;
  security: SecurityModule;
  tid: string;
  maxReversals: number;
  /** Money per card of batches already closed, by batch number. */
  settled: { [batch: number]: { [pan: string]: number } };
  /** "batch:stan" of every receipt printed as approved. */
  receipts: string[];
  ramBound: number;
  /** The journal's RAM (fixed at open) as first seen; it must never change. */
  journalRam: number;
  /** Batches closed with totals the acquirer does not share (filled when a batch closes). */
  closeViolations: string[];
}

/** Money per card the terminal holds as approved in `txns`. */
export function tally(txns: TxnRecord[], sm: SecurityModule): { [pan: string]: number } {
  const out: { [pan: string]: number } = {};
  for (const t of txns) {
    const sign = settlementSign(t.kind, t.state);
    if (sign === 0) continue;
    const pan = sm.openPan(t.panSealed);
    out[pan] = (out[pan] ?? 0) + sign * t.amount_minor;
  }
  return out;
}

/** Cards whose acquirer net differs from the terminal's (settled batches + the open one). */
export function moneyDiffs(c: CheckContext): string[] {
  const j = c.world.journal;
  const mine: { [pan: string]: number } = {};
  const add = (m: { [pan: string]: number }) => { for (const p of Object.keys(m)) mine[p] = (mine[p] ?? 0) + m[p]; };
  for (const b of Object.keys(c.settled)) if (Number(b) < j.batch()) add(c.settled[Number(b)]);
  add(tally(j.txns(), c.security));
  const theirs = c.ledger.netByCard();
  const out: string[] = [];
  const pans = Array.from(new Set([...Object.keys(mine), ...Object.keys(theirs)])).sort();
  for (const p of pans) {
    const a = theirs[p] ?? 0;
    const b = mine[p] ?? 0;
    if (a !== b) out.push(`card ${p.substring(0, 6)}…${p.substring(p.length - 4)}: acquirer ${a}, terminal ${b}`);
  }
  return out;
}

/** True when no money can still move: nothing pending anywhere. */
export function quiet(c: CheckContext): boolean {
  const j = c.world.journal;
  if (c.world.busy() || c.world.requestsInFlight()) return false;
  if (j.pendingReversals().length > 0) return false;
  return !j.txns().some((t) => t.state === ST_PENDING);
}

/** Invariants after one step; returns the violations found. */
export function checkStep(c: CheckContext): string[] {
  const w = c.world;
  const j = w.journal;
  const out: string[] = [...j.stanViolations];
  j.stanViolations.length = 0;
  const pending = j.pendingReversals().length;
  if (pending > c.maxReversals) out.push(`reversal queue holds ${pending} > ${c.maxReversals}`);
  for (const t of j.txns()) {
    if (!refundCapHeld(saleFacts(t.kind, t.state, t.amount_minor, t.refunded_minor, 0, false))) out.push(`trace ${t.stan}: refunded ${t.refunded_minor} of ${t.amount_minor}`);
    if (t.state !== ST_APPROVED) continue;
    const s = c.ledger.stateOf(c.tid, t.stan);
    if (s === L_REVERSED || s === L_DECLINED || s === L_UNKNOWN) out.push(`trace ${t.stan} approved at the terminal but ${["unknown", "", "declined", "reversed"][s]} at the acquirer`);
  }
  for (const key of c.receipts) {
    if (c.ledger.stateOf(c.tid, Number(key.split(":")[1])) === L_REVERSED) out.push(`receipt ${key} printed as approved, but reversed at the acquirer`);
  }
  out.push(...c.closeViolations);
  c.closeViolations.length = 0;
  if (w.eng.crashes() > 0) out.push(`core defect caught ${w.eng.crashes()} time(s): ${w.shown[w.shown.length - 1]}`);
  if (w.eng.footprint() > c.ramBound) out.push(`engine RAM collections hold ${w.eng.footprint()} > ${c.ramBound}`);
  const inner = j.inner as unknown as { ramBytes?: () => number };
  const ram = inner.ramBytes === undefined ? 0 : inner.ramBytes();
  if (c.journalRam < 0) c.journalRam = ram;
  else if (ram !== c.journalRam) out.push(`journal RAM changed from ${c.journalRam} to ${ram} bytes`);
  return out;
}

/** After a recovery: every transaction the acquirer approved in the open batch is in the journal. */
export function checkRecovered(c: CheckContext): string[] {
  const j = c.world.journal;
  const out: string[] = [];
  for (const stan of c.ledger.approvedInBatch(c.tid, j.batch())) {
    const t = j.getTxn(j.batch(), stan);
    if (t === undefined) out.push(`after recovery: trace ${stan} approved at the acquirer is unknown to the terminal`);
    else if (t.state !== ST_APPROVED && t.state !== ST_PENDING && t.state !== ST_VOIDED) out.push(`after recovery: trace ${stan} approved at the acquirer is state ${t.state} at the terminal`);
  }
  return out;
}
