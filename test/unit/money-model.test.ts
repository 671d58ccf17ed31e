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
import { packWire, unpackWire } from "../../src/iso8583/index";
import { SIM_TERMINAL, flashTerminal } from "../../src/sim/flash-terminal";
import { TxnEngine } from "../../src/txn/engine";
import { TraceItem } from "../../src/txn/replay";
import { FX_SEND } from "../../src/txn/types";
import { KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED, TxnRecord } from "../../src/journal/api";
import { ModelTxn, WireItem, modelNetPerCard, modelTotals, runModel } from "../support/money-model";

/** The trace device (src/sim/flash-terminal.ts, as the txn.trace suite builds it) gives the engine no index of settled sales. */
const NO_SETTLED_INDEX = false;
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
  /**
   * Excluded by rule (torn journal writes: the outcome depends on which write tore): STANs
   * named by a reply whose handling the power cut tore, and STANs of an operation torn before
   * its request left (first seen in a 0400 after the cut: the reversal record landed, the
   * transaction record may not have).
   */
  tornStans: number[];
  /** The same, one line each, for the test's output. */
  tornWhy: string[];
  batch: number;
  txns: TxnRecord[];
  /** The journal's batch read just after each event that sent a 0500 (before the batch closes). */
  snaps: { wireLen: number; batch: number; txns: TxnRecord[] }[];
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
  let jr = d.open();
  const mk = (): TxnEngine => new TxnEngine({ journal: jr, security: d.security, codec: d.codec, config: d.config });
  let eng = mk();
  const r: EngineSide = { wire: [], sent: [], crc: 0, tornStans: [], tornWhy: [], batch: 0, txns: [], snaps: [] };
  const seen: { [stan: string]: boolean } = {};
  let tornOp = false;
  for (const it of c.trace) {
    if (it.arm !== undefined) { d.armCut(it.arm); continue; }
    if (it.cut !== undefined) { r.wire.push({ dir: "cut" }); jr = d.open(); eng = mk(); continue; }
    const data = it.data === undefined ? undefined : fromHex(it.data);
    const rx = it.k === 2 && it.data !== undefined ? it.data : undefined;
    const wasDead = d.dead();
    const fx = eng.handle({ k: it.k === undefined ? 0 : it.k, t_ms: it.t === undefined ? 0 : it.t, op: it.op, data: data, id: it.id });
    const torn = !wasDead && d.dead();
    if (rx !== undefined) r.wire.push({ dir: "rx", hex: rx, torn: torn });
    if (torn && rx !== undefined) { r.tornStans.push(stanOf(rx)); r.tornWhy.push("STAN " + stanOf(rx) + ": its reply was being handled when the power failed"); }
    if (it.k === 1) tornOp = torn;
    if (d.dead()) continue;
    let settles = false;
    for (const e of fx) {
      if (e.k !== FX_SEND) continue;
      const h = toHex(e.b as Bytes);
      r.sent.push(h);
      r.wire.push({ dir: "tx", hex: h });
      const st = stanOf(h);
      if (tornOp && h.slice(26, 30) === "0400" && seen[String(st)] !== true) {
        r.tornStans.push(st);
        r.tornWhy.push("STAN " + st + ": its operation was torn by the power cut before the request left (reversal sent after power-up)");
        tornOp = false;
      }
      seen[String(st)] = true;
      if (h.slice(26, 30) === "0500") settles = true;
    }
    if (settles) r.snaps.push({ wireLen: r.wire.length, batch: jr.batch(), txns: jr.txns() });
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
function compareCase(name: string, model: ModelTxn[], findings: { where: string; field: string; model: string; wire: string }[], e: { batch: number; txns: TxnRecord[]; tornStans: number[] }): string[] {
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

test("the model is independent: it imports only the byte helpers and the ISO 8583 codec", () => {
  const src = fs.readFileSync(path.join(process.cwd(), "test", "support", "money-model.ts"), "utf8");
  const from = src.split("\n").filter((l) => /^import /.test(l)).map((l) => l.replace(/^.* from "([^"]+)";$/, "$1"));
  assert.equal(from, ["../../src/bytes/index", "../../src/iso8583/index"]);
});

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
  let settlements = 0;
  let snaps = 0;
  const excluded: string[] = [];
  const states: { [s: string]: number } = {};
  const diffs: string[] = [];
  CASES.forEach((c, i) => {
    const m = runModel(SIDES[i].wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX);
    diffs.push(...compareCase(c.file + " / " + c.name, m.txns, m.findings, SIDES[i]));
    SIDES[i].snaps.forEach((sn, n) => {
      const early = runModel(SIDES[i].wire.slice(0, sn.wireLen), SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX);
      diffs.push(...compareCase(c.file + " / " + c.name + " / journal at 0500 #" + (n + 1), early.txns, [], { batch: sn.batch, txns: sn.txns, tornStans: SIDES[i].tornStans }));
      txns += sn.txns.length;
      snaps++;
    });
    checked++;
    txns += SIDES[i].txns.length;
    torn += SIDES[i].tornStans.length;
    for (const w of SIDES[i].tornWhy) excluded.push("    excluded: " + c.file + " / " + c.name + ": " + w);
    settlements += m.settlement_totals;
    for (const t of m.txns) states[t.kind + " " + t.state] = (states[t.kind + " " + t.state] === undefined ? 0 : states[t.kind + " " + t.state]) + 1;
  });
  assert.ok(settlements > 5 && txns > 10, "the vectors exercise settlement totals and open batches");
  console.log("  money model: " + checked + " trace cases checked (" + txns + " journal records compared, at the end and in " + snaps + " journal snapshots taken as a 0500 left, "
    + settlements + " settlement totals against the 0500 sent; model states " + JSON.stringify(states) + "); excluded by rule: "
    + torn + " transaction(s) touched by a torn journal write (either outcome is correct), "
    + "and the error cases without traffic (no output to model)\n" + excluded.join("\n"));
  assert.equal(diffs, [], diffs.join("\n"));
});

interface View { wire: WireItem[]; batch: number; txns: TxnRecord[]; tornStans: number[] }

/** The journal view (end of a case, or a snapshot as a 0500 left) holding the most approved sales. */
function richestView(): View {
  const n = (txns: TxnRecord[]): number => txns.filter((t) => t.kind === KIND_SALE && t.state === ST_APPROVED).length;
  let best: View = { wire: SIDES[0].wire, batch: SIDES[0].batch, txns: SIDES[0].txns, tornStans: SIDES[0].tornStans };
  for (const e of SIDES) {
    for (const sn of e.snaps) {
      if (n(sn.txns) > n(best.txns)) best = { wire: e.wire.slice(0, sn.wireLen), batch: sn.batch, txns: sn.txns, tornStans: e.tornStans };
    }
  }
  return best;
}

function withCode(hex: string, code: string): string {
  const w = unpackWire("cup", fromHex(hex));
  const f: { [k: string]: string } = {};
  for (const k of Object.keys(w.msg.fields)) f[k] = w.msg.fields[k];
  f["39"] = code;
  return toHex(packWire("cup", { mti: w.msg.mti, fields: f }, w.header));
}

test("the check fails when it should: one changed reply code is caught, naming case, STAN and field", () => {
  const e = richestView();
  const approved = e.txns.filter((t) => t.kind === KIND_SALE && t.state === ST_APPROVED)[0];
  assert.ok(approved !== undefined, "the case holds an approved sale");
  let changed = 0;
  const wire = e.wire.map((w) => {
    if (w.dir !== "rx" || w.hex === undefined || changed > 0) return w;
    try {
      const m = unpackWire("cup", fromHex(w.hex)).msg;
      if (m.mti !== "0210" || parseInt(m.fields["11"], 10) !== approved.stan) return w;
    } catch (err) {
      return w;
    }
    changed++;
    return { dir: w.dir, hex: withCode(w.hex, "05") };
  });
  assert.is(changed, 1);
  const m = runModel(wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX);
  assert.equal(compareCase("unchanged", runModel(e.wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX).txns, [], e), []);
  const diffs = compareCase("mutated", m.txns, m.findings, e);
  assert.ok(diffs.indexOf("mutated: STAN " + approved.stan + " state: model declined, journal approved") >= 0, diffs.join("\n"));
  assert.ok(diffs.some((d) => /^mutated: totals sales_count: model \d+, journal \d+$/.test(d)), diffs.join("\n"));
  assert.ok(diffs.some((d) => d.indexOf("mutated: net per card ") === 0), diffs.join("\n"));
});

test("the check fails when it should: one changed expected journal value, one changed 0500 total", () => {
  const e = richestView();
  const m = runModel(e.wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX);
  assert.equal(compareCase("unchanged", m.txns, m.findings, e), []);
  const t0 = e.txns[0];
  const bumped: TxnRecord = { ...t0, amount_minor: t0.amount_minor + 1 };
  const e2: View = { ...e, txns: [bumped].concat(e.txns.slice(1)) };
  const diffs = compareCase("mutated", m.txns, m.findings, e2);
  assert.ok(diffs.indexOf("mutated: STAN " + t0.stan + " amount_minor: model " + t0.amount_minor + ", journal " + (t0.amount_minor + 1)) >= 0, diffs.join("\n"));
  // a 0500 whose field 48 says one more sale than the model counts
  const k = SIDES.findIndex((s) => s.wire.some((w) => w.dir === "tx" && w.hex !== undefined && unpackWire("cup", fromHex(w.hex)).msg.mti === "0500" && unpackWire("cup", fromHex(w.hex)).msg.fields["48"].slice(0, 3) !== "000"));
  assert.ok(k >= 0, "a case settles a non-empty batch");
  let done = false;
  const wire = SIDES[k].wire.map((w) => {
    if (done || w.dir !== "tx" || w.hex === undefined) return w;
    const x = unpackWire("cup", fromHex(w.hex));
    const f48 = x.msg.fields["48"];
    if (x.msg.mti !== "0500" || f48.slice(0, 3) === "000") return w;
    done = true;
    const f: { [k: string]: string } = {};
    for (const key of Object.keys(x.msg.fields)) f[key] = x.msg.fields[key];
    const n = parseInt(f48.slice(0, 3), 10) + 1;
    f["48"] = ("00" + n).slice(-3) + f48.slice(3);
    return { dir: w.dir, hex: toHex(packWire("cup", { mti: x.msg.mti, fields: f }, x.header)) };
  });
  const before = runModel(SIDES[k].wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX).findings;
  assert.equal(before, []);
  const d2 = runModel(wire, SIM_TERMINAL.refundMax_minor, NO_SETTLED_INDEX).findings;
  assert.is(d2.length, 1, JSON.stringify(d2));
  assert.is(d2[0].field, "sales_count");
  assert.is(Number(d2[0].wire), Number(d2[0].model) + 1);
});

test("the refund cap after settlement: without a settled-sales index the trace device lets a refund exceed what is left", () => {
  // The txn.trace device runs the engine without SettledSales (documented fallback: refunds of
  // a settled sale are capped by refundMax_minor only). The model with an index shows where that
  // matters in the recorded traffic; only the acquirer's decline stops the refund.
  const found: string[] = [];
  CASES.forEach((c, i) => {
    for (const f of runModel(SIDES[i].wire, SIM_TERMINAL.refundMax_minor, true).findings) found.push(c.file + ": " + f.where + " " + f.field + ": model " + f.model + ", sent " + f.wire);
  });
  assert.equal(found, ["txn-sim-21.json: refund STAN 71 batch 3 refund amount: model at most 2436 left of RRN 000000000003, sent 4764"]);
});

test.run();
