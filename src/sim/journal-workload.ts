// A seeded, transaction-like workload on the journal over an emulated NOR flash, with a model
// of what was acknowledged, and the checks run after every power cut and recovery.
// Portable: the same trace gives the same flash image on node, es5 and lua.
import { Bytes, alloc, set } from "../bytes/index";
import { errorText, fail, isPosrtError } from "../errors";
import { maskPan } from "../card/pan";
import { NorFlash, POWER_LOST } from "./nor-flash";
import {
  KIND_SALE, REV_FAILED, REV_PENDING, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED, TxnRecord,
} from "../journal/api";
import { FlashJournal, JOURNAL_FULL, JournalOptions } from "../journal/journal";
import { openJournal } from "../journal/recover";
import { Prng, nextBelow, prng } from "./prng";
import { SecurityModule } from "../../hal/security";
import { SoftSecurity } from "../crypto/soft-security";

/** Operation names of the workload (one journal call each). */
export const OPS = ["stan", "begin", "arm", "approve", "decline", "attempt", "complete", "reverse", "fail", "disarm", "void", "refund", "settle", "reclaim"];
/** The generator's choice table: common operations appear more often. */
const PICK = ["stan", "stan", "stan", "begin", "begin", "begin", "arm", "arm", "approve", "approve", "approve", "decline",
  "attempt", "attempt", "complete", "reverse", "reverse", "fail", "disarm", "disarm", "void", "refund", "settle", "reclaim"];
/** Card numbers the workload uses; a raw-image scan must never find them. */
export const TEST_PANS = ["6222021234567890128", "4761739001010010", "5413330089010434", "6212345678901265"];
/** Bounds: model tables and the issued-STAN log. */
export const MAX_MODEL_TXNS = 4096;
export const RETRY_LIMIT = 3;
/** Most attempts to pick an applicable operation before falling back to "stan". */
const MAX_PICKS = 32;

export interface ModelRev {
  id: number;
  batch: number;
  stan: number;
  state: number;
  attempts: number;
  reason: string;
}

/** The operation whose journal call was cut: its effect may be visible entirely or not at all. */
export interface InFlight {
  op: string;
  txn?: TxnRecord;
  rev?: ModelRev;
  revGone: boolean;
}

export interface Workload {
  flash: NorFlash;
  cfg: JournalOptions;
  j: FlashJournal;
  rng: Prng;
  /** The emulator's software SecurityModule (TEST key): PANs are sealed before they reach the journal. */
  sealer: SecurityModule;
  batch: number;
  freeStan: number;
  txns: TxnRecord[];
  revs: ModelRev[];
  /** Highest STAN handed out (the workload stays below the 999999 wrap). */
  stan_max: number;
  fly?: InFlight;
  violations: string[];
  ram_bytes: number;
  clock: number;
  ops_done: number;
  refusals: number;
  /** Transactions whose reversal completed, waiting to be marked REVERSED. */
  reversed: string[];
}

export interface WorkloadOptions {
  seed: number;
  sector_bytes: number;
  sector_count: number;
  page_bytes: number;
  maxTxnsPerBatch: number;
  maxReversals: number;
}

/** A fresh erased flash and journal for `o`. */
export function newWorkload(o: WorkloadOptions): Workload {
  const flash = new NorFlash({ sector_bytes: o.sector_bytes, sector_count: o.sector_count, prog_bytes: 1, page_bytes: o.page_bytes, seed: o.seed });
  const cfg: JournalOptions = { maxTxnsPerBatch: o.maxTxnsPerBatch, maxReversals: o.maxReversals, warnFillPercent: 80 };
  const j = openJournal(flash, cfg);
  return {
    flash: flash, cfg: cfg, j: j, rng: prng(o.seed), sealer: new SoftSecurity({ seal_counter: o.seed }), batch: j.batch(), freeStan: 0,
    txns: [], revs: [], stan_max: 0, violations: [], ram_bytes: j.ramBytes(), clock: 0, ops_done: 0, refusals: 0, reversed: [],
  };
}

/** True when `e` is the emulator's power cut. */
export function isPowerCut(e: unknown): boolean {
  return isPosrtError(e) && errorText(e) === "nor: " + POWER_LOST;
}

/** Runs one operation chosen by the seeded generator; returns its name. Power cuts propagate. */
export function randomStep(w: Workload): string {
  for (let pick = 0; pick < MAX_PICKS; pick++) {
    const name = PICK[nextBelow(w.rng, PICK.length)];
    if (runOp(w, name)) return name;
  }
  runOp(w, "stan");
  return "stan";
}

/** Runs operation `name` if it applies now; false when it does not (nothing written). */
export function runOp(w: Workload, name: string): boolean {
  const done = tryOp(w, name);
  if (done) w.ops_done++;
  return done;
}

function tryOp(w: Workload, name: string): boolean {
  try {
    return dispatch(w, name);
  } catch (e) {
    if (isPosrtError(e) && errorText(e) === "journal: " + JOURNAL_FULL) {
      w.fly = undefined;
      w.refusals++;
      return true;
    }
    throw e;
  }
}

function dispatch(w: Workload, name: string): boolean {
  if (name === "stan") return opStan(w);
  if (name === "begin") return opBegin(w);
  if (name === "arm") return opArm(w);
  if (name === "approve" || name === "decline") return opReply(w, name === "approve");
  if (name === "reverse") return opReverse(w);
  if (name === "void" || name === "refund") return opAfterSale(w, name === "void");
  if (name === "settle") return opSettle(w);
  if (name === "reclaim") {
    w.fly = { op: name, revGone: false };
    w.j.reclaimOldest();
    w.fly = undefined;
    return true;
  }
  return opReversal(w, name);
}

function opStan(w: Workload): boolean {
  w.fly = { op: "stan", revGone: false };
  const s = w.j.nextStan();
  w.fly = undefined;
  if (s <= w.stan_max) fail("workload", "STAN " + s + " repeats (highest issued " + w.stan_max + ")");
  w.stan_max = s;
  w.freeStan = s;
  return true;
}

function newSale(w: Workload, stan: number): TxnRecord {
  const pan = TEST_PANS[nextBelow(w.rng, TEST_PANS.length)];
  w.clock++;
  return {
    batch: w.batch, stan: stan, kind: KIND_SALE, state: ST_PENDING, amount_minor: 100 + nextBelow(w.rng, 99900),
    currency: "156", panMasked: maskPan(pan), panSealed: w.sealer.sealPan(pan), time: clockText(w.clock),
    rrn: "", authCode: "", respCode: "", origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
  };
}

function clockText(t: number): string {
  const s = "0000000000" + (1126000000 + (t % 1000000));
  return s.substring(s.length - 10);
}

function opBegin(w: Workload): boolean {
  if (w.freeStan === 0 || w.txns.length >= MAX_MODEL_TXNS) return false;
  const t = newSale(w, w.freeStan);
  putTxn(w, t, "begin");
  w.freeStan = 0;
  return true;
}

/** putTxn with the model: on success the model holds `t`. */
function putTxn(w: Workload, t: TxnRecord, op: string): void {
  w.fly = { op: op, txn: t, revGone: false };
  w.j.putTxn(t);
  w.fly = undefined;
  setModelTxn(w, t);
}

export function setModelTxn(w: Workload, t: TxnRecord): void {
  for (let i = 0; i < w.txns.length; i++) {
    if (w.txns[i].batch === t.batch && w.txns[i].stan === t.stan) {
      w.txns[i] = t;
      return;
    }
  }
  w.txns.push(t);
}

export function cloneTxn(t: TxnRecord): TxnRecord {
  return {
    batch: t.batch, stan: t.stan, kind: t.kind, state: t.state, amount_minor: t.amount_minor, currency: t.currency,
    panMasked: t.panMasked, panSealed: t.panSealed, time: t.time, rrn: t.rrn, authCode: t.authCode, respCode: t.respCode,
    origStan: t.origStan, origRrn: t.origRrn, origDate: t.origDate, refunded_minor: t.refunded_minor,
  };
}

/** A random model transaction of the current batch in `state` (with or without a reversal), or undefined. */
function pickTxn(w: Workload, state: number): TxnRecord | undefined {
  const found: TxnRecord[] = [];
  for (let i = 0; i < w.txns.length; i++) if (w.txns[i].state === state && w.txns[i].batch === w.batch) found.push(w.txns[i]);
  return found.length === 0 ? undefined : found[nextBelow(w.rng, found.length)];
}

function revFor(w: Workload, batch: number, stan: number): ModelRev | undefined {
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].batch === batch && w.revs[i].stan === stan) return w.revs[i];
  return undefined;
}

/** A fake request (MTI 0200 and filler fields): no PAN, no track data, no PIN block. */
function request(w: Workload, stan: number): Bytes {
  const n = 40 + nextBelow(w.rng, 80);
  const b = alloc(n);
  set(b, 0, 0x02); set(b, 1, 0x00);
  for (let i = 2; i < n; i++) set(b, i, (stan + i * 7) & 0xff);
  return b;
}

function opArm(w: Workload): boolean {
  const t = pickTxn(w, ST_PENDING);
  if (t === undefined || revFor(w, t.batch, t.stan) !== undefined || w.revs.length >= w.cfg.maxReversals) return false;
  const r: ModelRev = { id: 0, batch: t.batch, stan: t.stan, state: REV_PENDING, attempts: 0, reason: "98" };
  w.fly = { op: "arm", rev: r, revGone: false };
  r.id = w.j.armReversal(t.batch, t.stan, "98", request(w, t.stan));
  w.fly = undefined;
  w.revs.push(r);
  return true;
}

function opReply(w: Workload, approve: boolean): boolean {
  const t = pickTxn(w, ST_PENDING);
  if (t === undefined) return false;
  const r = revFor(w, t.batch, t.stan);
  if (r !== undefined && r.state !== REV_PENDING) return false;
  if (r !== undefined && r.attempts > 0) return false;
  const u = cloneTxn(t);
  u.state = approve ? ST_APPROVED : ST_DECLINED;
  u.respCode = approve ? "00" : "05";
  u.rrn = approve ? "3" + clockText(w.clock) + "9" : "";
  u.authCode = approve ? "A" + (10000 + nextBelow(w.rng, 89999)) : "";
  if (r !== undefined && nextBelow(w.rng, 2) === 0) replyDisarm(w, u, r, approve ? "approve+disarm" : "decline+disarm");
  else putTxn(w, u, approve ? "approve" : "decline");
  return true;
}

/** The reply and the disarm of its reversal in one call (one record): a cut leaves both or neither. */
function replyDisarm(w: Workload, u: TxnRecord, r: ModelRev, op: string): void {
  const post: ModelRev = { id: r.id, batch: r.batch, stan: r.stan, state: r.state, attempts: r.attempts, reason: r.reason };
  w.fly = { op: op, txn: u, rev: post, revGone: true };
  w.j.putTxnDisarm(u, r.id);
  w.fly = undefined;
  setModelTxn(w, u);
  commitRev(w, post, true);
}

/** Marks a transaction REVERSED once its reversal completed. */
function opReverse(w: Workload): boolean {
  if (w.reversed.length === 0) return false;
  const key = w.reversed[0];
  w.reversed.shift();
  for (let i = 0; i < w.txns.length; i++) {
    const t = w.txns[i];
    if (keyOf(t.batch, t.stan) !== key || t.state !== ST_PENDING) continue;
    const u = cloneTxn(t);
    u.state = ST_REVERSED;
    putTxn(w, u, "reverse");
    return true;
  }
  return false;
}

export function keyOf(batch: number, stan: number): string {
  return batch + ":" + stan;
}

function opAfterSale(w: Workload, isVoid: boolean): boolean {
  const t = pickTxn(w, ST_APPROVED);
  if (t === undefined) return false;
  const u = cloneTxn(t);
  if (isVoid) u.state = ST_VOIDED;
  else {
    const left = t.amount_minor - t.refunded_minor;
    if (left <= 0) return false;
    u.refunded_minor = t.refunded_minor + 1 + nextBelow(w.rng, left);
  }
  putTxn(w, u, isVoid ? "void" : "refund");
  return true;
}

function opSettle(w: Workload): boolean {
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].batch === w.batch && w.revs[i].state === REV_PENDING) return false;
  w.fly = { op: "settle", revGone: false };
  w.j.closeBatch();
  w.fly = undefined;
  applySettle(w);
  return true;
}

export function applySettle(w: Workload): void {
  const keep: TxnRecord[] = [];
  for (let i = 0; i < w.txns.length; i++) if (w.txns[i].batch !== w.batch) keep.push(w.txns[i]);
  w.txns = keep;
  const revs: ModelRev[] = [];
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].state !== REV_FAILED) revs.push(w.revs[i]);
  w.revs = revs;
  w.batch = w.batch >= 999999 ? 1 : w.batch + 1;
}

/** Whether reversal operation `name` applies to `r` (its transaction `t`, undefined once settled away). */
function reversalApplies(name: string, r: ModelRev, t: TxnRecord | undefined): boolean {
  const unknown = t !== undefined && t.state === ST_PENDING;
  if (name === "attempt") return unknown && r.attempts < RETRY_LIMIT;
  if (name === "complete") return unknown && r.attempts >= 1;
  if (name === "fail") return unknown && r.attempts >= RETRY_LIMIT;
  return !unknown && r.attempts === 0;
}

/** attempt / complete / fail / disarm on a random pending reversal. */
function opReversal(w: Workload, name: string): boolean {
  const pending: ModelRev[] = [];
  for (let i = 0; i < w.revs.length; i++) if (w.revs[i].state === REV_PENDING) pending.push(w.revs[i]);
  if (pending.length === 0) return false;
  const r = pending[nextBelow(w.rng, pending.length)];
  const t = findModelTxn(w, r.batch, r.stan);
  if (!reversalApplies(name, r, t)) return false;
  const post: ModelRev = { id: r.id, batch: r.batch, stan: r.stan, state: r.state, attempts: r.attempts, reason: r.reason };
  const gone = name === "disarm" || name === "complete";
  w.fly = { op: name, rev: post, revGone: gone };
  callReversal(w, name, post);
  w.fly = undefined;
  commitRev(w, post, gone);
  if (name === "complete" && w.reversed.length < MAX_MODEL_TXNS) w.reversed.push(keyOf(r.batch, r.stan));
  return true;
}

function callReversal(w: Workload, name: string, post: ModelRev): void {
  if (name === "attempt") {
    post.attempts++;
    const n = w.j.recordAttempt(post.id);
    if (n !== post.attempts) fail("workload", "recordAttempt returned " + n + ", expected " + post.attempts);
  } else if (name === "complete") {
    w.j.completeReversal(post.id);
  } else if (name === "fail") {
    post.state = REV_FAILED;
    w.j.failReversal(post.id);
  } else {
    w.j.disarmReversal(post.id);
  }
}

function commitRev(w: Workload, r: ModelRev, gone: boolean): void {
  const keep: ModelRev[] = [];
  for (let i = 0; i < w.revs.length; i++) {
    if (w.revs[i].id !== r.id) keep.push(w.revs[i]);
    else if (!gone) keep.push(r);
  }
  if (!gone && !containsRev(keep, r.id)) keep.push(r);
  w.revs = keep;
}

function containsRev(list: ModelRev[], id: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return true;
  return false;
}

function findModelTxn(w: Workload, batch: number, stan: number): TxnRecord | undefined {
  for (let i = 0; i < w.txns.length; i++) if (w.txns[i].batch === batch && w.txns[i].stan === stan) return w.txns[i];
  return undefined;
}

