// Financial requests of the acquirer simulator: sale, void, refund, balance inquiry,
// reversal, settlement and batch upload. Each handler decides, moves money through the
// Ledger (at most once per request) and answers through AcquirerCore.reply.
import { IsoFields, parseField60, parseField61 } from "../../src/iso8583/index";
import { PROC, RC, TOTALS_FLAG, buildBalance54, buildTotals48, digitsValue, parseTotals48, totalsEqual } from "../../src/acquirer/protocol";
import { Answer, Desk, ReconcileMode, Req } from "./types";
import { hostTime } from "./wire";
import { pinVerdict } from "../../src/app/pin";
import { cardByPan } from "../../src/app/cards";
import { AccountState, MAX_ORPHAN_REVERSALS, SettlementRecord, TxnKind, TxnRecord, factsOf, txnKey } from "./ledger";
import { REFUND_ABOVE_LEFT, REFUND_BAD_AMOUNT, REFUND_NOT_APPROVED, REFUND_OK, VOID_ALREADY_VOIDED, VOID_AMOUNT, VOID_HAS_REFUNDS, VOID_NOT_APPROVED, VOID_NOT_A_SALE, VOID_OK, VOID_SETTLED, refundVerdict, voidVerdict } from "../../src/money/rules";

const TYPE_SALE = "22";
const TYPE_VOID = "23";
const TYPE_REFUND = "25";
const TYPE_BALANCE = "01";
const NET_BATCH_END = "202";

interface Card {
  pan: string;
  /** YYMM, or "" when the request carries none. */
  expiry: string;
}

export class FinancialHandlers {
  constructor(private core: Desk) {}

  /** The PIN block (field 52) of a test card checked against its TEST PIN; "00" without one. */
  private pinCheck(req: Req, pan: string): string {
    const block = req.msg.fields["52"];
    const card = cardByPan(pan);
    if (block === undefined || card === undefined || req.term === undefined) return RC.approved;
    const tries = this.core.book.pinWrong;
    const v = pinVerdict(req.term.pik, block, pan, card.pin, tries.get(pan) ?? 0);
    tries.set(pan, v.wrong);
    return v.rc;
  }

  route(req: Req): Answer {
    const mti = req.msg.mti;
    const proc = req.msg.fields["3"] ?? "";
    const type = req.msg.fields["60"] === undefined ? "" : parseField60(req.msg.fields["60"]).typeCode;
    if (mti === "0200" && proc === PROC.sale && type === TYPE_SALE) return this.sale(req);
    if (mti === "0200" && proc === PROC.voidOrRefund && type === TYPE_VOID) return this.voidSale(req);
    if (mti === "0200" && proc === PROC.balance && type === TYPE_BALANCE) return this.balance(req);
    if (mti === "0220" && proc === PROC.voidOrRefund && type === TYPE_REFUND) return this.refund(req);
    if (mti === "0400") return this.reversal(req);
    if (mti === "0500") return this.settlement(req);
    if (mti === "0320") return this.upload(req);
    return this.core.reply(req, RC.invalidTransaction, {}, true, "unsupported " + mti + " proc " + proc + " type " + type);
  }

  private missing(req: Req, fields: string[]): string {
    for (const f of fields) if (req.msg.fields[f] === undefined) return f;
    return "";
  }

  private batchOf(req: Req): string {
    return parseField60(req.msg.fields["60"] as string).batch;
  }

  /** A duplicate: the same terminal, batch and trace number seen before (or reversed before it arrived). */
  private duplicate(req: Req): boolean {
    const batch = this.batchOf(req);
    const stan = req.msg.fields["11"] as string;
    return this.core.book.byRequest(req.tid, batch, stan) !== undefined || this.core.book.orphanReversals.has(txnKey(req.tid, batch, stan));
  }

  private newTxn(req: Req, kind: TxnKind, pan: string, amount_minor: number, rc: string, orig_id: number): TxnRecord {
    const approved = rc === RC.approved;
    return {
      id: this.core.book.txns.length, kind, tid: req.tid, mid: req.mid, batch: this.batchOf(req),
      stan: req.msg.fields["11"] as string, pan, amount_minor, rrn: this.core.nextRrn(),
      auth: approved ? this.core.nextAuth() : "", rc, date: hostTime(req.now_ms).mmdd, at_ms: req.now_ms,
      approved, reversed: false, voided: false, refunded_minor: 0, orig_id,
    };
  }

  /** Answers a recorded transaction: RRN, auth code when approved, settlement date. */
  private answer(req: Req, t: TxnRecord, extra: IsoFields, note: string): Answer {
    const fields: IsoFields = { "15": t.date, "37": t.rrn };
    if (t.approved) fields["38"] = t.auth;
    if (t.approved) for (const k of Object.keys(this.core.approvalFields)) fields[k] = this.core.approvalFields[k];
    for (const k of Object.keys(extra)) fields[k] = extra[k];
    return this.core.reply(req, t.rc, fields, true, note);
  }

  private sale(req: Req): Answer {
    const miss = this.missing(req, ["4", "11", "60"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "sale without field " + miss);
    if (this.duplicate(req)) return this.core.reply(req, RC.duplicate, {}, true, "duplicate sale");
    if (this.core.book.full()) return this.core.reply(req, RC.systemMalfunction, {}, true, "ledger full");
    const amount = digitsValue(req.msg.fields["4"] as string, 0, 12, "field 4");
    const card = cardOf(req);
    const acct = card === undefined ? undefined : this.core.book.account(card.pan);
    if (card === undefined || acct === undefined) return this.core.reply(req, RC.invalidCard, {}, true, "no valid card");
    const magic = this.core.magic(amount);
    let rc = cardCheck(acct, card, req.now_ms);
    if (rc === RC.approved) rc = this.pinCheck(req, card.pan);
    if (rc === RC.approved && magic !== undefined && magic.effect === "reply") rc = magic.rc;
    if (rc === RC.approved && amount === 0) rc = RC.invalidAmount;
    if (rc === RC.approved && acct.balance_minor < amount) rc = RC.insufficientFunds;
    const t = this.newTxn(req, "sale", acct.pan, amount, rc, -1);
    this.core.book.record(t);
    const a = this.answer(req, t, {}, "sale " + amount + " " + rc);
    if (t.approved && magic !== undefined && magic.effect !== "reply") a.effect = magic.effect;
    return a;
  }

  private voidSale(req: Req): Answer {
    const miss = this.missing(req, ["4", "11", "60", "61"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "void without field " + miss);
    if (this.duplicate(req)) return this.core.reply(req, RC.duplicate, {}, true, "duplicate void");
    const f61 = parseField61(req.msg.fields["61"] as string);
    const orig = this.core.book.byRequest(req.tid, f61.batch, f61.trace);
    const amount = digitsValue(req.msg.fields["4"] as string, 0, 12, "field 4");
    const card = cardOf(req);
    let rc: string = orig === undefined ? RC.unableToLocate : VOID_RC[voidVerdict(factsOf(orig, this.batchClosed(req.tid, orig.batch)), amount)];
    if (rc === RC.approved && orig !== undefined && card !== undefined && card.pan !== orig.pan) rc = RC.invalidCard;
    const t = this.newTxn(req, "void", orig === undefined ? "" : orig.pan, amount, rc, orig === undefined ? -1 : orig.id);
    if (orig !== undefined) this.core.book.record(t);
    return this.answer(req, t, {}, "void of " + f61.batch + "/" + f61.trace + " " + rc);
  }

  private refund(req: Req): Answer {
    const miss = this.missing(req, ["4", "11", "37", "60"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "refund without field " + miss);
    const orig = this.core.book.byReference(req.msg.fields["37"] as string);
    const amount = digitsValue(req.msg.fields["4"] as string, 0, 12, "field 4");
    const first = this.sameRefund(req, orig, amount);
    if (first !== undefined) return this.answer(req, first, {}, "repeated refund " + first.stan + " answered as first (" + first.rc + ")");
    if (this.duplicate(req)) return this.core.reply(req, RC.duplicate, {}, true, "duplicate refund");
    const card = cardOf(req);
    let rc: string = orig === undefined || orig.mid !== req.mid ? RC.unableToLocate : refundCode(orig, amount);
    if (rc === RC.approved && orig !== undefined && card !== undefined && card.pan !== orig.pan) rc = RC.invalidCard;
    const t = this.newTxn(req, "refund", orig === undefined ? "" : orig.pan, amount, rc, orig === undefined ? -1 : orig.id);
    if (orig !== undefined) this.core.book.record(t);
    return this.answer(req, t, {}, "refund " + amount + " of RRN " + req.msg.fields["37"] + " " + rc);
  }

  /**
   * A terminal repeats an unanswered refund (0220) with the same trace number: the booked first
   * answer is given again (same RRN, auth code, 39) and no money moves twice. A different
   * refund under a used trace number stays a duplicate (94).
   */
  private sameRefund(req: Req, orig: TxnRecord | undefined, amount_minor: number): TxnRecord | undefined {
    const prior = this.core.book.byRequest(req.tid, this.batchOf(req), req.msg.fields["11"] as string);
    if (prior === undefined || prior.kind !== "refund" || orig === undefined) return undefined;
    return prior.orig_id === orig.id && prior.amount_minor === amount_minor ? prior : undefined;
  }

  private balance(req: Req): Answer {
    const card = cardOf(req);
    const acct = card === undefined ? undefined : this.core.book.account(card.pan);
    if (card === undefined || acct === undefined) return this.core.reply(req, RC.invalidCard, {}, true, "no valid card");
    let rc = cardCheck(acct, card, req.now_ms);
    if (rc === RC.approved) rc = this.pinCheck(req, card.pan);
    const extra: IsoFields = { "37": this.core.nextRrn() };
    if (rc === RC.approved) extra["54"] = buildBalance54(acct.balance_minor, this.core.currency);
    return this.core.reply(req, rc, extra, true, "balance " + rc);
  }

  /**
   * 0400: undoes the original at most once. It must name the original by terminal, batch and
   * STAN and agree with it on kind, amount (4) and card (2 or 35): a mismatch is 25 and moves
   * no money. Unknown → 25 (remembered, so a late original is refused), already reversed → 00.
   */
  private reversal(req: Req): Answer {
    const miss = this.missing(req, ["3", "4", "11", "60"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "reversal without field " + miss);
    const batch = this.batchOf(req);
    const stan = req.msg.fields["11"] as string;
    const orig = this.core.book.byRequest(req.tid, batch, stan);
    if (orig === undefined) {
      const book = this.core.book;
      if (book.orphanReversals.size < MAX_ORPHAN_REVERSALS) book.orphanReversals.add(txnKey(req.tid, batch, stan));
      return this.core.reply(req, RC.unableToLocate, {}, true, "reversal of unknown " + batch + "/" + stan);
    }
    const differs = this.reversalMismatch(req, orig);
    if (differs !== "") return this.core.reply(req, RC.unableToLocate, {}, true, "reversal of " + batch + "/" + stan + " does not match the original (" + differs + "), nothing moved");
    const again = orig.reversed;
    this.core.book.reverse(orig);
    return this.core.reply(req, RC.approved, { "37": orig.rrn }, true, (again ? "repeated " : "") + "reversal of " + orig.kind + " " + stan);
  }

  /** What of kind, amount and card differs between a reversal and its original ("" when nothing). */
  private reversalMismatch(req: Req, orig: TxnRecord): string {
    const kind = kindOf(req.msg.fields["3"] as string, parseField60(req.msg.fields["60"] as string).typeCode);
    if (orig.kind !== kind) return "kind";
    if (digitsValue(req.msg.fields["4"] as string, 0, 12, "field 4") !== orig.amount_minor) return "amount";
    const card = cardOf(req);
    if (card === undefined || card.pan !== orig.pan) return "card";
    return "";
  }

  private batchClosed(tid: string, batch: string): boolean {
    return this.core.book.settlements.some((s) => s.tid === tid && s.batch === batch && s.closed);
  }

  /**
   * 0500: compares field 48 with the acquirer's totals; the answer (00 and the batch closes, or
   * 95 and the terminal uploads the batch) follows the reconcile mode (types.ts ReconcileMode).
   */
  private settlement(req: Req): Answer {
    const miss = this.missing(req, ["11", "48", "60"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "settlement without field " + miss);
    const batch = this.batchOf(req);
    const theirs = parseTotals48(req.msg.fields["48"] as string).totals;
    const ours = this.core.book.totals(req.tid, batch);
    const balanced = totalsEqual(theirs, ours);
    let s = this.core.book.settlements.find((x) => x.tid === req.tid && x.batch === batch);
    if (s === undefined) {
      s = { tid: req.tid, batch, terminal: theirs, acquirer: ours, balanced, uploads: 0, unknown_uploads: 0, closed: false };
      this.core.book.settlements.push(s);
    } else if (!s.closed) {
      s.terminal = theirs;
      s.acquirer = ours;
      s.balanced = balanced;
    }
    const agree = answerBalanced(this.core.reconcile, s);
    if (agree && !s.closed) this.closeBatch(req.tid, batch);
    const flag = agree ? TOTALS_FLAG.balanced : TOTALS_FLAG.unbalanced;
    const how = (agree ? " balanced" : " unbalanced") + (agree === s.balanced ? "" : " (reconcile " + this.core.reconcile + ")");
    return this.core.reply(req, agree ? RC.approved : RC.reconcileError, { "48": buildTotals48(s.acquirer, flag) }, true, "settlement " + batch + how);
  }

  private closeBatch(tid: string, batch: string): void {
    const s = this.core.book.settlements.find((x) => x.tid === tid && x.batch === batch);
    if (s !== undefined) s.closed = true;
    const term = this.core.terminals.get(tid);
    if (term !== undefined && term.batch === batch) term.batch = String((digitsValue(batch, 0, 6, "batch") + 1) % 1000000).padStart(6, "0");
  }

  /** 0320: one uploaded transaction (checked against the books), or batch end (60.3 = 202) which closes the batch. */
  private upload(req: Req): Answer {
    const miss = this.missing(req, ["11", "60"]);
    if (miss !== "") return this.core.reply(req, RC.formatError, {}, true, "batch upload without field " + miss);
    const f60 = parseField60(req.msg.fields["60"] as string);
    let s = this.core.book.settlements.find((x) => x.tid === req.tid && x.batch === f60.batch);
    if (s === undefined) {
      const zero = { debit_count: 0, debit_minor: 0, credit_count: 0, credit_minor: 0 };
      s = { tid: req.tid, batch: f60.batch, terminal: zero, acquirer: this.core.book.totals(req.tid, f60.batch), balanced: false, uploads: 0, unknown_uploads: 0, closed: false };
      this.core.book.settlements.push(s);
    }
    if (f60.netCode === NET_BATCH_END) {
      if (!s.closed) {
        s.batch_ends = (s.batch_ends ?? 0) + 1;
        // after the upload: the terminal's totals (48 of the batch end) against the books once more
        s.acquirer = this.core.book.totals(req.tid, f60.batch);
        if (req.msg.fields["48"] !== undefined) s.terminal = parseTotals48(req.msg.fields["48"]).totals;
        s.balanced = totalsEqual(s.terminal, s.acquirer);
        this.closeBatch(req.tid, f60.batch);
      }
      return this.core.reply(req, RC.approved, {}, true, "batch end " + f60.batch + " after " + s.uploads + " uploads" + (s.balanced ? ", totals agree" : ", totals differ"));
    }
    s.uploads++;
    if (!this.uploadKnown(req)) s.unknown_uploads++;
    return this.core.reply(req, RC.approved, {}, true, "batch upload item " + s.uploads);
  }

  /** True when an upload item names a live transaction with the same amount (by 61 batch/trace, or 37). */
  private uploadKnown(req: Req): boolean {
    const f = req.msg.fields;
    let orig: TxnRecord | undefined = undefined;
    if (f["61"] !== undefined) {
      const f61 = parseField61(f["61"]);
      orig = this.core.book.byRequest(req.tid, f61.batch, f61.trace);
    } else if (f["37"] !== undefined) orig = this.core.book.byReference(f["37"]);
    if (orig === undefined || !orig.approved || orig.reversed || orig.voided) return false;
    return f["4"] === undefined || digitsValue(f["4"], 0, 12, "field 4") === orig.amount_minor;
  }
}

/** Whether a 0500 of the batch `s` (totals compared into s.balanced) is answered balanced under `mode`. */
export function answerBalanced(mode: ReconcileMode, s: SettlementRecord): boolean {
  if (mode === "never") return true;
  if (mode === "always") return false;
  if (mode === "unbalanced-once") return s.closed && s.balanced;
  return s.balanced;
}

/** The reply code of each void verdict of src/money/rules. */
const VOID_RC: { [verdict: number]: string } = {
  [VOID_OK]: RC.approved, [VOID_NOT_A_SALE]: RC.unableToLocate, [VOID_NOT_APPROVED]: RC.unableToLocate, [VOID_ALREADY_VOIDED]: RC.invalidTransaction,
  [VOID_SETTLED]: RC.invalidTransaction, [VOID_HAS_REFUNDS]: RC.originalAmountIncorrect, [VOID_AMOUNT]: RC.originalAmountIncorrect,
};

/**
 * A refund of `amount_minor` against a known original, by src/money/rules (the acquirer knows every
 * outcome: nothing in flight): 25 when the original is not an approved sale and never was, 12
 * when it was voided or reversed, 13 for an amount of 0 or above what is left.
 */
function refundCode(orig: TxnRecord, amount_minor: number): string {
  const v = refundVerdict(factsOf(orig, false), amount_minor, 0);
  if (v === REFUND_OK) return RC.approved;
  if (v === REFUND_NOT_APPROVED) return orig.kind !== "sale" || !orig.approved ? RC.unableToLocate : RC.invalidTransaction;
  if (v === REFUND_BAD_AMOUNT || v === REFUND_ABOVE_LEFT) return RC.invalidAmount;
  return RC.systemMalfunction;
}

/** The kind of transaction a reversal copies, from its processing code and 60.1. */
function kindOf(proc: string, type: string): TxnKind | "" {
  if (proc === PROC.sale && type === TYPE_SALE) return "sale";
  if (proc === PROC.voidOrRefund && type === TYPE_VOID) return "void";
  if (proc === PROC.voidOrRefund && type === TYPE_REFUND) return "refund";
  return "";
}

/** PAN and expiry from field 2 (+14) or track 2 (field 35). */
function cardOf(req: Req): Card | undefined {
  const f = req.msg.fields;
  if (f["2"] !== undefined) return { pan: f["2"], expiry: f["14"] ?? "" };
  const t2 = f["35"];
  if (t2 === undefined) return undefined;
  const sep = t2.indexOf("D") >= 0 ? t2.indexOf("D") : t2.indexOf("=");
  if (sep < 12) return undefined;
  return { pan: t2.substring(0, sep), expiry: t2.substring(sep + 1, sep + 5) };
}

/** The test card's fixed code, 54 when the card or account has expired, else 00. */
function cardCheck(acct: AccountState, card: Card, now_ms: number): string {
  if (acct.rc !== "") return acct.rc;
  const now = hostTime(now_ms).yymm;
  if (acct.expiry < now || (card.expiry.length === 4 && card.expiry < now)) return RC.expiredCard;
  return RC.approved;
}
