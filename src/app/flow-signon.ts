// Power-on and operator sign-on: the journal's recovery report, then operator number and
// password. Cashiers 01..99 (4 digits), supervisor 00 (6 digits); five wrong tries lock a
// cashier until the supervisor unlocks, and make the supervisor wait SUPERVISOR_WAIT_MS.
import type { TerminalApp } from "./app";
import { REV_PENDING, ST_PENDING } from "../journal/api";
import { pad } from "../txn/time";
import { checkStorage } from "./flow-fault";
import { S_BOOT, S_INPUT, ST_OPNO, ST_OPPW } from "./consts";
import { IN_CANCEL, IN_DONE, inputKey } from "./input";
import { MAX_TRIES, SUPERVISOR, passwordDigits, validOperator } from "./operators";

export const SUPERVISOR_WAIT_MS = 300000;

/** Power-on: the recovery report (a storage fault first); reversals armed before the cut are audited as "power lost". */
export function bootScreen(a: TerminalApp): void {
  a.scr = S_BOOT;
  a.op = "";
  a.keyAt = a.t;
  const revs = a.j.countPendingReversals();
  const open = a.j.countTxns(ST_PENDING);
  auditPowerLoss(a);
  a.trackReversals();
  a.bootText = "Batch " + pad(a.j.batch(), 6) + "|Journal " + a.j.fillPercent() + "% full|" + revs + " reversal(s) pending|" + open + " txn(s) without outcome";
  checkStorage(a);
}

/** A pending reversal never sent (attempts 0) and not yet in the audit trail was armed when power went. */
function auditPowerLoss(a: TerminalApp): void {
  const revs = a.j.pendingReversals();
  const trail = a.st.auditEntries();
  for (let i = 0; i < revs.length; i++) {
    const r = revs[i];
    if (r.state !== REV_PENDING) continue;
    let known = false;
    for (let k = 0; k < trail.length; k++) if (trail[k].kind === "reversal" && trail[k].batch === r.batch && trail[k].stan === r.stan) known = true;
    if (known) continue;
    const t = a.j.getTxn(r.batch, r.stan);
    a.audit("reversal", "power lost", r.batch, r.stan, t === undefined ? "" : t.rrn, t === undefined ? 0 : t.amount_minor, "queued");
  }
}

function askOperator(a: TerminalApp): void {
  a.input("SIGN ON", "Operator no. (00-99)", 2, 2, false, ST_OPNO);
}

/** Keys while nobody is signed on. */
export function signOnKey(a: TerminalApp, key: string): void {
  if (a.scr === S_BOOT) {
    if (key === "enter") askOperator(a);
    return;
  }
  if (a.scr !== S_INPUT) {
    if (key === "enter" || key === "cancel") askOperator(a);
    return;
  }
  const r = inputKey(a, key);
  if (r === IN_CANCEL) askOperator(a);
  if (r !== IN_DONE) return;
  if (a.step === ST_OPNO) operatorGiven(a, a.buf);
  else if (a.step === ST_OPPW) passwordGiven(a, a.buf);
}

function operatorGiven(a: TerminalApp, no: string): void {
  if (!validOperator(no)) return a.message("Operator numbers are 00-99. Enter to try again.", 0);
  if (a.ops.locked(no)) return a.message("Operator " + no + " is locked after " + MAX_TRIES + " wrong passwords. The supervisor (00) unlocks it: menu 9, 2.", 0);
  if (no === SUPERVISOR && a.t < a.supWaitUntil) return a.message("Too many wrong supervisor passwords: wait " + Math.ceil((a.supWaitUntil - a.t) / 60000) + " min.", 0);
  a.pendingNo = no;
  const n = passwordDigits(no);
  a.input("SIGN ON " + no, "Password (" + n + " digits)", n, n, true, ST_OPPW);
}

function passwordGiven(a: TerminalApp, pw: string): void {
  const no = a.pendingNo;
  a.buf = "";
  if (a.ops.check(no, pw)) {
    a.op = no;
    a.beep(30);
    a.idle();
    return;
  }
  a.beep(300);
  const tries = a.ops.tries(no);
  if (no === SUPERVISOR && tries >= MAX_TRIES) {
    a.supWaitUntil = a.t + SUPERVISOR_WAIT_MS;
    a.ops.unlock(no);
    return a.message("Wrong password " + MAX_TRIES + " times: supervisor sign-on waits 5 min.", 0);
  }
  if (a.ops.locked(no)) return a.message("Wrong password. Operator " + no + " is now locked: the supervisor (00) unlocks it, menu 9, 2.", 0);
  a.message("Wrong password (" + tries + " of " + MAX_TRIES + "). Enter to try again.", 0);
}
