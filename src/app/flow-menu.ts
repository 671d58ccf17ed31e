// Idle, the main menu (numbered as on UnionPay EDC terminals), the generic input, message,
// choice and list screens, and menus 4, 6-9: balance, reprint, settlement, transactions,
// admin (host sign-in, operators, settings, journal status).
import type { TerminalApp } from "./app";
import { OP_SETTLE, OP_SIGNIN, OpResult, Operation } from "../txn/types";
import { pad } from "../txn/time";
import {
  AUDIT_FULL_TEXT, F_BALANCE, F_SALE, F_SETTLE, F_SIGNIN, S_ADVICE, S_CHOICE, S_IDLE, S_INPUT, S_LIST, S_MENU, S_MSG,
  ST_ADMIN, ST_ADV_GO, ST_MAXAMOUNT, ST_NEWPW, ST_NEWPW2, ST_OPERATORS, ST_REPRINT_HOW, ST_REPRINT_TRACE, ST_SETTINGS,
  ST_SETTLE_CONFIRM, ST_UNLOCK_NO, ST_VOID_CONFIRM, emptyFlow,
} from "./consts";
import { IN_CANCEL, IN_DONE, choiceOf, inputKey } from "./input";
import { askAmount, askCard, failText } from "./flow-sale";
import { adviceGo, cancelStep, startAdvisor, startRefund, startVoid } from "./flow-cancel";
import { COPY_CUSTOMER, listReport, listRow, reportTotals, settlementReport, txnReceipt } from "./receipts";
import { SettledSale } from "./settled";
import { OPERATORS_FULL_TEXT, SUPERVISOR, passwordDigits, validOperator } from "./operators";
import { saveSettings } from "./settings";
import { money } from "./screen";
import { LIST_ROWS } from "./render";

export function menuKey(a: TerminalApp, key: string): void {
  const s = a.scr;
  if (s === S_IDLE) {
    if (key === "enter") a.menu();
  } else if (s === S_MENU) mainMenu(a, key);
  else if (s === S_MSG) {
    if (key === "enter" || key === "cancel") continueWith(a, a.msgStep, "");
  } else if (s === S_INPUT) {
    const r = inputKey(a, key);
    if (r === IN_CANCEL) a.menu();
    else if (r === IN_DONE) {
      const v = a.buf;
      a.buf = "";
      continueWith(a, a.step, v);
    }
  } else if (s === S_CHOICE) {
    const c = choiceOf(key, a.choices.length);
    if (key === "cancel") a.menu();
    else if (c > 0) continueWith(a, a.step, String(c));
  } else if (s === S_ADVICE) {
    if (key === "cancel") a.menu();
    else if (key === "enter" && a.step === ST_ADV_GO) adviceGo(a);
    else if (key === "enter") continueWith(a, a.step, "");
  } else if (s === S_LIST) listKey(a, key);
}

function mainMenu(a: TerminalApp, key: string): void {
  if (key === "cancel") return a.idle();
  if ((key === "1" || key === "2" || key === "3") && !a.auditHasRoom()) return a.message(AUDIT_FULL_TEXT, 0);
  if (key === "1") askAmount(a, F_SALE, a.settings.maxAmount_minor);
  else if (key === "2") startVoid(a);
  else if (key === "3") startRefund(a);
  else if (key === "4") {
    a.flow = emptyFlow(F_BALANCE);
    askCard(a);
  } else if (key === "5") startAdvisor(a);
  else if (key === "6") a.choice("REPRINT", ["Last receipt", "By trace no."], ST_REPRINT_HOW);
  else if (key === "7") askSettle(a);
  else if (key === "8") showList(a);
  else if (key === "9") admin(a);
}

function continueWith(a: TerminalApp, step: number, v: string): void {
  if (step === 0) return a.op === "" ? undefined : a.menu();
  if (cancelStep(a, step, v)) return;
  if (step === ST_REPRINT_HOW) {
    if (v === "1") return reprint(a, a.lastBatch, a.lastStan);
    return a.input("REPRINT", "Trace no.", 1, 6, false, ST_REPRINT_TRACE);
  }
  if (step === ST_REPRINT_TRACE) return reprint(a, a.j.batch(), parseInt(v, 10));
  if (step === ST_SETTLE_CONFIRM) return settle(a);
  adminStep(a, step, v);
}

function reprint(a: TerminalApp, batch: number, stan: number): void {
  const t = stan > 0 ? a.j.getTxn(batch, stan) : undefined;
  if (t === undefined) return a.message(stan > 0 ? "No transaction with trace " + pad(stan, 6) + " in this batch." : "No receipt printed yet.", 0);
  a.print("DUPLICATE", txnReceipt(a.cfg, t, a.op, COPY_CUSTOMER, true));
  a.message("Duplicate of trace " + pad(stan, 6) + " printed.", 0);
}

function askSettle(a: TerminalApp): void {
  const tot = reportTotals(a.j);
  a.title = "SETTLEMENT";
  a.list = ["Batch " + pad(a.j.batch(), 6), "Sales " + tot.sales + "  " + money(tot.sales_minor), "Voids " + tot.voids + "  " + money(tot.voids_minor), "Refunds " + tot.refunds + "  " + money(tot.refunds_minor)];
  a.listAt = 0;
  a.prompt = "enter: settle";
  a.step = ST_SETTLE_CONFIRM;
  a.scr = S_ADVICE;
}

function engineOp(a: TerminalApp, f: number, op: number): void {
  a.flow = emptyFlow(f);
  const o: Operation = { op: op, amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
  a.operate(o);
}

function settle(a: TerminalApp): void {
  engineOp(a, F_SETTLE, OP_SETTLE);
  a.settleTotals = reportTotals(a.j);
  a.settleBatch = a.j.batch();
}

/** Settlement answered: the report with the batch's cancellations; the audit trail may drop what it printed. */
export function settleResult(a: TerminalApp, r: OpResult): void {
  if (!r.ok) return a.message("Settlement not done: " + failText(r) + " Settle again.", 0);
  const trail = a.st.auditEntries();
  const mine = [];
  for (let i = 0; i < trail.length; i++) if (trail[i].batch === a.settleBatch) mine.push(trail[i]);
  a.print("SETTLEMENT", settlementReport(a.cfg, a.op, a.settleBatch, a.settleTotals, r.text, mine, a.st.auditDropped()));
  a.st.releaseAudit(trail.length);
  a.message("Batch " + pad(a.settleBatch, 6) + " settled. Report printed.", 0);
}

export function signInResult(a: TerminalApp, r: OpResult): void {
  const SIGNED = "signed in; ";
  const notes = r.text.indexOf(SIGNED) === 0 ? " " + r.text.substring(SIGNED.length) + "." : "";
  a.message(r.ok ? "Signed in with the acquirer. Batch " + pad(a.j.batch(), 6) + "." + notes : "Sign-in failed: " + failText(r) + " Try again (9, 1).", 0);
}

function showList(a: TerminalApp): void {
  a.title = "TXNS BATCH " + pad(a.j.batch(), 6);
  a.list = [];
  const n = a.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = a.j.txnAt(i, 0);
    if (t !== undefined) a.list.push(listRow(t));
  }
  a.listAt = 0;
  a.prompt = "up/down enter: print";
  a.scr = S_LIST;
}

function listKey(a: TerminalApp, key: string): void {
  if (key === "cancel") return a.menu();
  if (key === "down" && a.listAt + LIST_ROWS < a.list.length) a.listAt++;
  if (key === "up" && a.listAt > 0) a.listAt--;
  if (key === "enter") {
    a.print("LIST", listReport(a.cfg, a.op, a.j.batch(), a.list));
    a.menu();
  }
}

function admin(a: TerminalApp): void {
  a.choice("ADMIN", ["Host sign-in", "Operators", "Settings", "Journal status", "Sign off"], ST_ADMIN);
}

function needSupervisor(a: TerminalApp): boolean {
  if (a.op === SUPERVISOR) return false;
  a.message("Only the supervisor (00) may do this: sign off (9, 5), sign on as 00.", 0);
  return true;
}

function adminStep(a: TerminalApp, step: number, v: string): void {
  if (step === ST_ADMIN) {
    if (v === "1") return engineOp(a, F_SIGNIN, OP_SIGNIN);
    if (v === "2") return a.choice("OPERATORS", ["Change my password", "Unlock an operator"], ST_OPERATORS);
    if (v === "3") return needSupervisor(a) ? undefined : a.choice("SETTINGS", ["Early refund: " + (a.settings.refundBeforeSettlement ? "on" : "off"), "Max " + money(a.settings.maxAmount_minor)], ST_SETTINGS);
    if (v === "4") return a.message("Journal " + a.j.fillPercent() + "% full, batch " + pad(a.j.batch(), 6) + ", " + a.j.countTxns(0) + " txn(s), " + a.j.countPendingReversals() + " reversal(s) pending, " + a.st.auditEntries().length + " audit entries (" + a.st.auditDropped() + " dropped).", 0);
    if (v === "5") {
      a.op = "";
      a.input("SIGN ON", "Operator no. (00-99)", 2, 2, false, 1);
      return;
    }
    return;
  }
  if (step === ST_OPERATORS) {
    if (v === "1") return a.input("NEW PASSWORD", "New password (" + passwordDigits(a.op) + " digits)", passwordDigits(a.op), passwordDigits(a.op), true, ST_NEWPW);
    return needSupervisor(a) ? undefined : a.input("UNLOCK", "Operator no. to unlock", 2, 2, false, ST_UNLOCK_NO);
  }
  if (step === ST_NEWPW) {
    a.newPw = v;
    return a.input("NEW PASSWORD", "Same password again", v.length, v.length, true, ST_NEWPW2);
  }
  if (step === ST_NEWPW2) {
    const same = v === a.newPw;
    a.newPw = "";
    if (!same) return a.message("The two entries differ: password not changed.", 0);
    return a.message(a.ops.setPassword(a.op, v) ? "Password of operator " + a.op + " changed." : OPERATORS_FULL_TEXT, 0);
  }
  if (step === ST_UNLOCK_NO) {
    if (!validOperator(v)) return a.message("Operator numbers are 00-99.", 0);
    a.ops.unlock(v);
    return a.message("Operator " + v + " unlocked.", 0);
  }
  if (step === ST_SETTINGS) {
    if (v === "1") {
      a.settings.refundBeforeSettlement = !a.settings.refundBeforeSettlement;
      saveSettings(a.st, a.settings);
      return a.message("Refund before settlement is now " + (a.settings.refundBeforeSettlement ? "allowed." : "off: void instead."), 0);
    }
    return a.input("SETTINGS", "Largest amount, minor units (e.g. 1000000 = 10000.00)", 1, 9, false, ST_MAXAMOUNT);
  }
  if (step === ST_MAXAMOUNT) {
    const n = parseInt(v, 10);
    if (n < 1) return a.message("The largest amount must be above 0.00.", 0);
    a.settings.maxAmount_minor = n;
    saveSettings(a.st, a.settings);
    return a.message("Largest amount is now " + money(n) + ".", 0);
  }
  a.menu();
}

export { SettledSale, S_CHOICE, ST_VOID_CONFIRM };
