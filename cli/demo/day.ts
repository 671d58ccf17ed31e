// A narrated, scripted demo day: the real terminal core and journal against the in-process
// acquirer on a virtual clock (`posrt demo`). The interactive terminal is `posrt emulator`.
import { EV_OP, Effect, FX_DISPLAY, FX_FINISH_CARD, FX_PRINT, FX_RESULT, FX_SEND, Operation, OpResult, OP_BALANCE, OP_REFUND, OP_SALE, OP_SETTLE, OP_SIGNIN, OP_VOID, Card } from "../../src/txn/types";
import { KIND_SALE, ST_APPROVED, TxnRecord } from "../../src/journal/api";
import { World } from "../sim/world";
import { makeSetup } from "../sim/setup";
import { SIM_CONFIG } from "../sim/run";
import { pad } from "../../src/text/digits";
import { formatAmount } from "../../src/money/format";

const STATE_NAMES = ["", "pending", "approved", "declined", "voided", "reversed"];
const KIND_NAMES = ["", "sale", "void", "refund"];

const MAG_CARD: Card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "", chip: false, icc: "" };
const CHIP_CARD: Card = { pan: "6225880000000001", expiry: "3012", track2: "", pinBlock: "", chip: true, icc: "9F260811223344556677889F2701809F360200A1" };

function op(kind: number, extra: Partial<Operation>): Operation {
  return { op: kind, amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "", ...extra };
}

export class DemoDay {
  world: World;
  setup: ReturnType<typeof makeSetup>;
  out: (line: string) => void;

  constructor(out: (line: string) => void) {
    this.out = out;
    const setup = makeSetup(2026, SIM_CONFIG);
    this.setup = setup;
    this.world = new World({ seed: 2026, faults: "none", config: SIM_CONFIG, codec: setup.codec, security: setup.terminalSecurity, acquirer: setup.acquirer, store: setup.store, trace: false });
    this.world.onEffect = (e) => this.narrate(e);
    this.world.cardFailRate = 0;
  }

  private narrate(e: Effect): void {
    if (e.k === FX_SEND) {
      const m = this.world.o.codec.unpackWire(e.b as never);
      this.out(`    → ${m.mti} trace ${m.fields["11"] ?? ""}${m.fields["39"] ? " reason " + m.fields["39"] : ""}`);
    } else if (e.k === FX_DISPLAY) this.out(`    display: ${e.text}`);
    else if (e.k === FX_FINISH_CARD) this.out("    card: host approved — the chip now finishes the transaction (second GENERATE AC)");
    else if (e.k === FX_PRINT) {
      this.out("    ┌──────── receipt ────────");
      for (const l of e.lines as string[]) this.out("    │ " + l);
      this.out("    └─────────────────────────");
    } else if (e.k === FX_RESULT) {
      const r = e.result as OpResult;
      this.out(`    result: ${r.ok ? "OK" : "NOT OK"} ${r.code !== "" ? "(" + r.code + ") " : ""}${r.text}`);
    }
  }

  private say(title: string): void {
    this.out("");
    this.out("▶ " + title);
  }

  private journal(): void {
    const j = this.world.journal;
    this.out(`    journal: batch ${pad(j.batch(), 6)}, ${j.pendingReversals().length} reversal(s) pending, ${j.fillPercent()} % full`);
    for (const t of j.txns()) this.out(`      trace ${pad(t.stan, 6)} ${KIND_NAMES[t.kind].padEnd(6)} ${STATE_NAMES[t.state].padEnd(8)} ${formatAmount(t.amount_minor).padStart(9)} ${t.panMasked} rrn ${t.rrn || "-"}`);
  }

  private approvedSales(): TxnRecord[] {
    return this.world.journal.txns().filter((t) => t.kind === KIND_SALE && t.state === ST_APPROVED);
  }

  run(): void {
    this.out("posrt scripted demo day (the interactive terminal is `posrt emulator`). The real transaction engine");
    this.out("and journal run against an in-process acquirer on a virtual clock; timeouts pass instantly.");
    this.say("Power-up and sign-in: working keys, batch and clock from the 0810");
    this.world.step(op(OP_SIGNIN, {}));
    this.say("Sale 128.00, magnetic stripe");
    this.world.step(op(OP_SALE, { amount_minor: 12800, card: MAG_CARD }));
    this.say("Sale 56.30, chip card: the card completes after the host approves");
    this.world.step(op(OP_SALE, { amount_minor: 5630, card: CHIP_CARD }));
    this.say("Sale 20.51: test amount .51 → insufficient funds");
    this.world.step(op(OP_SALE, { amount_minor: 2051, card: MAG_CARD }));
    this.say("Sale 75.00 whose reply is lost in the network: timeout, automatic reversal (98)");
    this.world.nextFault = "drop_reply";
    this.world.step(op(OP_SALE, { amount_minor: 7500, card: MAG_CARD }));
    this.journal();
    this.say("Sale 42.00, and the power fails after the request left: at power-up the reversal goes out first");
    this.world.feed({ k: EV_OP, t_ms: this.world.t_ms, op: op(OP_SALE, { amount_minor: 4200, card: MAG_CARD }) });
    this.world.runOne();
    this.out("    ⚡ power cut (the acquirer approved it; the reply finds nobody)");
    this.world.powerCut("demo");
    for (let i = 0; i < 20 && this.world.busy(); i++) this.world.runOne();
    this.journal();
    this.say("Balance inquiry (not journaled)");
    this.world.step(op(OP_BALANCE, { card: MAG_CARD }));
    const first = this.approvedSales()[0];
    this.say(`Void of trace ${pad(first.stan, 6)} (same batch, full amount, supervisor password)`);
    this.world.step(op(OP_VOID, { origStan: first.stan, password: SIM_CONFIG.supervisorPassword }));
    const chip = this.approvedSales()[0];
    this.say(`Partial refund 16.30 of RRN ${chip.rrn} (0220, never reversed)`);
    this.world.step(op(OP_REFUND, { amount_minor: 1630, card: CHIP_CARD, origRrn: chip.rrn, origDate: chip.time.substring(0, 4) }));
    this.journal();
    this.say("Settlement: totals from the journal in field 48; the batch closes and its number increments");
    this.world.step(op(OP_SETTLE, {}));
    this.journal();
    const net = this.setup.ledger.netByCard();
    for (const pan of Object.keys(net).sort()) this.out(`    acquirer's books: card ${pan.substring(0, 6)}…${pan.substring(pan.length - 4)} charged ${formatAmount(net[pan])} net`);
    this.out("");
    this.out("End of the demo day. Try `posrt sim --faults all` for the same core under random faults.");
  }
}
