// Recovery scan: rebuild the RAM index from a scan of the region. It only reads; the journal
// takes the index it builds (recover.ts `openJournal`) and resumes writing from it.
// Single flipped bits are corrected (ecc.ts); worse damage is reported with its place and
// the scan continues at the next valid record, so only the damaged records are lost.
import { Flash } from "../../hal/flash";
import { fail } from "../errors";
import { Correction } from "./ecc";
import {
  FLAG_SEQ_SKIP, FORMAT_VERSION, HEADER_BYTES, otherFormatVersion, retiredEraseCount, NO_END, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, SectorHeader, decodeHeader, headerErased,
  isErasedHead, isFiller, recordSeq, recordSpan, recordPayloadLength, recordType,
} from "./format";
import { Buffers, Layout } from "./layout";
import { keepTail } from "./log";
import { Keys, newKeys, readKeys } from "./payload";
import { RamIndex } from "./ram-index";
import { RD_CORRECTED, RD_OK, RD_UNREADABLE, Scan, readChecked, readInto, tryRead } from "./reader";
import { markReport, reportCorrected, reportCorrupt, restoreReport } from "./report";
import { findResync, metaLowHint, restClean } from "./resync";
import { markUnknownOutcomes } from "./unknown";

/** STANs skipped per record that may be lost (a lost META may have reserved one block of 32). */
export const STAN_SKIP_PER_RECORD = 32;

/** What recovery hands the journal: the index, and the last record found (kept in wbuf). */
export interface Recovered {
  idx: RamIndex;
  /** Address and span of the last valid record of the newest sector (-1: none). */
  tailAt: number;
  tailSpan: number;
  /** The tail needed a correction (it is rewritten in a fresh sector rather than programmed over). */
  tailCorrected: boolean;
  /** The newest sector ends in a torn or damaged record (not erased): never programmed over; resume after its span or in a fresh sector. */
  dirtyTail: boolean;
  /** With dirtyTail: the rest of the sector after the torn record's longest span is erased or filler. */
  restClean: boolean;
  /** Sectors found bad now that the newest header does not remember yet (a fresh header must say so). */
  newBad: boolean;
}

interface Rc extends Scan {
  keys: Keys;
  c: Correction;
  headers: (SectorHeader | undefined)[];
  tailAt: number;
  tailSpan: number;
  tailCorrected: boolean;
  dirtyTail: boolean;
  restClean: boolean;
  /** Damage found at the end of an older sector's data ("" none): reported with the records the next sector shows lost. */
  trailing: string;
  trailingSector: number;
  trailingPos: number;
  /** The sequence position is known (a sector header gave it), even while lastSeq is 0. */
  seqKnown: boolean;
  /** Highest record seq known lost (-1: none; NO_SEQ: unknown, e.g. a whole sector). */
  lostMax: number;
  /** Sectors whose header is damaged beyond repair but whose first record is valid: a lost head, or stale data (judged after the scan). */
  suspects: number[];
}

/** Scans `flash` and returns the index it describes. */
export function recoverIndex(flash: Flash, l: Layout, b: Buffers, maxTxns: number, maxRevs: number): Recovered {
  const idx = new RamIndex(l.g.sector_count, maxTxns, maxRevs);
  const rc: Rc = {
    flash: flash, l: l, b: b, idx: idx, keys: newKeys(), c: { byte: 0, mask: 0 }, headers: [], tailAt: -1, tailSpan: 0,
    tailCorrected: false, dirtyTail: false, restClean: false, trailing: "", trailingSector: 0, trailingPos: 0, seqKnown: false, lostMax: -1,
    suspects: [],
  };
  const t = idx.sectors;
  readHeaders(rc);
  let chain = buildChain(rc);
  dropEmptyNewest(rc, chain);
  const mark = markReport(idx.report);
  const lost0 = rc.lostMax;
  const low0 = chain.length > 0 ? t.low[chain[chain.length - 1]] : 0;
  // A clean log whose newest META moved low on is scanned once, from there (resync.ts metaLowHint).
  const from = metaLowHint(rc, chain, low0);
  if (from > low0) chain = keepFrom(rc, chain, from);
  let low = applyChain(rc, chain, from);
  if (low > from) {
    idx.resetRecords();
    restoreReport(idx.report, mark);
    rc.tailAt = -1;
    rc.tailCorrected = false;
    rc.dirtyTail = false;
    rc.restClean = false;
    rc.lostMax = lost0;
    rc.seqKnown = false;
    chain = keepFrom(rc, chain, low);
    low = applyChain(rc, chain, low);
  }
  reportMissing(rc, chain, low);
  judgeSuspects(rc);
  for (let s = 0; s < l.g.sector_count; s++) {
    if (chain.indexOf(s) >= 0) t.markLive(s);
    else t.markDead(s);
  }
  idx.report.chain = chain;
  idx.report.bad_sectors = t.badList();
  if (rc.lostMax >= 0) markUnknownOutcomes(rc, rc.lostMax);
  if (rc.lostMax === NO_SEQ) {
    // A sector whose header could not be read may have been the newest: every counter moves
    // past anything it can have held, so nothing is reused if it becomes readable again.
    idx.seqSkip = Math.floor(l.g.sector_bytes / RECORD_OVERHEAD_BYTES) + 1;
    idx.nextSectorSeq += l.g.sector_count;
  }
  idx.stanSkip = rc.lostMax === NO_SEQ ? idx.seqSkip * STAN_SKIP_PER_RECORD : rc.lostMax >= 0 ? STAN_SKIP_PER_RECORD : 0;
  return { idx: idx, tailAt: rc.tailAt, tailSpan: rc.tailSpan, tailCorrected: rc.tailCorrected, dirtyTail: rc.dirtyTail, restClean: rc.restClean, newBad: newBad(rc, chain) };
}

function newBad(rc: Rc, chain: number[]): boolean {
  const t = rc.idx.sectors;
  const h = chain.length > 0 ? rc.headers[chain[chain.length - 1]] : undefined;
  const known = h === undefined ? [] : h.bad;
  for (let s = 0; s < t.count; s++) if (t.bad[s] !== 0 && known.indexOf(s) < 0) return true;
  return false;
}

/** Reads every sector header (one flipped bit corrected); unreadable sectors count as bad, and the bad sectors the newest header remembers too. */
function readHeaders(rc: Rc): void {
  const g = rc.l.g;
  const t = rc.idx.sectors;
  let maxErase = 0;
  let newest = -1;
  for (let s = 0; s < g.sector_count; s++) {
    rc.headers.push(undefined);
    if (!readInto(rc, s * g.sector_bytes, rc.b.hbuf, 0, HEADER_BYTES)) {
      t.bad[s] = 1;
      rc.lostMax = NO_SEQ;
      reportCorrupt(rc.idx.report, s, 0, "sector unreadable (its records, if any, are lost)");
      continue;
    }
    const other = otherFormatVersion(rc.b.hbuf);
    if (other !== 0) fail("journal", "sector " + s + " holds journal format " + other + "; this build reads format " + FORMAT_VERSION + " (settle the batch with the firmware that wrote it, then erase)");
    const h = decodeHeader(rc.b.hbuf, rc.c);
    if (h === undefined) {
      t.erase[s] = retiredEraseCount(rc.b.hbuf);
      if (t.erase[s] >= 0) continue;
      if (!headerErased(rc.b.hbuf) && firstRecordValid(rc, s)) rc.suspects.push(s);
      continue;
    }
    if (rc.c.mask !== 0) reportCorrected(rc.idx.report, s, rc.c.byte, rc.c.mask);
    rc.headers[s] = h;
    t.seq[s] = h.seq; t.erase[s] = h.erase_count; t.low[s] = h.low;
    t.prevSeq[s] = h.prev_seq; t.prevEnd[s] = h.prev_end; t.base[s] = h.base_seq;
    if (h.erase_count > maxErase) maxErase = h.erase_count;
    if (h.seq >= rc.idx.nextSectorSeq) rc.idx.nextSectorSeq = h.seq + 1;
    if (newest < 0 || h.seq > t.seq[newest]) newest = s;
  }
  for (let s = 0; s < g.sector_count; s++) if (t.erase[s] < 0) t.erase[s] = maxErase;
  const nh = newest < 0 ? undefined : rc.headers[newest];
  if (nh !== undefined) for (let i = 0; i < nh.bad.length; i++) if (nh.bad[i] < g.sector_count) t.bad[nh.bad[i]] = 1;
}

/**
 * A sector with a header damaged beyond repair and a valid first record is a lost part of the
 * log when that record continues it (a newer head; sectors inside the chain are missed by their
 * links, reportMissing): its records are reported lost and every counter moves past them. A
 * first record far from where the log ends is stale data in a dead sector (an erase cut short
 * leaves the old bytes with some bits set): nothing was lost. With no log found at all, any
 * such sector counts as lost.
 */
function judgeSuspects(rc: Rc): void {
  const idx = rc.idx;
  const maxGap = Math.floor(rc.l.g.sector_bytes / RECORD_OVERHEAD_BYTES) + 1;
  for (let i = 0; i < rc.suspects.length; i++) {
    const s = rc.suspects[i];
    let lostHead = idx.lastSeq === 0;
    if (!lostHead && firstRecordValid(rc, s)) {
      const seq = recordSeq(rc.b.rbuf, 0, idx.lastSeq + 1);
      lostHead = seq >= idx.lastSeq && seq <= idx.lastSeq + 1 + maxGap;
    }
    if (!lostHead) continue;
    rc.lostMax = NO_SEQ;
    reportCorrupt(idx.report, s, 0, "sector header damaged beyond repair (its records are lost)");
  }
}

function firstRecordValid(rc: Rc, s: number): boolean {
  const r = readChecked(rc, s * rc.l.g.sector_bytes + rc.l.first, rc.l.g.sector_bytes - rc.l.first, false, rc.c);
  return r === RD_OK || r === RD_CORRECTED;
}

/**
 * The live log, oldest first: from the newest header back along prev_seq links down to its
 * `low`. A link to a sector no longer there is a lost sector (reported by reportMissing): the
 * walk goes on with the newest sector below it.
 */
function buildChain(rc: Rc): number[] {
  const t = rc.idx.sectors;
  let newest = -1;
  for (let s = 0; s < t.count; s++) {
    if (t.seq[s] !== NO_SEQ && (newest < 0 || t.seq[s] > t.seq[newest])) newest = s;
  }
  if (newest < 0) return [];
  const low = t.low[newest];
  const back: number[] = [newest];
  let cur = newest;
  for (let step = 0; step < t.count; step++) {
    const ps = t.prevSeq[cur];
    if (ps === NO_SEQ || ps < low) break;
    let prev = t.withSeq(ps);
    if (prev < 0) prev = newestBelow(rc, ps, low);
    if (prev < 0 || back.indexOf(prev) >= 0) break;
    back.push(prev);
    cur = prev;
  }
  const chain: number[] = [];
  for (let i = back.length - 1; i >= 0; i--) chain.push(back[i]);
  return chain;
}

/** The sector with the highest seq below `seq` and at least `low`, or -1. */
function newestBelow(rc: Rc, seq: number, low: number): number {
  const t = rc.idx.sectors;
  let best = -1;
  for (let s = 0; s < t.count; s++) {
    if (t.seq[s] !== NO_SEQ && t.seq[s] < seq && t.seq[s] >= low && (best < 0 || t.seq[s] > t.seq[best])) best = s;
  }
  return best;
}

/** A sector of the chain that continues a seq no longer there (at or above the durable `low`) lost its predecessor: reported. */
function reportMissing(rc: Rc, chain: number[], low: number): void {
  const t = rc.idx.sectors;
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i];
    const ps = t.prevSeq[s];
    if (ps === NO_SEQ || ps < low || t.withSeq(ps) >= 0) continue;
    rc.lostMax = NO_SEQ;
    reportCorrupt(rc.idx.report, s, 0, "the sector it continues (seq " + ps + ") is missing: its records are lost");
  }
}

/** A newest sector without one valid record was cut while opening: drop it (its header may hold torn bits). */
function dropEmptyNewest(rc: Rc, chain: number[]): void {
  const g = rc.l.g;
  for (let guard = 0; guard < g.sector_count && chain.length > 0; guard++) {
    const s = chain[chain.length - 1];
    if (firstRecordValid(rc, s) || findResync(rc, s * g.sector_bytes, rc.l.first + g.prog_bytes, g.sector_bytes, 0) >= 0) return;
    chain.pop();
  }
}

function keepFrom(rc: Rc, chain: number[], low: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < chain.length; i++) if (rc.idx.sectors.seq[chain[i]] >= low) out.push(chain[i]);
  return out;
}

/** Replays every sector of the chain; returns the highest durable low seen (headers and META records). */
function applyChain(rc: Rc, chain: number[], low: number): number {
  const g = rc.l.g;
  const t = rc.idx.sectors;
  for (let i = 0; i < chain.length; i++) {
    const last = i === chain.length - 1;
    const next = last ? -1 : chain[i + 1];
    const linked = next >= 0 && t.prevSeq[next] === t.seq[chain[i]];
    const limit = linked ? t.prevEnd[next] : g.sector_bytes;
    scanSector(rc, chain[i], limit === NO_END ? g.sector_bytes : limit, last, linked);
  }
  return Math.max(low, rc.idx.meta.low);
}

function lost(rc: Rc, s: number, off: number, from: number, to: number): void {
  const n = to - from + 1;
  rc.idx.report.records_lost += n;
  if (to > rc.lostMax && rc.lostMax !== NO_SEQ) rc.lostMax = to;
  reportCorrupt(rc.idx.report, s, off, n + " record(s) lost (seq " + from + (n > 1 ? ".." + to : "") + ")");
}

/** Header state and the sequence check at the start of sector `s`. */
function enterSector(rc: Rc, s: number): void {
  const h = rc.headers[s];
  const idx = rc.idx;
  if (h === undefined) return;
  idx.applyHeader(h.stan_high, h.batch, h.closed);
  if (idx.lastSeq > 0 && (h.flags & FLAG_SEQ_SKIP) === 0 && h.base_seq > idx.lastSeq + 1) {
    if (rc.trailing !== "") lost(rc, rc.trailingSector, rc.trailingPos, idx.lastSeq + 1, h.base_seq - 1);
    else lost(rc, s, 0, idx.lastSeq + 1, h.base_seq - 1);
    idx.lastSeq = h.base_seq - 1;
  }
  rc.trailing = "";
  if ((h.flags & FLAG_SEQ_SKIP) !== 0 || idx.lastSeq === 0) idx.lastSeq = Math.max(idx.lastSeq, h.base_seq - 1);
  rc.seqKnown = true;
}

/**
 * Applies the records of sector `s` up to `limit`. A bad record is skipped to the next valid
 * record (the records in between are lost and reported); it is a torn tail only in the newest
 * sector with nothing valid after it.
 */
function scanSector(rc: Rc, s: number, limit: number, last: boolean, linked: boolean): void {
  const g = rc.l.g;
  const idx = rc.idx;
  const rbuf = rc.b.rbuf;
  const base = s * g.sector_bytes;
  enterSector(rc, s);
  let pos = rc.l.first;
  let damaged = false;
  for (let guard = 0; guard < g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
    const r = tryRead(rc, base + pos, RECORD_HEAD_BYTES, 0) ? RD_OK : RD_UNREADABLE;
    if (r === RD_UNREADABLE) {
      idx.sectors.bad[s] = 1;
      rc.lostMax = NO_SEQ;
      reportCorrupt(idx.report, s, pos, "unreadable from here (records after it are lost)");
      damaged = true;
      break;
    }
    if (isFiller(rbuf, 0)) {
      pos += rc.l.fillerSpan;
      continue;
    }
    if (isErasedHead(rbuf, 0)) {
      const resumed = resumedAfter(rc, base, pos, limit);
      if (resumed > 0) {
        pos = resumed;
        continue;
      }
      if (!last && linked) reportCorrupt(idx.report, s, pos, "erased where records were expected (log says data ends at " + limit + ")");
      damaged = !last && linked;
      break;
    }
    const rr = readChecked(rc, base + pos, limit - pos, true, rc.c);
    if (rr === RD_OK || rr === RD_CORRECTED) {
      pos = applyFound(rc, s, pos, rr === RD_CORRECTED, last);
      continue;
    }
    const resumed = rr === RD_UNREADABLE ? 0 : resumedAfter(rc, base, pos, limit);
    if (resumed > 0) {
      pos = resumed;
      continue;
    }
    damaged = true;
    if (rr === RD_UNREADABLE) {
      idx.sectors.bad[s] = 1;
      rc.lostMax = NO_SEQ;
      reportCorrupt(idx.report, s, pos, "unreadable from here (records after it are lost)");
      break;
    }
    const next = findResync(rc, base, pos + g.prog_bytes, limit, idx.lastSeq);
    if (next >= 0) {
      // The sequence goes on without a gap: the bytes skipped held no record that was ever
      // complete (a write a power cut tore, resumed after). A gap means damaged records.
      if (recordSeq(rbuf, 0, idx.lastSeq + 1) !== idx.lastSeq + 1 || !rc.seqKnown) reportCorrupt(idx.report, s, pos, "damaged record (" + (next - pos) + " bytes skipped)");
      pos = next;
      continue;
    }
    if (last) {
      damaged = false;
      idx.report.torn_tail = "sector " + s + " offset " + pos;
      rc.dirtyTail = true;
      rc.restClean = restClean(rc, base, pos + rc.l.fillerSpan);
      if (!rc.restClean) idx.report.torn_tail += " (the rest of the sector is not erased)";
    } else {
      rc.trailing = "damaged";
      rc.trailingSector = s;
      rc.trailingPos = pos;
    }
    break;
  }
  if (!last && linked && pos < limit && !damaged) reportCorrupt(idx.report, s, pos, "data ends at " + pos + " but the log says " + limit);
  idx.sectors.end[s] = pos;
}

/**
 * After a torn write the journal resumes one filler span further on, leaving the torn bytes as
 * they are: when the record there continues the sequence, nothing was lost in between. Returns
 * its offset, or 0 (rbuf then holds the head at `pos` again).
 */
function resumedAfter(rc: Rc, base: number, pos: number, limit: number): number {
  const g = rc.l.g;
  const to = Math.ceil((pos + rc.l.fillerSpan) / g.prog_bytes) * g.prog_bytes;
  if (rc.idx.lastSeq === 0 || to + RECORD_OVERHEAD_BYTES > limit) return 0;
  const r = readChecked(rc, base + to, limit - to, false, rc.c);
  const ok = (r === RD_OK || r === RD_CORRECTED) && recordSeq(rc.b.rbuf, 0, rc.idx.lastSeq + 1) === rc.idx.lastSeq + 1;
  tryRead(rc, base + pos, RECORD_HEAD_BYTES, 0);
  return ok ? to : 0;
}

/** Applies the valid record at `pos` (in rbuf); returns the position after it. */
function applyFound(rc: Rc, s: number, pos: number, corrected: boolean, last: boolean): number {
  const idx = rc.idx;
  const rbuf = rc.b.rbuf;
  const base = s * rc.l.g.sector_bytes;
  const seq = recordSeq(rbuf, 0, idx.lastSeq + 1);
  const n = recordPayloadLength(rbuf, 0);
  const span = recordSpan(n, rc.l.g.prog_bytes);
  if (corrected) reportCorrected(idx.report, s, pos + rc.c.byte, rc.c.mask);
  if (seq === idx.lastSeq && pos === rc.l.first) {
    // The corrected last record written again at the start of the next sector (recover.ts rewriteTail).
  } else if (seq <= idx.lastSeq) {
    reportCorrupt(idx.report, s, pos, "record seq " + seq + " goes back (after " + idx.lastSeq + "): skipped");
    return pos + span;
  }
  else if (seq > idx.lastSeq + 1 && (idx.lastSeq > 0 || rc.seqKnown)) lost(rc, s, pos, idx.lastSeq + 1, seq - 1);
  const type = recordType(rbuf, 0);
  readKeys(type, rbuf, RECORD_HEAD_BYTES, n, rc.keys, false);
  idx.applyRecord(type, rc.keys, base + pos, span);
  idx.lastSeq = seq;
  idx.report.records++;
  if (last) {
    keepTail(rc.b, span);
    rc.tailAt = base + pos;
    rc.tailSpan = span;
    rc.tailCorrected = corrected;
  }
  return pos + span;
}
