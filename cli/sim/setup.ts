// What the simulation runs against: the cup codec, the software SecurityModule (TEST keys),
// the acquirer simulator's core in-process, and the terminal's journal store.
// The terminal's journal is the NOR-flash journal on emulated flash (torn writes on a cut).
import { Bytes, fromHex, toHex } from "../../src/bytes/index";
import { HostCodec } from "../../src/host/codec";
import { CUP_CODEC } from "../../src/host/cup";
import { SecurityModule } from "../../hal/security";
import { Journal } from "../../src/journal/api";
import { TxnConfig } from "../../src/txn/types";
import { FlashTerminal, TXN_JOURNAL_LIMITS, flashTerminal } from "../../src/sim/flash-terminal";
import { FlashJournal } from "../../src/journal/journal";
import { SF_BAD_SECTOR, SF_WORN_SECTOR, StorageFault, injectStorageFault, unreported } from "../../src/sim/storage-faults";
import { AcquirerCore } from "../acquirer/core";
import { buildTotals48 } from "../../src/acquirer/protocol";
import { SimAcquirer, TerminalStore } from "./world";
import { L_APPROVED, L_DECLINED, L_REVERSED, L_UNKNOWN, L_VOIDED, SimLedger } from "./checks";

export interface SimSetup {
  codec: HostCodec;
  terminalSecurity: SecurityModule;
  acquirer: SimAcquirer;
  core: AcquirerCore;
  ledger: SimLedger;
  store: TerminalStore;
  device: FlashTerminal;
  maxReversals: number;
  maxTxnsPerBatch: number;
}

function flashStore(d: FlashTerminal): TerminalStore {
  let last: FlashJournal | undefined;
  const faults: StorageFault[] = [];
  let fresh = 0;
  let bad = 0;
  const flipped: number[] = [];
  return {
    open: (): Journal => { last = d.open() as FlashJournal; return last; },
    armCut: (n) => { d.armCut(n); return true; },
    cutHappened: () => d.dead(),
    injectFault: (rnd) => {
      d.flash.powerOn();
      const f = injectStorageFault(d.flash, TXN_JOURNAL_LIMITS, bad, flipped, rnd);
      if (f === undefined) return "";
      if (f.kind === SF_BAD_SECTOR || f.kind === SF_WORN_SECTOR) bad++;
      faults.push(f);
      fresh = faults.length - 1;
      return f.text;
    },
    unreportedFaults: (atRestart) => {
      const out: string[] = [];
      if (last === undefined) return out;
      for (let i = atRestart ? fresh : 0; i < faults.length; i++) {
        const why = unreported(last, d.flash, faults[i], atRestart);
        if (why !== "") out.push("storage fault not reported: " + why);
      }
      return out;
    },
  };
}

function batchText(batch: number): string {
  return String(batch).padStart(6, "0");
}

/** The checks' view of the acquirer's books. */
function ledgerOf(core: AcquirerCore): SimLedger {
  const book = core.ledger();
  // the book only grows: index its new entries by terminal and trace (the newest wins)
  const byTrace = new Map<string, (typeof book.txns)[number]>();
  let indexed = 0;
  const find = (tid: string, stan: number) => {
    for (; indexed < book.txns.length; indexed++) byTrace.set(book.txns[indexed].tid + "|" + book.txns[indexed].stan, book.txns[indexed]);
    return byTrace.get(tid + "|" + String(stan).padStart(6, "0"));
  };
  return {
    netByCard: () => {
      const out: { [pan: string]: number } = {};
      for (const a of core.accounts()) if (a.opening_minor !== a.balance_minor) out[a.pan] = a.opening_minor - a.balance_minor;
      return out;
    },
    stateOf: (tid, stan) => {
      const t = find(tid, stan);
      if (t === undefined) return L_UNKNOWN;
      if (!t.approved) return L_DECLINED;
      if (t.reversed) return L_REVERSED;
      return t.voided ? L_VOIDED : L_APPROVED;
    },
    approvedInBatch: (tid, batch) => book.txns.filter((t) => t.tid === tid && t.batch === batchText(batch) && t.approved && !t.reversed).map((t) => Number(t.stan)),
    batchTotals48: (tid, batch) => buildTotals48(book.totals(tid, batchText(batch)), "0"),
  };
}

/** The acquirer as the sim's network sees it: AcquirerCore itself (it answers repeated refunds with its first reply). */
function acquirerOf(core: AcquirerCore): SimAcquirer {
  return { handle: (frame, now_ms) => core.handle(frame as unknown as Uint8Array, now_ms) as unknown as Bytes | undefined };
}

export function makeSetup(seed: number, cfg: TxnConfig): SimSetup {
  void cfg;
  const core = new AcquirerCore({ seed });
  const device = flashTerminal(seed);
  return {
    codec: CUP_CODEC, terminalSecurity: device.security, acquirer: acquirerOf(core), core, device,
    ledger: ledgerOf(core), store: flashStore(device), maxReversals: TXN_JOURNAL_LIMITS.maxReversals, maxTxnsPerBatch: TXN_JOURNAL_LIMITS.maxTxnsPerBatch,
  };
}

export { fromHex, toHex };
