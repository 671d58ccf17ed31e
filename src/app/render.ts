// What each screen shows: the display rows of the app's current state.
import type { TerminalApp } from "./app";
import { Frame, both, centre, money } from "./screen";
import { gbkShown } from "../text/gbk";
import { civilFromDays, localTime, pad } from "../txn/time";
import { currencyName } from "../txn/receipt";
import {
  F_BALANCE, F_REFUND, F_SALE, F_VOID, S_ADVICE, S_AMOUNT, S_BOOT, S_CARD, S_CHOICE, S_FAULT, S_IDLE, S_INPUT, S_LIST, S_MENU, S_MSG, S_PAPER, S_PIN, S_REMOVE, S_TEAR, S_WAIT,
} from "./consts";

/** Rows the list screen shows at once (title and key hint take the others). */
export const LIST_ROWS = 6;

/** "2026-01-01 12:00" of wall time `t`. */
export function dateTime(t: number): string {
  const ymd = civilFromDays(Math.floor(t / 86400000));
  const lt = localTime(t);
  return pad(ymd[0], 4) + "-" + lt.substring(0, 2) + "-" + lt.substring(2, 4) + " " + lt.substring(4, 6) + ":" + lt.substring(6, 8);
}

export function flowTitle(a: TerminalApp): string {
  const f = a.flow.f;
  return f === F_VOID ? "VOID" : f === F_REFUND ? "REFUND" : f === F_BALANCE ? "BALANCE" : "SALE";
}

function amountRow(a: TerminalApp, amount_minor: number): string {
  return both(currencyName(a.cfg.currency), money(amount_minor));
}

function masked(a: TerminalApp): string {
  let s = "";
  for (let i = 0; i < a.buf.length; i++) s = s + (a.mask ? "*" : a.buf.charAt(i));
  return s;
}

function idle(a: TerminalApp, f: Frame): string[] {
  f.row(a.cfg.merchantName).row(dateTime(a.t)).row(both("Batch " + pad(a.j.batch(), 6), "Op " + a.op));
  const fill = a.j.fillPercent();
  f.row("Journal " + fill + "%" + (a.j.nearlyFull() ? " - settle soon" : ""));
  const revs = a.j.countPendingReversals();
  if (revs > 0) f.row(revs + " reversal(s) pending");
  if (!a.sm.hasWorkingKeys()) f.row("Sign in needed: 9, 1");
  if (!a.auditHasRoom() || a.auditMissed > 0) f.row("Audit full: settle 7");
  return f.done("enter: menu");
}

function menu(f: Frame): string[] {
  f.row("MAIN MENU").row("1 Sale     6 Reprint").row("2 Void     7 Settle").row("3 Refund   8 Txn list").row("4 Balance  9 Admin").row("5 Can it be cancelled?");
  return f.done("cancel: back");
}

function choice(a: TerminalApp, f: Frame): string[] {
  f.row(a.title);
  for (let i = 0; i < a.choices.length; i++) f.row((i + 1) + " " + a.choices[i]);
  return f.done("cancel: back");
}

function list(a: TerminalApp, f: Frame): string[] {
  f.row(a.title);
  for (let i = a.listAt; i < a.list.length && i < a.listAt + LIST_ROWS; i++) f.row(a.list[i]);
  if (a.list.length === 0) f.row("(none)");
  return f.done(a.prompt);
}

function issuerRows(f: Frame, issuer: string): void {
  const d = gbkShown(issuer);
  f.row("Issuer " + d.text);
  if (d.hidden) f.row("(Chinese not shown)");
}

function flowScreen(a: TerminalApp, f: Frame): string[] {
  f.row(flowTitle(a));
  if (a.scr === S_AMOUNT) {
    f.row("Amount").row(amountRow(a, a.buf.length > 0 ? parseInt(a.buf, 10) : 0));
    if (a.flow.max_minor > 0 && a.flow.f === F_REFUND) f.row("max " + money(a.flow.max_minor));
    if (a.status.length > 0) f.wrap(a.status);
    return f.done("enter OK  cancel");
  }
  if (a.flow.f !== F_BALANCE && a.flow.amount_minor > 0) f.row(amountRow(a, a.flow.amount_minor));
  if (a.scr === S_CARD) {
    f.row(a.flow.f === F_SALE || a.flow.f === F_BALANCE ? "Swipe, insert or tap" : "Swipe or insert card");
    if (a.status.length > 0) f.wrap(a.status);
    return f.done("cancel: stop");
  }
  if (a.scr === S_PIN) {
    f.row("Enter PIN").row(centre(masked(a)));
    if (a.status.length > 0) f.wrap(a.status);
    return f.done("enter OK  cancel");
  }
  if (a.scr === S_TEAR) {
    f.row(a.status);
    if (a.issuer.length > 0) issuerRows(f, a.issuer);
    return f.row("Tear off the").row("merchant copy").done("enter: customer copy");
  }
  if (a.scr === S_REMOVE) return f.row("").row(centre("Please remove card")).done("");
  f.row("Processing...");
  if (a.status.length > 0) f.wrap(a.status);
  if (a.flow.inserted) f.row("Do not remove card");
  return f.done("");
}

/** The rows of the current screen. */
export function renderScreen(a: TerminalApp): string[] {
  const f = new Frame();
  const s = a.scr;
  if (s === S_BOOT) {
    f.row("POSRT  POWER ON");
    const parts = a.bootText.split("|");
    for (let i = 0; i < parts.length; i++) f.row(parts[i]);
    return f.done("enter: sign on");
  }
  if (s === S_FAULT) return f.row("STORAGE FAULT").wrap(a.faultText).done("enter: go on");
  if (s === S_INPUT) return f.row(a.title).row("").wrap(a.prompt).row(masked(a)).done("enter OK  cancel");
  if (s === S_IDLE) return idle(a, f);
  if (s === S_MENU) return menu(f);
  if (s === S_MSG) return f.wrap(a.msg).done("enter: continue");
  if (s === S_PAPER) return f.row("PAPER OUT").wrap("Load paper, then press enter: the receipt goes on.").done("enter: resume");
  if (s === S_CHOICE) return choice(a, f);
  if (s === S_ADVICE || s === S_LIST) return list(a, f);
  if (s === S_AMOUNT || s === S_CARD || s === S_PIN || s === S_WAIT || s === S_TEAR || s === S_REMOVE) return flowScreen(a, f);
  return f.done("");
}
