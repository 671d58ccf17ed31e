// Storage damage at power-up: when the journal's recovery found a storage fault (records
// lost, data damaged, outcomes unknown), the app shows it in plain words with the next step
// before sign-on (only `enter` goes on) and writes it once to the audit trail. A clean
// power-up shows nothing here.
import type { TerminalApp } from "./app";
import { RecoveryReport, hasStorageFault } from "../journal/report";
import { errorText } from "../errors";
import { AUDIT_MAX_REASON } from "../journal/api";
import { S_BOOT, S_FAULT } from "./consts";

/** The journal's recovery report, when the journal keeps one (FlashJournal.report). */
function reportOf(a: TerminalApp): RecoveryReport | undefined {
  const r = (a.j as unknown as { report?: RecoveryReport }).report;
  return r === undefined ? undefined : r;
}

/** "2 record(s) lost, 1 outcome(s) unknown": what recovery found, in words. */
export function faultSummary(r: RecoveryReport): string {
  let s = r.records_lost > 0 ? r.records_lost + " record(s) lost" : "damaged data found";
  if (r.unknown_outcomes.length > 0) s = s + ", " + r.unknown_outcomes.length + " outcome(s) unknown";
  if (r.bad_sectors.length > 0) s = s + ", " + r.bad_sectors.length + " bad sector(s)";
  return s;
}

/** The audit reason: the first place damage was found ("sector S offset O: what", whole words), or the summary. */
function faultReason(r: RecoveryReport): string {
  if (r.corrupt.length === 0) return faultSummary(r);
  const more = r.corrupt.length > 1 ? " (+" + (r.corrupt.length - 1) + ")" : "";
  return wordCut(r.corrupt[0], AUDIT_MAX_REASON - more.length) + more;
}

/** `s` cut to at most `n` characters when it must be: before an unclosed "(", else at a space. */
function wordCut(s: string, n: number): string {
  if (s.length <= n) return s;
  let end = n;
  while (end > 0 && s.charAt(end) !== " ") end--;
  if (end === 0) end = n;
  let open = -1;
  for (let i = 0; i + 1 < end; i++) if (s.charAt(i) === " " && s.charAt(i + 1) === "(") open = i;
  if (open > 0 && s.indexOf(")", open) >= end) end = open;
  return s.substring(0, end);
}

/** At power-up: shows the storage fault screen and audits it, when the report shows a fault. */
export function checkStorage(a: TerminalApp): void {
  a.faultText = "";
  const r = reportOf(a);
  if (r === undefined || !hasStorageFault(r)) return;
  let text = faultSummary(r) + ". Settle with batch upload; call service if it repeats.";
  try {
    auditOnce(a, faultReason(r), faultSummary(r));
  } catch (e) {
    text = text + " Not audited: " + errorText(e);
  }
  a.faultText = text;
  a.scr = S_FAULT;
}

/** One audit record per fault: the same finding seen again at a later power-up is not written twice. */
function auditOnce(a: TerminalApp, reason: string, outcome: string): void {
  const e = a.auditEntry("storage", reason, a.j.batch(), 0, "", 0, outcome);
  const trail = a.st.auditEntries();
  for (let i = 0; i < trail.length; i++) {
    const t = trail[i];
    if (t.kind === e.kind && t.reason === e.reason && t.outcome === e.outcome && t.batch === e.batch) return;
  }
  a.st.appendAudit(e);
}

/** Keys on the fault screen: only `enter` goes on, to the power-on summary. */
export function faultKey(a: TerminalApp, key: string): void {
  if (key === "enter") a.scr = S_BOOT;
}
