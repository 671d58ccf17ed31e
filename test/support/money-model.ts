// An independent model of the terminal's money rules, for tests only (Node). It reads the wire
// traffic of a recorded trace — every frame the terminal sent and every frame it received, in
// order, plus power cuts — and derives from the rules alone (docs/architecture.md, the
// void/refund/reversal rules) the state each transaction must end in and the money totals.
// It imports only the ISO 8583 codec and the byte helpers to read frames: no engine, journal
// or money-rule code, so it cannot inherit their mistakes.
//
// Rules modelled:
// - 0200 with processing code 31xxxx is a balance inquiry (no money, not journalled);
//   0200 with processing code 00xxxx is a sale, 20xxxx a void (field 61: the sale's STAN),
//   0220 a refund (field 37: the original's RRN). Each is pending once its request has left.
// - A reply counts only if it parses, answers a pending request (MTI + 10, same STAN and
//   amount) whose reversal has not been sent, and is the first such reply: 00 approves,
//   any other code declines. An approved void voids its sale; an approved refund adds its
//   amount to the original sale's refunded amount (when the original is in the journal).
//   The model holds no keys and cannot check a MAC: a reply altered only in MAC-covered
//   bytes that still parses and matches would be judged accepted here and show up as a state
//   difference against the journal (never silently).
// - A 0400 sent for a transaction means its outcome was not accepted (no reply, bad reply,
//   or the card could not complete): the reversal is pending; a 0410 with 00, 12 or 25 for it
//   completes the reversal and the transaction is reversed.
// - What may be sent at all: a void only for an approved sale of the open batch that is not
//   voided or reversed; a refund only of an approved sale, up to its amount minus its approved
//   and its unanswered refunds (original known by RRN: in the open batch, or in a settled one
//   when the terminal keeps an index of settled sales), or up to the configured cap when the
//   original is unknown. A request breaking this is a finding.
// - A refund is never reversed (repeated with the same STAN instead).
// - Settlement: the 0500's field 48 carries the batch totals (sales count + amount, refunds
//   count + amount) of approved, not voided, not reversed transactions; an accepted 0510
//   (after a batch upload if any) closes the batch.
import { fromHex } from "../../src/bytes/index";
import { unpackWire } from "../../src/iso8583/index";

export type ModelState = "pending" | "approved" | "declined" | "voided" | "reversed";

export interface ModelTxn {
  batch: number;
  stan: number;
  kind: "sale" | "void" | "refund";
  amount_minor: number;
  /** First 6 + last 4 digits of the PAN, "" when the request carries none. */
  card: string;
  rrn: string;
  state: ModelState;
  /** A 0400 was sent and no completing 0410 came back (yet). */
  reversalPending: boolean;
  /** Sale: sum of approved refunds against it. */
  refunded_minor: number;
  origStan: number;
  origRrn: string;
}

export interface ModelTotals {
  sales_count: number;
  sales_minor: number;
  refunds_count: number;
  refunds_minor: number;
}

/** One item of wire traffic: a frame sent (tx), received (rx), or the power coming back. */
export interface WireItem {
  dir: "tx" | "rx" | "cut";
  hex?: string;
  /** rx: the power failed while the terminal handled this frame (its journal write may have torn). */
  torn?: boolean;
}

/** A difference the model found inside the traffic itself (e.g. totals sent in a 0500). */
export interface WireFinding {
  where: string;
  field: string;
  model: string;
  wire: string;
}

export interface ModelResult {
  /** Every transaction seen, by STAN (newest batch wins a reused STAN). */
  txns: ModelTxn[];
  findings: WireFinding[];
  /** 0500s whose totals the model checked. */
  settlement_totals: number;
}

interface Frame {
  mti: string;
  f: { [k: string]: string };
}

function parse(hex: string): Frame | undefined {
  try {
    const m = unpackWire("cup", fromHex(hex)).msg;
    return { mti: m.mti, f: m.fields };
  } catch (e) {
    return undefined;
  }
}

function num(s: string | undefined): number {
  return s === undefined || s === "" ? 0 : parseInt(s, 10);
}

function cardOf(f: { [k: string]: string }): string {
  let pan = f["2"];
  if (pan === undefined && f["35"] !== undefined) pan = f["35"].split("D")[0].split("=")[0];
  if (pan === undefined || pan.length < 10) return "";
  return pan.slice(0, 6) + pan.slice(pan.length - 4);
}

const COMPLETES_REVERSAL = ["00", "12", "25"];

/** Totals of one batch as the rules define them. */
export function modelTotals(txns: ModelTxn[], batch: number): ModelTotals {
  const t: ModelTotals = { sales_count: 0, sales_minor: 0, refunds_count: 0, refunds_minor: 0 };
  for (const x of txns) {
    if (x.batch !== batch || x.state !== "approved") continue;
    if (x.kind === "sale") { t.sales_count++; t.sales_minor += x.amount_minor; }
    if (x.kind === "refund") { t.refunds_count++; t.refunds_minor += x.amount_minor; }
  }
  return t;
}

/** Net per card (approved sales minus approved refunds, voided/reversed count nothing) in `batch`. */
export function modelNetPerCard(txns: ModelTxn[], batch: number): { [card: string]: number } {
  const out: { [card: string]: number } = {};
  for (const x of txns) {
    if (x.batch !== batch || x.state !== "approved" || x.kind === "void") continue;
    const v = x.kind === "sale" ? x.amount_minor : -x.amount_minor;
    out[x.card] = (out[x.card] === undefined ? 0 : out[x.card]) + v;
  }
  return out;
}

class Model {
  constructor(readonly refundMax: number, readonly settledIndex: boolean) {}
  txns: ModelTxn[] = [];
  byStan: { [stan: string]: ModelTxn } = {};
  findings: WireFinding[] = [];
  settlements = 0;
  totalsChecked = 0;
  /** Batch of the 0500 awaiting its 0510, -1 when none. */
  settling = -1;
  closed: { [batch: string]: boolean } = {};

  tx(fr: Frame): void {
    const stan = num(fr.f["11"]);
    const batch = fr.f["60"] === undefined ? 0 : num(fr.f["60"].slice(2, 8));
    if (fr.mti === "0200" || fr.mti === "0220") this.request(fr, stan, batch);
    else if (fr.mti === "0400") {
      // The journal is written before any request leaves: a reversal for a request that never
      // left (the power failed first) still names a journalled transaction.
      if (this.byStan[String(stan)] === undefined) this.request({ mti: "0400", f: fr.f }, stan, batch);
      const t = this.byStan[String(stan)];
      if (t.state === "approved" && t.kind === "void") {
        const sale = this.byStan[String(t.origStan)];
        if (sale !== undefined && sale.state === "voided") sale.state = "approved";
      }
      t.reversalPending = true;
    } else if (fr.mti === "0500") this.settle(fr, batch);
  }

  request(fr: Frame, stan: number, batch: number): void {
    const p3 = fr.f["3"] === undefined ? "" : fr.f["3"];
    if (p3.slice(0, 2) === "31") return; // balance inquiry: moves no money, not journalled
    const kind = fr.mti === "0220" ? "refund" : (p3.slice(0, 2) === "20" ? "void" : "sale");
    const old = this.byStan[String(stan)];
    if (old !== undefined && old.batch === batch && old.kind === kind) return; // a repeat (refund) or resend
    const t: ModelTxn = {
      batch: batch, stan: stan, kind: kind, amount_minor: num(fr.f["4"]), card: cardOf(fr.f), rrn: "",
      state: "pending", reversalPending: false, refunded_minor: 0,
      origStan: kind === "void" && fr.f["61"] !== undefined ? num(fr.f["61"].slice(6, 12)) : 0,
      origRrn: kind === "refund" && fr.f["37"] !== undefined ? fr.f["37"] : "",
    };
    if (fr.mti !== "0400") this.mayBeSent(t);
    this.txns.push(t);
    this.byStan[String(stan)] = t;
  }

  mayBeSent(t: ModelTxn): void {
    const where = t.kind + " STAN " + t.stan + " batch " + t.batch;
    if (t.kind === "void") {
      const sale = this.byStan[String(t.origStan)];
      const ok = sale !== undefined && sale.kind === "sale" && sale.batch === t.batch && sale.state === "approved" && !sale.reversalPending;
      if (!ok) this.findings.push({ where: where, field: "void of STAN " + t.origStan, model: "not voidable (" + (sale === undefined ? "unknown" : sale.state) + ")", wire: "void sent" });
    } else if (t.kind === "refund") {
      let orig: ModelTxn | undefined = undefined;
      for (const s of this.txns) if (s.kind === "sale" && s.rrn !== "" && s.rrn === t.origRrn) orig = s;
      // Without an index of settled sales the terminal forgets a sale once its batch closes.
      if (orig !== undefined && this.closed[String(orig.batch)] === true && !this.settledIndex) orig = undefined;
      if (orig === undefined) {
        if (t.amount_minor > this.refundMax) this.findings.push({ where: where, field: "refund amount (original unknown)", model: "at most " + this.refundMax, wire: String(t.amount_minor) });
        return;
      }
      if (orig.state !== "approved") {
        this.findings.push({ where: where, field: "refund of RRN " + t.origRrn, model: "not refundable (" + orig.state + ")", wire: "refund sent" });
        return;
      }
      let open = 0;
      for (const r of this.txns) if (r.kind === "refund" && r.state === "pending" && r.origRrn === t.origRrn) open += r.amount_minor;
      const cap = orig.amount_minor - orig.refunded_minor - open;
      if (t.amount_minor > cap) this.findings.push({ where: where, field: "refund amount", model: "at most " + cap + " left of RRN " + t.origRrn, wire: String(t.amount_minor) });
    }
  }

  settle(fr: Frame, batch: number): void {
    const f48 = fr.f["48"] === undefined ? "" : fr.f["48"];
    const m = modelTotals(this.txns, batch);
    const wire: ModelTotals = {
      sales_count: num(f48.slice(0, 3)), sales_minor: num(f48.slice(3, 15)),
      refunds_count: num(f48.slice(15, 18)), refunds_minor: num(f48.slice(18, 30)),
    };
    const keys: (keyof ModelTotals)[] = ["sales_count", "sales_minor", "refunds_count", "refunds_minor"];
    for (const k of keys) {
      if (m[k] !== wire[k]) this.findings.push({ where: "0500 STAN " + fr.f["11"] + " batch " + batch, field: k, model: String(m[k]), wire: String(wire[k]) });
    }
    this.totalsChecked++;
    this.settling = batch;
  }

  rx(fr: Frame): void {
    const stan = num(fr.f["11"]);
    const t = this.byStan[String(stan)];
    if (fr.mti === "0510") {
      if (this.settling >= 0) { this.closed[String(this.settling)] = true; this.settlements++; }
      this.settling = -1;
      return;
    }
    if (t === undefined || num(fr.f["4"]) !== t.amount_minor) return;
    const code = fr.f["39"] === undefined ? "" : fr.f["39"];
    if (fr.mti === "0410") {
      if (t.reversalPending && COMPLETES_REVERSAL.indexOf(code) >= 0) {
        t.reversalPending = false;
        t.state = "reversed";
      }
      return;
    }
    const answers = (fr.mti === "0210" && t.kind !== "refund") || (fr.mti === "0230" && t.kind === "refund");
    if (!answers || t.state !== "pending" || t.reversalPending) return;
    t.rrn = fr.f["37"] === undefined ? "" : fr.f["37"];
    t.state = code === "00" ? "approved" : "declined";
    if (t.state !== "approved") return;
    if (t.kind === "void") {
      const sale = this.byStan[String(t.origStan)];
      if (sale !== undefined && sale.kind === "sale") sale.state = "voided";
    } else if (t.kind === "refund") {
      for (const s of this.txns) if (s.kind === "sale" && s.rrn === t.origRrn && s.rrn !== "") s.refunded_minor += t.amount_minor;
    }
  }
}

// Frames that do not parse are ignored (the terminal drops them).
/**
 * Replays `wire` through the model. `refundMax_minor`: the configured cap for a refund whose
 * original is unknown; `settledIndex`: whether the terminal keeps an index of settled sales
 * (else a sale is unknown to refunds once its batch is settled).
 */
export function runModel(wire: WireItem[], refundMax_minor: number, settledIndex: boolean): ModelResult {
  const m = new Model(refundMax_minor, settledIndex);
  for (const w of wire) {
    if (w.dir === "cut" || w.hex === undefined || w.torn === true) continue;
    const fr = parse(w.hex);
    if (fr === undefined) continue;
    if (w.dir === "tx") m.tx(fr);
    else m.rx(fr);
  }
  return { txns: m.txns, findings: m.findings, settlement_totals: m.totalsChecked };
}
