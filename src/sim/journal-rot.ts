// Storage-fault testing of the journal: bit rot and bad sectors in committed data.
// rot: every live record gets one flipped bit (bit k of each record, for every k): recovery
// must correct them all and lose nothing; then, record by record, multi-byte damage in the
// middle of the record: recovery must report the place and lose only that record, and the
// journal must go on writing without programming over anything.
// badsector: each live sector in turn becomes unreadable: recovery reports it, keeps every
// record of the other sectors, and the STAN, batch and reversal ids never go back.
import { Bytes, alloc, copy, len, toHex } from "../bytes/index";
import { errorText } from "../errors";
import { openJournal, walkRecords } from "../journal/recover";
import { FlashJournal } from "../journal/journal";
import { RECORD_OVERHEAD_BYTES } from "../journal/format";
import { BAD_READ } from "./nor-flash";
import { WorkloadOptions, Workload, newWorkload, randomStep } from "./journal-workload";

export const MODE_ROT = "rot";
export const MODE_BADSECTOR = "badsector";
/** Most violations kept. */
export const MAX_ROT_VIOLATIONS = 20;
/** Operations run on the journal after a damaged recovery (it must keep working). */
export const AFTER_DAMAGE_OPS = 20;

export interface RotResult {
  faults_injected: number;
  bits_corrected: number;
  records_lost: number;
  recoveries: number;
  violations: string[];
  /** The clean image's live records (for figures). */
  records: number;
}

interface Rec {
  addr: number;
  bytes: number;
  seq: number;
}

function liveRecords(j: FlashJournal): Rec[] {
  const out: Rec[] = [];
  const sb = j.g.sector_bytes;
  walkRecords(j, (r) => { out.push({ addr: r.sector * sb + r.offset, bytes: r.n + RECORD_OVERHEAD_BYTES, seq: r.seq }); });
  return out;
}

/** The state a recovery rebuilds, as text (batch, transactions, reversals, audit). */
function stateOf(j: FlashJournal): string {
  let out = "batch " + j.batch();
  const txns = j.allTxns();
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    out += "|" + t.batch + "/" + t.stan + " " + t.kind + " " + t.state + " " + t.amount_minor + " " + t.refunded_minor + " " + t.rrn + " " + t.respCode + " " + toHex(t.panSealed);
  }
  const revs = j.reversals();
  for (let i = 0; i < revs.length; i++) {
    const v = revs[i];
    out += "|rev " + v.id + " " + v.batch + "/" + v.stan + " " + v.state + " " + v.attempts + " " + v.reason + " " + toHex(v.request);
  }
  return out + "|audit " + j.auditEntries().length + " stan " + j.stan;
}

function violation(res: RotResult, what: string): void {
  if (res.violations.length < MAX_ROT_VIOLATIONS) res.violations.push(what);
}

/** Runs the workload, then the storage-fault test `mode` on its final image. */
export function rotTest(o: WorkloadOptions & { ops: number; mode: string }): RotResult {
  const w = newWorkload(o);
  for (let i = 0; i < o.ops; i++) randomStep(w);
  const clean = alloc(len(w.flash.image()));
  copy(w.flash.image(), 0, clean, 0, len(clean));
  const probe = openJournal(w.flash, { ...w.cfg, read_only: true });
  const recs = liveRecords(probe);
  const res: RotResult = { faults_injected: 0, bits_corrected: 0, records_lost: 0, recoveries: 0, violations: [], records: recs.length };
  if (o.mode === MODE_ROT) {
    singleBits(w, clean, recs, stateOf(probe), res);
    multiByte(w, clean, recs, res);
  } else {
    badSectors(w, clean, probe, recs, res);
  }
  return res;
}

function reopen(w: Workload, img: Bytes, res: RotResult, readOnly: boolean): FlashJournal | undefined {
  w.flash.load(img);
  res.recoveries++;
  try {
    return openJournal(w.flash, { ...w.cfg, read_only: readOnly });
  } catch (e) {
    violation(res, "recovery failed: " + errorText(e));
    return undefined;
  }
}

/** Bit k of every record at once, for every k: all corrected, the state unchanged. */
function singleBits(w: Workload, clean: Bytes, recs: Rec[], want: string, res: RotResult): void {
  let longest = 0;
  for (let i = 0; i < recs.length; i++) longest = Math.max(longest, recs[i].bytes * 8);
  for (let k = 0; k < longest && res.violations.length === 0; k++) {
    w.flash.load(clean);
    let n = 0;
    for (let i = 0; i < recs.length; i++) {
      if (k >= recs[i].bytes * 8) continue;
      w.flash.flipBit(recs[i].addr + Math.floor(k / 8), k % 8);
      n++;
    }
    res.faults_injected += n;
    const img = alloc(len(clean));
    copy(w.flash.image(), 0, img, 0, len(img));
    const j = reopen(w, img, res, true);
    if (j === undefined) return;
    res.bits_corrected += j.report.bits_corrected;
    res.records_lost += j.report.records_lost;
    if (j.report.records_lost > 0 || j.report.corrupt.length > 0) violation(res, "bit " + k + " of every record: " + j.report.corrupt.join("; "));
    if (j.report.bits_corrected !== n) violation(res, "bit " + k + " of every record: " + j.report.bits_corrected + " corrected, " + n + " flipped");
    if (stateOf(j) !== want) violation(res, "bit " + k + " of every record: recovered state differs from the undamaged one");
  }
}

/** Three bytes in the middle of each record in turn: reported with the place, only that record lost, writing goes on. */
function multiByte(w: Workload, clean: Bytes, recs: Rec[], res: RotResult): void {
  const stanMax = w.stan_max;
  for (let i = 0; i < recs.length && res.violations.length === 0; i++) {
    w.stan_max = stanMax;
    w.flash.load(clean);
    const at = recs[i].addr + Math.floor(recs[i].bytes / 2) - 1;
    w.flash.damage(at, 3);
    res.faults_injected++;
    const img = alloc(len(clean));
    copy(w.flash.image(), 0, img, 0, len(img));
    const j = reopen(w, img, res, false);
    if (j === undefined) return;
    const sb = w.flash.geometry.sector_bytes;
    const place = "sector " + Math.floor(recs[i].addr / sb) + " offset " + (recs[i].addr % sb);
    const last = i === recs.length - 1;
    res.records_lost += j.report.records_lost;
    if (!last && j.report.corrupt.join("; ").indexOf(place) < 0) violation(res, "damage at " + place + " not reported: " + j.report.corrupt.join("; "));
    if (!last && j.report.records_lost !== 1) violation(res, "damage at " + place + ": " + j.report.records_lost + " records lost, expected 1");
    keepWriting(w, j, res, "after damage at " + place);
  }
}

/** Each sector holding live records in turn becomes unreadable. */
function badSectors(w: Workload, clean: Bytes, probe: FlashJournal, recs: Rec[], res: RotResult): void {
  const sb = w.flash.geometry.sector_bytes;
  const chain = probe.report.chain;
  const stanBefore = w.stan_max;
  for (let c = 0; c < chain.length && res.violations.length === 0; c++) {
    const s = chain[c];
    w.stan_max = stanBefore;
    w.flash.load(clean);
    w.flash.setBad(s, BAD_READ);
    res.faults_injected++;
    const j = reopen(w, w.flash.image(), res, false);
    w.flash.setBad(s, 0);
    if (j === undefined) return;
    let inSector = 0;
    for (let i = 0; i < recs.length; i++) if (Math.floor(recs[i].addr / sb) === s) inSector++;
    res.records_lost += inSector;
    if (j.report.corrupt.join("; ").indexOf("sector " + s) < 0 && j.report.corrupt.length === 0) violation(res, "unreadable sector " + s + " not reported");
    if (j.report.records !== recs.length - inSector) violation(res, "unreadable sector " + s + ": " + j.report.records + " records recovered, expected " + (recs.length - inSector));
    if (j.badSectors().indexOf(s) < 0) violation(res, "unreadable sector " + s + " not marked bad");
    const stan = j.nextStan();
    if (stan <= stanBefore) violation(res, "unreadable sector " + s + ": STAN " + stan + " after " + stanBefore + " (goes back)");
    keepWriting(w, j, res, "after sector " + s + " became unreadable");
    const again = reopen(w, w.flash.image(), res, true);
    if (again !== undefined && again.badSectors().indexOf(s) < 0) violation(res, "bad sector " + s + " forgotten after a restart");
  }
}

/** The journal goes on: a few workload operations, no assertion (nothing programmed over). */
function keepWriting(w: Workload, j: FlashJournal, res: RotResult, where: string): void {
  w.j = j;
  w.txns = [];
  w.revs = [];
  try {
    for (let i = 0; i < AFTER_DAMAGE_OPS; i++) randomStep(w);
  } catch (e) {
    violation(res, where + ": writing failed: " + errorText(e));
  }
}
