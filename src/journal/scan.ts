// Recovery scan: rebuild the RAM index from a scan of the region. It only reads; the journal
// takes the index it builds (recover.ts `openJournal`) and resumes writing from it.
import { get, readU16 } from "../bytes/index";
import { FLASH_OK, Flash } from "../../hal/flash";
import {
  HEADER_BYTES, NO_END, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, decodeHeader, isFiller, plausibleHead, recordCrcOk,
  recordPayloadLength, recordSeq, recordSpan, recordType,
} from "./format";
import { Buffers, Layout } from "./layout";
import { keepTail } from "./log";
import { Keys, newKeys, readKeys } from "./payload";
import { RamIndex } from "./ram-index";
import { reportCorrupt } from "./report";

/** What recovery hands the journal: the index, and the last record found (kept in wbuf). */
export interface Recovered {
  idx: RamIndex;
  /** Address and span of the last valid record of the newest sector (-1: none). */
  tailAt: number;
  tailSpan: number;
}

/** Read-only access to the region for a scan. */
export interface Scan {
  flash: Flash;
  l: Layout;
  b: Buffers;
  idx: RamIndex;
}

interface Rc extends Scan {
  keys: Keys;
  tailAt: number;
  tailSpan: number;
}

/** Scans `flash` and returns the index it describes. */
export function recoverIndex(flash: Flash, l: Layout, b: Buffers, maxTxns: number, maxRevs: number): Recovered {
  const idx = new RamIndex(l.g.sector_count, maxTxns, maxRevs);
  const rc: Rc = { flash: flash, l: l, b: b, idx: idx, keys: newKeys(), tailAt: -1, tailSpan: 0 };
  const t = idx.sectors;
  readHeaders(rc);
  let chain = buildChain(rc);
  dropEmptyNewest(rc, chain);
  const low0 = chain.length > 0 ? t.low[chain[chain.length - 1]] : 0;
  const low = applyChain(rc, chain, low0);
  if (low > low0) {
    idx.resetRecords();
    rc.tailAt = -1;
    chain = keepFrom(rc, chain, low);
    applyChain(rc, chain, low);
  }
  for (let s = 0; s < l.g.sector_count; s++) {
    if (chain.indexOf(s) >= 0) t.markLive(s);
    else t.markDead(s);
  }
  idx.report.chain = chain;
  return { idx: idx, tailAt: rc.tailAt, tailSpan: rc.tailSpan };
}

export function tryRead(sc: Scan, addr: number, n: number, off: number): boolean {
  sc.idx.report.bytes_read += n;
  return sc.flash.read(addr, sc.b.rbuf, off, n) === FLASH_OK;
}

/** Reads every sector header; unreadable sectors count as bad. */
function readHeaders(rc: Rc): void {
  const g = rc.l.g;
  const t = rc.idx.sectors;
  let maxErase = 0;
  for (let s = 0; s < g.sector_count; s++) {
    rc.idx.report.bytes_read += HEADER_BYTES;
    if (rc.flash.read(s * g.sector_bytes, rc.b.hbuf, 0, HEADER_BYTES) !== FLASH_OK) {
      t.bad[s] = 1;
      continue;
    }
    const h = decodeHeader(rc.b.hbuf);
    if (h === undefined) {
      t.erase[s] = -1;
      continue;
    }
    t.seq[s] = h.seq; t.erase[s] = h.erase_count; t.low[s] = h.low;
    t.prevSeq[s] = h.prev_seq; t.prevEnd[s] = h.prev_end;
    if (h.erase_count > maxErase) maxErase = h.erase_count;
    if (h.seq >= rc.idx.nextSectorSeq) rc.idx.nextSectorSeq = h.seq + 1;
  }
  for (let s = 0; s < g.sector_count; s++) if (t.erase[s] < 0) t.erase[s] = maxErase;
}

/** The live log, oldest first: from the newest header back along prev_seq links down to its `low`. */
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
    const prev = t.withSeq(ps);
    if (prev < 0 || back.indexOf(prev) >= 0) {
      reportCorrupt(rc.idx.report, cur, 0, "the sector it continues (seq " + ps + ") is missing");
      break;
    }
    back.push(prev);
    cur = prev;
  }
  const chain: number[] = [];
  for (let i = back.length - 1; i >= 0; i--) chain.push(back[i]);
  return chain;
}

/** A newest sector without one valid record was cut while opening: drop it (its header may hold torn bits). */
function dropEmptyNewest(rc: Rc, chain: number[]): void {
  const g = rc.l.g;
  for (let guard = 0; guard < g.sector_count && chain.length > 0; guard++) {
    const s = chain[chain.length - 1];
    if (validRecordAt(rc, s * g.sector_bytes + rc.l.first, g.sector_bytes - rc.l.first, false)) return;
    chain.pop();
  }
}

/** True when a whole valid record starts at `addr` (its head is read unless `haveHead`). */
export function validRecordAt(sc: Scan, addr: number, room: number, haveHead: boolean): boolean {
  if (room < RECORD_OVERHEAD_BYTES) return false;
  if (!haveHead && !tryRead(sc, addr, RECORD_HEAD_BYTES, 0)) return false;
  const rbuf = sc.b.rbuf;
  if (!plausibleHead(rbuf, 0)) return false;
  const n = recordPayloadLength(rbuf, 0);
  if (recordSpan(n, sc.l.g.prog_bytes) > room || RECORD_OVERHEAD_BYTES + n > sc.l.maxRecord) return false;
  if (!tryRead(sc, addr + RECORD_HEAD_BYTES, n + 4, RECORD_HEAD_BYTES)) return false;
  return recordCrcOk(rbuf, 0);
}

function keepFrom(rc: Rc, chain: number[], low: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < chain.length; i++) if (rc.idx.sectors.seq[chain[i]] >= low) out.push(chain[i]);
  return out;
}

/** Replays every sector of the chain; returns the highest durable low seen (headers and META records). */
function applyChain(rc: Rc, chain: number[], low: number): number {
  const g = rc.l.g;
  for (let i = 0; i < chain.length; i++) {
    const last = i === chain.length - 1;
    const limit = last ? g.sector_bytes : rc.idx.sectors.prevEnd[chain[i + 1]];
    scanSector(rc, chain[i], limit === NO_END ? g.sector_bytes : limit, last);
  }
  return Math.max(low, rc.idx.meta.low);
}

function isErased(rc: Rc): boolean {
  return readU16(rc.b.rbuf, 0) === 0xffff && get(rc.b.rbuf, 2) === 0xff;
}

/**
 * Applies the records of sector `s` up to `limit`. In the newest sector the first invalid
 * record is a torn tail (truncated); anywhere else it is corruption, reported with its place.
 */
function scanSector(rc: Rc, s: number, limit: number, last: boolean): void {
  const g = rc.l.g;
  const idx = rc.idx;
  const rbuf = rc.b.rbuf;
  const base = s * g.sector_bytes;
  let pos = rc.l.first;
  let why = "";
  for (let guard = 0; guard < g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
    if (!tryRead(rc, base + pos, RECORD_HEAD_BYTES, 0)) { why = "unreadable"; break; }
    if (isFiller(rbuf, 0)) {
      pos += rc.l.fillerSpan;
      continue;
    }
    if (!validRecordAt(rc, base + pos, limit - pos, true)) {
      why = !isErased(rc) ? "record fails its checks" : last ? "" : "erased where records were expected";
      break;
    }
    if (recordSeq(rbuf, 0) <= idx.lastSeq) { why = "sequence number goes back"; break; }
    const n = recordPayloadLength(rbuf, 0);
    const span = recordSpan(n, g.prog_bytes);
    const type = recordType(rbuf, 0);
    readKeys(type, rbuf, RECORD_HEAD_BYTES, n, rc.keys);
    idx.applyRecord(type, rc.keys, base + pos, span);
    idx.lastSeq = recordSeq(rbuf, 0);
    idx.report.records++;
    if (last) {
      keepTail(rc.b, span);
      rc.tailAt = base + pos;
      rc.tailSpan = span;
    }
    pos += span;
  }
  if (why === "" && !last && pos !== limit) why = "data ends at " + pos + " but the log says " + limit;
  if (why !== "" && last) idx.report.torn_tail = "sector " + s + " offset " + pos;
  else if (why !== "") reportCorrupt(idx.report, s, pos, why);
  idx.sectors.end[s] = pos;
}
