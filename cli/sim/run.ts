// One simulation run: wires the world (terminal core, journal store, acquirer, network),
// plays seeded operator actions, checks after every step, drains at the end (faults off,
// settle) and reports. The report's keys are the issue's; `details` lists what failed.
import { TxnRecord, KIND_SALE, ST_APPROVED } from "../../src/journal/api";
import { Operation, TxnConfig, OP_BALANCE, OP_REFUND, OP_SALE, OP_SETTLE, OP_SIGNIN, OP_VOID, Card, FX_PRINT } from "../../src/txn/types";
import { Rng } from "./rng";
import { SIM_TERMINAL } from "../../src/sim/flash-terminal";
import { batchTotals, totalsField48 } from "../../src/txn/settle";
import { World } from "./world";
import { CheckContext, checkRecovered, checkStep, moneyDiffs, quiet, tally } from "./checks";
import { SimSetup, makeSetup } from "./setup";
import { fromText, toHex } from "../../src/bytes/index";
import { maskPan } from "../../src/card/pan";

export interface SimOptions {
  seed: number;
  ops: number;
  faults: string;
  trace: boolean;
}

export interface SimReport {
  seed: number;
  operations: number;
  approved: number;
  declined: number;
  reversals_sent: number;
  reversals_failed: number;
  power_cuts: number;
  net_faults: number;
  storage_faults: number;
  discrepancies: number;
  violations: number;
}

export interface SimOutcome {
  report: SimReport;
  details: string[];
  trace: string[];
  sent: string[];
}

/** Final settlement attempts once faults are off. */
export const DRAIN_ATTEMPTS = 4;
/** Most violations kept in the details (the count is exact). */
export const MAX_DETAILS = 20;

interface PastSale {
  rrn: string;
  date: string;
  amount_minor: number;
  pan: string;
}

/** Luhn-valid cards; the last two are acquirer test cards that always decline (empty account, 05). */
export const CARD_PANS = ["6214830000000009", "6225880000000001", "6222020000000007", "4761340000000019", "5413330000000019", "6250941000000009", "4111111111111111", "6214830000000017", "6214830000000033"];
/** Sale cents with a scripted acquirer answer (declines, no reply, bad MAC, wrong STAN). */
const MAGIC_CENTS = [5, 14, 51, 54, 55, 91, 97, 98, 99];

export const SIM_CONFIG: TxnConfig = SIM_TERMINAL;

function card(pan: string, rng: Rng): Card {
  const chip = rng.chance(0.3);
  return {
    pan, expiry: "3012", track2: chip ? "" : pan + "D30121010000", pinBlock: rng.chance(0.5) ? "0A1B2C3D4E5F6071" : "",
    chip, icc: chip ? "9F2608" + "1122334455667788" + "9F2701809F360200A1" : "",
  };
}

/** A refund amount the acquirer treats plainly (magic cents are for sales). */
function plainAmount(a: number): number {
  return MAGIC_CENTS.indexOf(a % 100) >= 0 ? (a > 1 ? a - 1 : a + 1) : a;
}

function blankOp(kind: number): Operation {
  return { op: kind, amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
}

function amount(rng: Rng): number {
  const cents = rng.chance(0.12) ? rng.pick(MAGIC_CENTS) : rng.int(0, 97);
  const major = rng.int(0, 800);
  return major * 100 + (MAGIC_CENTS.indexOf(cents) >= 0 || major > 0 ? cents : Math.max(cents, 1));
}

export class Simulation {
  o: SimOptions;
  rng: Rng;
  setup: SimSetup;
  world: World;
  ctx: CheckContext;
  history: PastSale[] = [];
  details: string[] = [];
  violations = 0;
  discrepancies = 0;
  mainOps = 0;

  constructor(o: SimOptions) {
    this.o = o;
    this.rng = new Rng((o.seed * 2654435761) >>> 0);
    this.setup = makeSetup(o.seed, SIM_CONFIG);
    this.world = new World({ seed: o.seed, faults: o.faults, config: SIM_CONFIG, codec: this.setup.codec, security: this.setup.terminalSecurity, acquirer: this.setup.acquirer, store: this.setup.store, trace: o.trace });
    this.ctx = {
      world: this.world, ledger: this.setup.ledger, security: this.setup.terminalSecurity, tid: SIM_CONFIG.terminalId,
      maxReversals: this.setup.maxReversals, settled: {}, receipts: [], closeViolations: [], journalRam: -1, ramBound: 2 * this.setup.maxTxnsPerBatch,
    };
    this.world.journal.onClose = (batch, txns) => this.closing(batch, txns);
  }

  private closing(batch: number, txns: TxnRecord[]): void {
    const mine = totalsField48(batchTotals(txns)).substring(0, 30);
    const theirs = this.setup.ledger.batchTotals48(SIM_CONFIG.terminalId, batch).substring(0, 30);
    if (mine !== theirs) this.ctx.closeViolations.push(`batch ${batch} closed with totals ${mine}, acquirer has ${theirs}`);
    this.ctx.settled[batch] = tally(txns, this.setup.terminalSecurity);
    for (const t of txns) if (t.kind === KIND_SALE && t.state === ST_APPROVED && t.rrn !== "") this.remember(t);
  }

  private remember(t: TxnRecord): void {
    if (this.history.length >= 64) this.history.shift();
    this.history.push({ rrn: t.rrn, date: t.time.substring(0, 4), amount_minor: t.amount_minor, pan: this.setup.terminalSecurity.openPan(t.panSealed) });
  }

  private violation(what: string): void {
    this.violations++;
    if (this.details.length < MAX_DETAILS) this.details.push(`op ${this.world.counters.operations}: ${what}`);
  }

  nextOperation(): Operation {
    const rng = this.rng;
    if (this.world.eng.needsSignIn() || rng.chance(0.02)) return blankOp(OP_SIGNIN);
    const r = rng.next();
    if (r < 0.5) return { ...blankOp(OP_SALE), amount_minor: amount(rng), card: card(rng.pick(CARD_PANS), rng) };
    if (r < 0.62) return this.voidOp();
    if (r < 0.8) return this.refundOp();
    if (r < 0.87) return { ...blankOp(OP_BALANCE), card: card(rng.pick(CARD_PANS), rng) };
    if (r < 0.94) return blankOp(OP_SETTLE);
    return { ...blankOp(OP_SALE), amount_minor: amount(rng), card: card(rng.pick(CARD_PANS), rng) };
  }

  private voidOp(): Operation {
    const sales = this.world.journal.txns().filter((t) => t.kind === KIND_SALE && t.state === ST_APPROVED);
    if (sales.length === 0) return blankOp(OP_SETTLE);
    const s = this.rng.pick(sales);
    return { ...blankOp(OP_VOID), origStan: s.stan, password: this.rng.chance(0.95) ? SIM_CONFIG.supervisorPassword : "000000" };
  }

  private refundOp(): Operation {
    const open = this.world.journal.txns().filter((t) => t.kind === KIND_SALE && t.state === ST_APPROVED && t.rrn !== "");
    for (const t of open) if (!this.history.some((h) => h.rrn === t.rrn)) this.remember(t);
    const rng = this.rng;
    if (this.history.length === 0 || rng.chance(0.1)) {
      return { ...blankOp(OP_REFUND), amount_minor: plainAmount(rng.int(1, 250000)), card: card(rng.pick(CARD_PANS), rng), origRrn: "9" + String(rng.int(0, 99999999999)).padStart(11, "0"), origDate: "0101" };
    }
    const h = rng.pick(this.history);
    return { ...blankOp(OP_REFUND), amount_minor: plainAmount(rng.int(1, h.amount_minor)), card: card(h.pan, rng), origRrn: h.rrn, origDate: h.date };
  }

  private afterStep(): void {
    const w = this.world;
    for (const v of checkStep(this.ctx)) this.violation(v);
    for (const v of w.storageViolations) this.violation(v);
    w.storageViolations = [];
    if (w.justRecovered) {
      for (const v of checkRecovered(this.ctx)) this.violation(v);
      w.justRecovered = false;
    }
    if (quiet(this.ctx)) for (const d of moneyDiffs(this.ctx)) { this.discrepancies++; this.violationDetail("money: " + d); }
  }

  private violationDetail(what: string): void {
    if (this.details.length < MAX_DETAILS) this.details.push(`op ${this.world.counters.operations}: ${what}`);
  }

  private noteReceipts(from: number): void {
    for (let i = from; i < this.world.printed.length; i++) {
      const lines = this.world.printed[i];
      const at = lines.findIndex((l) => l.startsWith("BATCH "));
      if (at < 0 || !lines[lines.length - 1].startsWith("APPROVED")) continue;
      const m = lines[at].split(/\s+/);
      this.ctx.receipts.push(`${Number(m[1])}:${Number(m[3])}`);
    }
  }

  run(): SimOutcome {
    for (let i = 0; i < this.o.ops; i++) {
      const printedBefore = this.world.printed.length;
      if (!this.world.step(this.nextOperation())) this.violation("step did not settle within " + 400 + " events");
      this.noteReceipts(printedBefore);
      this.afterStep();
    }
    this.mainOps = this.world.counters.operations;
    this.scanForPans("after the day");
    this.drain();
    this.scanForPans("after settlement");
    return this.outcome();
  }

  /** The raw flash image must hold no card number, in ASCII or BCD at any nibble alignment. */
  private scanForPans(when: string): void {
    const hex = toHex(this.setup.device.flash.image());
    for (const pan of CARD_PANS) {
      const ascii = toHex(fromText(pan));
      let found = hex.indexOf(pan) >= 0 ? "BCD" : "";
      for (let at = hex.indexOf(ascii); at >= 0 && found === ""; at = hex.indexOf(ascii, at + 1)) if (at % 2 === 0) found = "ASCII";
      if (found !== "") this.violation(`PAN ${maskPan(pan)} found in clear (${found}) in the flash image ${when}`);
    }
  }

  /** Faults off; settle until the batch closes, then money must agree exactly. */
  private drain(): void {
    const w = this.world;
    w.quiesce();
    let settled = false;
    for (let i = 0; i < DRAIN_ATTEMPTS && !settled; i++) {
      if (w.eng.needsSignIn()) w.step(blankOp(OP_SIGNIN));
      const before = w.results.length;
      w.step(blankOp(OP_SETTLE));
      w.quiesce();
      settled = w.results.slice(before).some((r) => r.op === OP_SETTLE && r.ok);
    }
    if (!settled) this.violation("final settlement did not succeed: " + w.results[w.results.length - 1]?.text);
    const st = this.setup.store;
    if (st.unreportedFaults !== undefined) for (const v of st.unreportedFaults(false)) this.violation(v);
    for (const v of checkStep(this.ctx)) this.violation(v);
    const diffs = moneyDiffs(this.ctx);
    this.discrepancies += diffs.length;
    for (const d of diffs) this.violationDetail("final money: " + d);
  }

  private outcome(): SimOutcome {
    const c = this.world.counters;
    return {
      report: {
        seed: this.o.seed, operations: this.mainOps, approved: c.approved, declined: c.declined,
        reversals_sent: c.reversals_sent, reversals_failed: this.world.journal.reversalsFailed, power_cuts: c.power_cuts,
        net_faults: c.net_faults, storage_faults: c.storage_faults, discrepancies: this.discrepancies, violations: this.violations,
      },
      details: this.details,
      trace: this.world.traceLines,
      sent: this.world.sent,
    };
  }
}

export function runSim(o: SimOptions): SimOutcome {
  return new Simulation(o).run();
}

export { FX_PRINT };
