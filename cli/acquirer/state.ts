// The acquirer simulator's saved state (`--state FILE`): plain JSON, written whole.
import type { AcquirerCore } from "./core";
import { fail } from "../../src/errors";
import { AccountState, SettlementRecord, TxnRecord } from "./ledger";

export const STATE_VERSION = 1;

/** A terminal as the acquirer knows it; keys are hex ("" before sign-in). */
export interface TerminalState {
  tid: string;
  mid: string;
  /** Master key (hex) its working keys are sent under. */
  tmk: string;
  /** Current batch (60.2) the host hands out at sign-in. */
  batch: string;
  scheme: string;
  pik: string;
  mak: string;
  tdk: string;
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
}

export function snapshotState(core: AcquirerCore): AcquirerState {
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
  })) as AcquirerState;
}

/** Loads `s` into a fresh core; a state of another version is refused. */
export function restoreState(core: AcquirerCore, s: AcquirerState): void {
  if (typeof s !== "object" || s === null || s.version !== STATE_VERSION) fail("state", `version ${s?.version} is not ${STATE_VERSION}`);
  for (const k of ["terminals", "accounts", "txns", "settlements", "orphan_reversals"] as const) {
    if (!Array.isArray(s[k])) fail("state", `"${k}" must be an array`);
  }
  if (typeof s.rng !== "number" || typeof s.rrn_seq !== "number") fail("state", "\"rng\" and \"rrn_seq\" must be numbers");
  const copy = JSON.parse(JSON.stringify(s)) as AcquirerState;
  core.rng.state = copy.rng >>> 0;
  core.seq.rrn = copy.rrn_seq;
  for (const t of copy.terminals) core.terminals.set(t.tid, t);
  for (const a of copy.accounts) core.book.accounts.set(a.pan, a);
  for (const t of copy.txns) core.book.txns.push(t);
  for (const x of copy.settlements) core.book.settlements.push(x);
  for (const k of copy.orphan_reversals) core.book.orphanReversals.add(k);
  core.book.reindex();
}
