// What the simulation runs against. TEMPORARY wiring until the other parts land on main:
// the text test codec (→ the cup codec), the test security double (→ the emulator
// SecurityModule), the in-memory test journal (→ the NOR-flash journal with torn writes)
// and the test acquirer (→ the acquirer helper's AcquirerCore).
import { fromHex } from "../../src/bytes/index";
import { HostCodec } from "../../src/host/codec";
import { SecurityModule } from "../../hal/security";
import { Journal } from "../../src/journal/api";
import { TxnConfig } from "../../src/txn/types";
import { SimAcquirer, TerminalStore } from "./world";
import { L_APPROVED, L_DECLINED, L_REVERSED, L_UNKNOWN, L_VOIDED, SimLedger } from "./checks";
import { CUP_CODEC } from "../../src/host/cup";
import { TestSecurity, testField62 } from "../../test/support/test-security";
import { MemoryJournal } from "../../test/support/memory-journal";
import { A_APPROVED, A_DECLINED, A_REVERSED, A_VOIDED, TestAcquirer } from "../../test/support/test-acquirer";

export interface SimSetup {
  codec: HostCodec;
  terminalSecurity: SecurityModule;
  acquirer: SimAcquirer;
  ledger: SimLedger;
  store: TerminalStore;
  maxReversals: number;
  maxTxnsPerBatch: number;
}

const MAX_REVERSALS = 16;
const MAX_TXNS = 300;

function memoryStore(): TerminalStore {
  const j = new MemoryJournal({ maxReversals: MAX_REVERSALS, maxTxnsPerBatch: MAX_TXNS });
  return { open: (): Journal => j, armCut: () => false, cutHappened: () => false };
}

function ledgerOf(a: TestAcquirer): SimLedger {
  const states = [L_UNKNOWN, L_APPROVED, L_DECLINED, L_REVERSED, L_VOIDED];
  return {
    netByCard: () => a.net,
    stateOf: (tid, stan) => {
      const t = a.txns[a.key(tid, String(stan).padStart(6, "0"))];
      return t === undefined ? L_UNKNOWN : states[t.state];
    },
    approvedInBatch: (tid, batch) => a.order.map((k) => a.txns[k]).filter((t) => t.tid === tid && t.batch === batch && (t.state === A_APPROVED || t.state === A_VOIDED)).map((t) => Number(t.stan)),
    batchTotals48: (tid, batch) => a.totals(tid, batch),
  };
}

export function makeSetup(seed: number, cfg: TxnConfig): SimSetup {
  const key = (seed * 2246822519 + 1) >>> 0;
  const acqSecurity = new TestSecurity();
  const f62 = testField62(key);
  acqSecurity.installWorkingKeys(fromHex(f62));
  const acq = new TestAcquirer({ codec: CUP_CODEC, security: acqSecurity, field62: f62 });
  void A_DECLINED; void A_REVERSED; void cfg;
  return {
    codec: CUP_CODEC, terminalSecurity: new TestSecurity(), acquirer: { handle: (frame) => acq.handle(frame) },
    ledger: ledgerOf(acq), store: memoryStore(), maxReversals: MAX_REVERSALS, maxTxnsPerBatch: MAX_TXNS,
  };
}
