// Void, refund and "Can it be cancelled?" (menu 2, 3, 5). The advisor decides (advisor.ts);
// void needs the supervisor password and shows the original first; a refund is capped at
// what is left of a known original, or needs the supervisor and the configured maximum
// when the terminal does not know the original. Every result is an audit record.
import type { TerminalApp } from "./app";
import { OpResult } from "../txn/types";
import { pad } from "../txn/time";
import { Frame, money } from "./screen";
import { ACT_REFUND, ACT_VOID, Advice, Original, advise, findOriginal } from "./advisor";
import { SettledIndex } from "./settled";
import { SUPERVISOR } from "./operators";
import { kindWord } from "./receipts";
import {
  AUDIT_FULL_TEXT, F_REFUND, F_VOID, S_ADVICE, ST_ADV_GO, ST_ADV_HOW, ST_ADV_RRN, ST_ADV_TRACE, ST_REASON, ST_REFUND_DATE, ST_REFUND_PW, ST_REFUND_RRN,
  ST_VOID_CONFIRM, ST_VOID_PW, ST_VOID_TRACE, emptyFlow,
} from "./consts";
import { askAmount, askCard, failText, printCopies, send } from "./flow-sale";
import { SCREEN_ROWS } from "./types";

export const REASONS = ["Customer request", "Wrong amount", "Duplicate", "Goods returned", "Other"];

export function startVoid(a: TerminalApp): void {
  a.flow = emptyFlow(F_VOID);
  a.input("VOID", "Trace no. of the sale", 1, 6, false, ST_VOID_TRACE);
}

export function startRefund(a: TerminalApp): void {
  a.flow = emptyFlow(F_REFUND);
  a.input("REFUND", "Original RRN (12 digits)", 12, 12, false, ST_REFUND_RRN);
}

export function startAdvisor(a: TerminalApp): void {
  a.choice("CAN IT BE CANCELLED?", ["By trace no.", "By RRN", "Last transaction"], ST_ADV_HOW);
}

function lookup(a: TerminalApp, how: string, key: string): Original | undefined {
  return findOriginal(a.j, new SettledIndex(a.st), how, key);
}

/** Rows describing `o` and its advice. */
function adviceRows(o: Original, adv: Advice): string[] {
  const f = new Frame();
  f.row("T" + pad(o.stan, 6) + " " + kindWord(o.kind) + " " + money(o.amount_minor));
  if (o.panMasked.length > 0) f.row(o.panMasked);
  f.wrap(adv.state);
  f.wrap("Can: " + adv.action + (adv.action === ACT_REFUND ? " up to " + money(adv.refundable_minor) : ""));
  f.wrap(adv.reason);
  return f.rows;
}

function showAdvice(a: TerminalApp, o: Original): void {
  const adv = advise(o);
  a.title = "CAN IT BE CANCELLED?";
  a.list = adviceRows(o, adv);
  while (a.list.length > SCREEN_ROWS - 2) a.list.pop();
  a.listAt = 0;
  a.prompt = adv.action === ACT_VOID ? "enter: void it" : adv.action === ACT_REFUND ? "enter: refund it" : "enter/cancel: back";
  a.step = ST_ADV_GO;
  a.flow = emptyFlow(adv.action === ACT_VOID ? F_VOID : adv.action === ACT_REFUND ? F_REFUND : 0);
  a.flow.origStan = o.stan;
  a.flow.origRrn = o.rrn;
  a.flow.origDate = o.date;
  a.flow.amount_minor = adv.action === ACT_VOID ? o.amount_minor : 0;
  a.flow.max_minor = adv.refundable_minor;
  a.scr = S_ADVICE;
}

function askSupervisor(a: TerminalApp, why: string, step: number): void {
  a.input(a.flow.f === F_VOID ? "VOID" : "REFUND", why, 6, 6, true, step);
}

/** The advice screen's enter: start the action at once. */
export function adviceGo(a: TerminalApp): void {
  if ((a.flow.f === F_VOID || a.flow.f === F_REFUND) && !a.auditHasRoom()) return a.message(AUDIT_FULL_TEXT, 0);
  if (a.flow.f === F_VOID) return askSupervisor(a, "Supervisor password to void trace " + pad(a.flow.origStan, 6), ST_VOID_PW);
  if (a.flow.f === F_REFUND) return askAmount(a, F_REFUND, capped(a, a.flow.max_minor));
  a.menu();
}

function capped(a: TerminalApp, max_minor: number): number {
  return max_minor > a.settings.maxAmount_minor ? a.settings.maxAmount_minor : max_minor;
}

function validDate(d: string): boolean {
  const m = parseInt(d.substring(0, 2), 10);
  const day = parseInt(d.substring(2, 4), 10);
  return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/** A finished input or choice of these flows; false when `step` is not theirs. */
export function cancelStep(a: TerminalApp, step: number, v: string): boolean {
  if (step === ST_VOID_TRACE) voidTrace(a, v);
  else if (step === ST_VOID_CONFIRM) askSupervisor(a, "Supervisor password", ST_VOID_PW);
  else if (step === ST_VOID_PW || step === ST_REFUND_PW) supervisorGiven(a, step, v);
  else if (step === ST_REASON) {
    a.flow.reason = REASONS[parseInt(v, 10) - 1];
    if (a.flow.f === F_VOID) send(a);
    else askCard(a);
  } else if (step === ST_REFUND_RRN) {
    a.flow.origRrn = v;
    a.input("REFUND", "Original date (MMDD)", 4, 4, false, ST_REFUND_DATE);
  } else if (step === ST_REFUND_DATE) refundDate(a, v);
  else if (step === ST_ADV_HOW) {
    if (v === "1") a.input("CAN IT BE CANCELLED?", "Trace no.", 1, 6, false, ST_ADV_TRACE);
    else if (v === "2") a.input("CAN IT BE CANCELLED?", "RRN (12 digits)", 12, 12, false, ST_ADV_RRN);
    else adviceFor(a, "last", "");
  } else if (step === ST_ADV_TRACE) adviceFor(a, "trace", v);
  else if (step === ST_ADV_RRN) adviceFor(a, "rrn", v);
  else return false;
  return true;
}

function adviceFor(a: TerminalApp, how: string, key: string): void {
  const o = lookup(a, how, key);
  if (o === undefined) return a.message(how === "last" ? "No transaction yet in this batch." : "No transaction with " + (how === "trace" ? "trace " + pad(parseInt(key, 10), 6) : "RRN " + key) + " on this terminal.", 0);
  showAdvice(a, o);
}

function voidTrace(a: TerminalApp, v: string): void {
  const stan = parseInt(v, 10);
  const t = a.j.getTxn(a.j.batch(), stan);
  if (t === undefined) return a.message("No sale with trace " + pad(stan, 6) + " in this batch. Check the receipt.", 0);
  const o = lookup(a, "trace", v) as Original;
  const adv = advise(o);
  if (adv.action !== ACT_VOID) return a.message("Trace " + pad(stan, 6) + " cannot be voided: " + adv.state + ". Can: " + adv.action + " - " + adv.reason + ".", 0);
  a.flow.origStan = stan;
  a.flow.amount_minor = t.amount_minor;
  a.title = "VOID - CHECK";
  a.list = ["Trace " + pad(stan, 6), kindWord(t.kind) + " " + money(t.amount_minor), t.panMasked, "RRN " + t.rrn];
  a.listAt = 0;
  a.prompt = "enter: void it";
  a.step = ST_VOID_CONFIRM;
  a.scr = S_ADVICE;
}

function supervisorGiven(a: TerminalApp, step: number, pw: string): void {
  if (!a.ops.check(SUPERVISOR, pw)) return a.message("Wrong supervisor password. Nothing was cancelled.", 0);
  if (step === ST_REFUND_PW) {
    a.flow.sup = true;
    return askAmount(a, F_REFUND, capped(a, a.cfg.refundMax_minor));
  }
  a.choice("REASON", REASONS, ST_REASON);
}

function refundDate(a: TerminalApp, d: string): void {
  if (!validDate(d)) return a.message("The date is MMDD, e.g. 0131. Nothing was sent.", 0);
  a.flow.origDate = d;
  const o = lookup(a, "rrn", a.flow.origRrn);
  if (o === undefined) {
    return askSupervisor(a, "Original not on this terminal: supervisor password (max " + money(capped(a, a.cfg.refundMax_minor)) + ")", ST_REFUND_PW);
  }
  const adv = advise(o);
  if (!o.settled && !a.settings.refundBeforeSettlement) return a.message("Refunds before settlement are off: void trace " + pad(o.stan, 6) + " instead (menu 2).", 0);
  if (adv.action !== ACT_REFUND && adv.action !== ACT_VOID) return a.message("RRN " + o.rrn + " cannot be refunded: " + adv.state + " - " + adv.reason + ".", 0);
  const left = o.amount_minor - o.refunded_minor - o.openRefund_minor;
  askAmount(a, F_REFUND, capped(a, left));
}

/** Refund amount entered: the reason next. */
export function refundAmountGiven(a: TerminalApp): void {
  a.choice("REASON", REASONS, ST_REASON);
}

/** A void's or refund's result: audit record, receipts (the engine keeps the settled index). */
export function voidOrRefundResult(a: TerminalApp, r: OpResult): void {
  const f = a.flow;
  const isVoid = f.f === F_VOID;
  const outcome = r.ok ? "approved" : r.code.length > 0 ? "declined " + r.code : r.text;
  a.audit(isVoid ? "void" : "refund", f.reason === "" ? "other" : f.reason, a.j.batch(), isVoid ? f.origStan : r.stan, isVoid ? "" : f.origRrn, r.ok ? r.amount_minor : f.amount_minor, outcome);
  if (!r.ok) return a.message((isVoid ? "Void" : "Refund") + " not done: " + failText(r), 0);
  a.status = "APPROVED  auth " + r.authCode;
  printCopies(a, a.j.batch(), r.stan);
}
