// The acquirer simulator's state as one JSON-able object (`--state FILE` seals it at rest: see durable.ts).
import { fail } from "../../src/errors";
import { AccountState, Ledger, SettlementRecord, TxnRecord } from "./ledger";
import { Rng } from "./rng";
import { TerminalState } from "./types";

export const STATE_VERSION = 2;

/** The parts of an acquirer that make up its state (the core passes itself). */
export interface StateParts {
  readonly book: Ledger;
  readonly terminals: Map<string, TerminalState>;
  readonly rng: Rng;
  readonly seq: { rrn: number };
}

export interface AcquirerState {
  version: number;
  rng: number;
  rrn_seq: number;
  terminals: TerminalState[];
  accounts: AccountState[];
  txns: TxnRecord[];
  settlements: SettlementRecord[];
  orphan_reversals: string[];
  /** Wrong PIN tries per PAN (absent in older states). */
  pin_wrong?: [string, number][];
}

export function snapshotState(core: StateParts): AcquirerState {
  const b = core.book;
  return JSON.parse(JSON.stringify({
    version: STATE_VERSION,
    rng: core.rng.state,
    rrn_seq: core.seq.rrn,
    terminals: [...core.terminals.values()],
    accounts: [...b.accounts.values()],
    txns: b.txns,
    settlements: b.settlements,
    orphan_reversals: [...b.orphanReversals],
    pin_wrong: [...b.pinWrong],
  })) as AcquirerState;
}

/** Loads `s` into a fresh core; version 1 (no pending keys) is read too, any other version is refused. */
export function restoreState(core: StateParts, s: AcquirerState): void {
  if (typeof s !== "object" || s === null || (s.version !== STATE_VERSION && s.version !== 1)) fail("state", `version ${s?.version} is not ${STATE_VERSION}`);
  for (const k of ["terminals", "accounts", "txns", "settlements", "orphan_reversals"] as const) {
    if (!Array.isArray(s[k])) fail("state", `"${k}" must be an array`);
  }
  if (typeof s.rng !== "number" || typeof s.rrn_seq !== "number") fail("state", "\"rng\" and \"rrn_seq\" must be numbers");
  const copy = JSON.parse(JSON.stringify(s)) as AcquirerState;
  core.rng.state = copy.rng >>> 0;
  core.seq.rrn = copy.rrn_seq;
  for (const t of copy.terminals) core.terminals.set(t.tid, { ...t, pending: Array.isArray(t.pending) ? t.pending : [] });
  for (const a of copy.accounts) core.book.accounts.set(a.pan, a);
  for (const t of copy.txns) core.book.txns.push(t);
  for (const x of copy.settlements) core.book.settlements.push(x);
  for (const k of copy.orphan_reversals) core.book.orphanReversals.add(k);
  for (const [pan, n] of copy.pin_wrong ?? []) core.book.pinWrong.set(pan, n);
  core.book.reindex();
}
