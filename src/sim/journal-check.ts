// After a power cut: recover the journal and check it against the workload's model.
// Every acknowledged state is present exactly once; the operation that was cut is either
// fully visible or not at all; armed reversals are never lost or duplicated; the STAN never
// repeats; the journal's RAM is the same as before the cut.
import { errorText } from "../errors";
import { REV_PENDING, ReversalRecord, TxnRecord } from "../journal/api";
import { openJournal } from "../journal/recover";
import { FlashJournal } from "../journal/journal";
import { sameTxn } from "../journal/validate";
import { InFlight, ModelRev, Workload, applySettle, isPowerCut, keyOf, setModelTxn } from "./journal-workload";

/** Most violations kept per run. */
export const MAX_VIOLATIONS = 20;

function violation(w: Workload, where: string, what: string): void {
  if (w.violations.length < MAX_VIOLATIONS) w.violations.push(where + ": " + what);
}

export const CHECK_OK = 0;
export const CHECK_FAILED = 1;
/** Power was cut again during recovery (random mode); recover again. */
export const CHECK_CUT = 2;

/**
 * Reopens the journal (power must be on) and checks it against the model, which then
 * follows what recovery shows. A cut during recovery returns CHECK_CUT.
 */
export function recoverAndCheck(w: Workload, where: string): number {
  let j: FlashJournal;
  try {
    j = openJournal(w.flash, w.cfg);
  } catch (e) {
    if (isPowerCut(e)) return CHECK_CUT;
    violation(w, where, "recovery failed: " + errorText(e));
    return CHECK_FAILED;
  }
  if (j.report.corrupt.length > 0) violation(w, where, "corruption reported: " + j.report.corrupt.join("; "));
  if (j.ramBytes() !== w.ram_bytes) violation(w, where, "journal RAM " + j.ramBytes() + " bytes, was " + w.ram_bytes);
  try {
    checkBatch(w, j, where);
    checkTxns(w, j, where);
    checkReversals(w, j, where);
  } catch (e) {
    if (isPowerCut(e)) throw e;
    violation(w, where, "reading the recovered journal failed: " + errorText(e));
    return CHECK_FAILED;
  }
  w.j = j;
  w.fly = { op: "stan", revGone: false };
  try {
    checkStan(w, j, where);
  } catch (e) {
    if (isPowerCut(e)) return CHECK_CUT;
    violation(w, where, "nextStan after recovery failed: " + errorText(e));
    return CHECK_FAILED;
  }
  w.fly = undefined;
  return w.violations.length > 0 ? CHECK_FAILED : CHECK_OK;
}

function checkBatch(w: Workload, j: FlashJournal, where: string): void {
  const settling = w.fly !== undefined && w.fly.op === "settle";
  if (settling && j.batch() !== w.batch) applySettle(w);
  if (j.batch() !== w.batch) violation(w, where, "batch " + j.batch() + ", expected " + w.batch);
}

function describe(t: TxnRecord | undefined): string {
  if (t === undefined) return "absent";
  return "batch " + t.batch + " stan " + t.stan + " state " + t.state + " resp '" + t.respCode + "' refunded " + t.refunded_minor;
}

function checkTxns(w: Workload, j: FlashJournal, where: string): void {
  const fly = w.fly !== undefined ? w.fly.txn : undefined;
  if (fly !== undefined) {
    const got = j.getTxn(fly.batch, fly.stan);
    const applied = got !== undefined && sameTxn(got, fly);
    if (applied) setModelTxn(w, fly);
    const r = (w.fly as InFlight).rev;
    if (r !== undefined && applied === (findRev(j.reversals(), r.id) !== undefined)) {
      violation(w, where, "reply and disarm of reversal " + r.id + " not atomic (reply " + (applied ? "kept" : "lost") + ")");
    }
  }
  for (let i = 0; i < w.txns.length; i++) {
    const m = w.txns[i];
    const got = j.getTxn(m.batch, m.stan);
    if (got === undefined || !sameTxn(got, m)) violation(w, where, "txn " + keyOf(m.batch, m.stan) + " is " + describe(got) + ", expected " + describe(m));
  }
  const all = j.allTxns();
  if (all.length !== w.txns.length) violation(w, where, all.length + " transactions recovered, " + w.txns.length + " acknowledged");
  checkRrnIndex(w, j, all, where);
}

/**
 * Every slot's RAM hashes are those of its record (as recovery or the writes left them), so a
 * lookup by RRN, which skips only slots whose hash differs, finds it. RAM only: no extra flash
 * reads (reads draw from the same random stream as the simulated faults).
 */
function checkRrnIndex(w: Workload, j: FlashJournal, all: TxnRecord[], where: string): void {
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    if (!j.mayRefer(i, t.rrn, false) || !j.mayRefer(i, t.origRrn, true)) violation(w, where, "txn " + keyOf(t.batch, t.stan) + ": its RRN hashes in the index are stale");
  }
}

function sameRev(v: ReversalRecord, m: ModelRev): boolean {
  return v.id === m.id && v.batch === m.batch && v.stan === m.stan && v.state === m.state && v.attempts === m.attempts && v.reason === m.reason;
}

function findRev(list: ReversalRecord[], id: number): ReversalRecord | undefined {
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
  return undefined;
}

/** Resolves the cut reversal operation from what recovery shows, then compares every reversal. */
function checkReversals(w: Workload, j: FlashJournal, where: string): void {
  const list = j.reversals();
  adoptFlyingReversal(w, list);
  for (let i = 0; i < w.revs.length; i++) {
    const m = w.revs[i];
    const v = findRev(list, m.id);
    if (v === undefined) violation(w, where, "reversal " + m.id + " (stan " + m.stan + ") lost");
    else if (!sameRev(v, m)) violation(w, where, "reversal " + m.id + " is state " + v.state + " attempts " + v.attempts + ", expected " + m.state + "/" + m.attempts);
  }
  if (list.length !== w.revs.length) violation(w, where, list.length + " reversals recovered, " + w.revs.length + " acknowledged (duplicate or resurrected)");
  for (let i = 1; i < list.length; i++) if (list[i].id <= list[i - 1].id) violation(w, where, "reversal FIFO out of order at " + i);
}

function adoptFlyingReversal(w: Workload, list: ReversalRecord[]): void {
  const f = w.fly;
  if (f === undefined || f.rev === undefined) return;
  const r = f.rev;
  if (f.op === "arm") {
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v.batch === r.batch && v.stan === r.stan && findModel(w, v.id) === undefined && v.state === REV_PENDING && v.attempts === 0) {
        w.revs.push({ id: v.id, batch: v.batch, stan: v.stan, state: v.state, attempts: v.attempts, reason: v.reason });
      }
    }
    return;
  }
  const v = findRev(list, r.id);
  const applied = f.revGone ? v === undefined : v !== undefined && sameRev(v, r);
  if (!applied) return;
  const keep: ModelRev[] = [];
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].id !== r.id) keep.push(w.revs[i]);
  if (!f.revGone) keep.push(r);
  keep.sort((a: ModelRev, b: ModelRev) => a.id - b.id);
  w.revs = keep;
  if (f.op === "complete") w.reversed.push(keyOf(r.batch, r.stan));
}

function findModel(w: Workload, id: number): ModelRev | undefined {
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].id === id) return w.revs[i];
  return undefined;
}

function checkStan(w: Workload, j: FlashJournal, where: string): void {
  const s = j.nextStan();
  if (s <= w.stan_max) violation(w, where, "STAN " + s + " repeats (highest issued " + w.stan_max + ")");
  w.stan_max = Math.max(s, w.stan_max);
  w.freeStan = s;
}
