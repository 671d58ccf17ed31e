// The txn.trace vectors (test/vectors/txn-*.json) take their expected values from the Node
// build of the same engine. Here an independent model (test/support/money-model.ts, rules only,
// no engine code) reads the same wire traffic and derives each transaction's final state and
// the money totals; they must equal the final journal the vector pins (its flash CRC) and the
// totals the terminal sent in every 0500.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { fromHex, toHex, Bytes } from "../../src/bytes/index";
import { unpackWire } from "../../src/iso8583/index";
import { flashTerminal } from "../../src/sim/flash-terminal";
import { TxnEngine } from "../../src/txn/engine";
import { TraceItem } from "../../src/txn/replay";
import { FX_SEND } from "../../src/txn/types";
import { KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED, TxnRecord } from "../../src/journal/api";
import { ModelTxn, WireItem, modelNetPerCard, modelTotals, runModel } from "../support/money-model";

const VECTORS = path.join(process.cwd(), "test", "vectors");

interface TraceCase {
  file: string;
  name: string;
  seed: number;
  trace: TraceItem[];
  sectors?: number;
  out: { sent: string[]; flash_crc: number };
}

function loadCases(): TraceCase[] {
  const out: TraceCase[] = [];
  const files = fs.readdirSync(VECTORS).filter((f) => /^txn-.*\.json$/.test(f)).sort();
  for (const f of files) {
    const v = JSON.parse(fs.readFileSync(path.join(VECTORS, f), "utf8")) as { cases: { name: string; in: { seed: number; trace?: TraceItem[]; sectors?: number }; out?: { sent: string[]; flash_crc: number } }[] };
    for (const c of v.cases) {
      if (c.out === undefined || c.in.trace === undefined) continue; // error cases: no traffic, counted below
      out.push({ file: f, name: c.name, seed: c.in.seed, trace: c.in.trace, sectors: c.in.sectors, out: c.out });
    }
  }
  return out;
}

interface EngineSide {
  wire: WireItem[];
  sent: string[];
  crc: number;
  /** STANs named by a reply the power cut tore (its journal write may or may not have landed). */
  tornStans: number[];
  batch: number;
  txns: TxnRecord[];
}

function stanOf(hex: string): number {
  try {
    const f = unpackWire("cup", fromHex(hex)).msg.fields["11"];
    return f === undefined ? -1 : parseInt(f, 10);
  } catch (e) {
    return -1;
  }
}

/** Replays the case on the engine (as the txn.trace suite does), recording the wire in order. */
function engineSide(c: TraceCase): EngineSide {
  const d = flashTerminal(c.seed, undefined, c.sectors);
  const mk = (): TxnEngine => new TxnEngine({ journal: d.open(), security: d.security, codec: d.codec, config: d.config });
  let eng = mk();
  const r: EngineSide = { wire: [], sent: [], crc: 0, tornStans: [], batch: 0, txns: [] };
  for (const it of c.trace) {
    if (it.arm !== undefined) { d.armCut(it.arm); continue; }
    if (it.cut !== undefined) { r.wire.push({ dir: "cut" }); eng = mk(); continue; }
    const data = it.data === undefined ? undefined : fromHex(it.data);
    const rx = it.k === 2 && it.data !== undefined ? it.data : undefined;
    const wasDead = d.dead();
    const fx = eng.handle({ k: it.k === undefined ? 0 : it.k, t_ms: it.t === undefined ? 0 : it.t, op: it.op, data: data, id: it.id });
    const torn = !wasDead && d.dead();
    if (rx !== undefined) r.wire.push({ dir: "rx", hex: rx, torn: torn });
    if (torn && rx !== undefined) r.tornStans.push(stanOf(rx));
    if (d.dead()) continue;
    for (const e of fx) {
      if (e.k !== FX_SEND) continue;
      const h = toHex(e.b as Bytes);
      r.sent.push(h);
      r.wire.push({ dir: "tx", hex: h });
    }
  }
  r.crc = d.imageCrc();
  const j = d.open();
  r.batch = j.batch();
  r.txns = j.txns();
  return r;
}

const STATE_NAMES: { [k: number]: string } = {};
STATE_NAMES[ST_PENDING] = "pending"; STATE_NAMES[ST_APPROVED] = "approved"; STATE_NAMES[ST_DECLINED] = "declined";
STATE_NAMES[ST_VOIDED] = "voided"; STATE_NAMES[ST_REVERSED] = "reversed";
const KIND_NAMES: { [k: number]: string } = {};
KIND_NAMES[KIND_SALE] = "sale"; KIND_NAMES[KIND_VOID] = "void"; KIND_NAMES[KIND_REFUND] = "refund";

function card(panMasked: string): string {
  return panMasked.length < 10 ? "" : panMasked.slice(0, 6) + panMasked.slice(panMasked.length - 4);
}

/** Every difference between the model and the engine's final journal, one line each, naming case and field. */
function compareCase(name: string, model: ModelTxn[], findings: { where: string; field: string; model: string; wire: string }[], e: EngineSide): string[] {
  const diffs: string[] = [];
  for (const f of findings) diffs.push(name + ": " + f.where + " " + f.field + ": model " + f.model + ", terminal sent " + f.wire);
  const mine = model.filter((t) => t.batch === e.batch && e.tornStans.indexOf(t.stan) < 0);
  const theirs = e.txns.filter((t) => e.tornStans.indexOf(t.stan) < 0);
  for (const j of theirs) {
    const m = mine.filter((t) => t.stan === j.stan)[0];
    const at = name + ": STAN " + j.stan + " ";
    if (m === undefined) { diffs.push(at + "in the journal (" + STATE_NAMES[j.state] + "), not in the model"); continue; }
    if (m.kind !== KIND_NAMES[j.kind]) diffs.push(at + "kind: model " + m.kind + ", journal " + KIND_NAMES[j.kind]);
    if (m.state !== STATE_NAMES[j.state]) diffs.push(at + "state: model " + m.state + ", journal " + STATE_NAMES[j.state]);
    if (m.amount_minor !== j.amount_minor) diffs.push(at + "amount_minor: model " + m.amount_minor + ", journal " + j.amount_minor);
    if (m.kind === "sale" && m.refunded_minor !== j.refunded_minor) diffs.push(at + "refunded_minor: model " + m.refunded_minor + ", journal " + j.refunded_minor);
  }
  for (const m of mine) {
    if (theirs.filter((t) => t.stan === m.stan).length === 0) diffs.push(name + ": STAN " + m.stan + " in the model (" + m.state + "), not in the journal");
  }
  const jt = { sales_count: 0, sales_minor: 0, refunds_count: 0, refunds_minor: 0 };
  const jnet: { [c: string]: number } = {};
  for (const j of theirs) {
    if (j.state !== ST_APPROVED || j.kind === KIND_VOID) continue;
    const sale = j.kind === KIND_SALE;
    if (sale) { jt.sales_count++; jt.sales_minor += j.amount_minor; } else { jt.refunds_count++; jt.refunds_minor += j.amount_minor; }
    const k = card(j.panMasked);
    jnet[k] = (jnet[k] === undefined ? 0 : jnet[k]) + (sale ? j.amount_minor : -j.amount_minor);
  }
  const mt = modelTotals(mine, e.batch);
  for (const k of ["sales_count", "sales_minor", "refunds_count", "refunds_minor"] as (keyof typeof jt)[]) {
    if (mt[k] !== jt[k]) diffs.push(name + ": totals " + k + ": model " + mt[k] + ", journal " + jt[k]);
  }
  const mnet = modelNetPerCard(mine, e.batch);
  const cards = Object.keys(mnet).concat(Object.keys(jnet).filter((c) => mnet[c] === undefined)).sort();
  for (const c of cards) {
    const a = mnet[c] === undefined ? 0 : mnet[c];
    const b = jnet[c] === undefined ? 0 : jnet[c];
    if (a !== b) diffs.push(name + ": net per card " + c + ": model " + a + ", journal " + b);
  }
  return diffs;
}

const CASES = loadCases();
const SIDES: EngineSide[] = CASES.map(engineSide);

test("each replay reproduces its vector (so the journal compared is the one the vector pins)", () => {
  assert.ok(CASES.length >= 20, CASES.length + " trace cases");
  CASES.forEach((c, i) => {
    assert.equal(SIDES[i].sent, c.out.sent, c.file + " / " + c.name + ": sent");
    assert.is(SIDES[i].crc, c.out.flash_crc, c.file + " / " + c.name + ": flash_crc");
  });
});

test("the independent model agrees with every trace case's final journal and 0500 totals", () => {
  let checked = 0;
  let txns = 0;
  let torn = 0;
  const diffs: string[] = [];
  CASES.forEach((c, i) => {
    const m = runModel(SIDES[i].wire);
    diffs.push(...compareCase(c.file + " / " + c.name, m.txns, m.findings, SIDES[i]));
    checked++;
    txns += SIDES[i].txns.length;
    torn += SIDES[i].tornStans.length;
  });
  console.log("  money model: " + checked + " trace cases checked (" + txns + " journal transactions); excluded by rule: "
    + torn + " transaction(s) whose reply was being handled when the power failed (torn journal write: either outcome is correct), "
    + "and the error cases without traffic (no output to model)");
  assert.equal(diffs, [], diffs.join("\n"));
});
test.run();
