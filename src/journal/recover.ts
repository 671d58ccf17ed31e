// Opening a journal: rebuild the RAM index from a scan of the region, then (unless read-only)
// resume on a freshly erased head so nothing torn by a cut is ever programmed over.
import { Bytes, get, readU16 } from "../bytes/index";
import { Flash, FLASH_OK } from "../../hal/flash";
import {
  HEADER_BYTES, NO_END, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, decodeHeader, isFiller, plausibleHead, recordCrcOk,
  recordPayloadLength, recordSeq, recordSpan, recordType,
} from "./format";
import { FlashJournal, JournalOptions } from "./journal";

/** Opens (recovers) the journal in `flash`. See `FlashJournal.report` for what the scan found. */
export function openJournal(flash: Flash, o: JournalOptions): FlashJournal {
  const j = new FlashJournal(flash, o);
  readHeaders(j);
  let chain = buildChain(j);
  dropEmptyNewest(j, chain);
  const low0 = chain.length > 0 ? j.secLow[chain[chain.length - 1]] : 0;
  const low = applyChain(j, chain, low0);
  if (low > low0) {
    j.resetIndex();
    chain = keepFrom(j, chain, low);
    applyChain(j, chain, low);
  }
  finishRecovery(j, chain);
  if (!j.readOnly) resume(j, chain);
  return j;
}

function tryRead(j: FlashJournal, addr: number, n: number, off: number): boolean {
  j.report.bytes_read += n;
  return j.flash.read(addr, j.rbuf, off, n) === FLASH_OK;
}

/** Reads every sector header; unreadable sectors count as bad. */
function readHeaders(j: FlashJournal): void {
  const sb = j.g.sector_bytes;
  let maxErase = 0;
  for (let s = 0; s < j.g.sector_count; s++) {
    j.report.bytes_read += HEADER_BYTES;
    if (j.flash.read(s * sb, j.hbuf, 0, HEADER_BYTES) !== FLASH_OK) {
      j.secBad[s] = 1;
      continue;
    }
    const h = decodeHeader(j.hbuf);
    if (h === undefined) {
      j.secErase[s] = -1;
      continue;
    }
    j.secSeq[s] = h.seq; j.secErase[s] = h.erase_count; j.secLow[s] = h.low;
    j.secPrevSeq[s] = h.prev_seq; j.secPrevEnd[s] = h.prev_end;
    if (h.erase_count > maxErase) maxErase = h.erase_count;
    if (h.seq >= j.nextSectorSeq) j.nextSectorSeq = h.seq + 1;
  }
  for (let s = 0; s < j.g.sector_count; s++) if (j.secErase[s] < 0) j.secErase[s] = maxErase;
}

function sectorWithSeq(j: FlashJournal, seq: number): number {
  for (let s = 0; s < j.g.sector_count; s++) if (j.secSeq[s] === seq) return s;
  return -1;
}

/** The live log, oldest first: from the newest header back along prev_seq links down to its `low`. */
function buildChain(j: FlashJournal): number[] {
  let newest = -1;
  for (let s = 0; s < j.g.sector_count; s++) {
    if (j.secSeq[s] !== NO_SEQ && (newest < 0 || j.secSeq[s] > j.secSeq[newest])) newest = s;
  }
  if (newest < 0) return [];
  const low = j.secLow[newest];
  const back: number[] = [newest];
  let cur = newest;
  for (let step = 0; step < j.g.sector_count; step++) {
    const ps = j.secPrevSeq[cur];
    if (ps === NO_SEQ || ps < low) break;
    const prev = sectorWithSeq(j, ps);
    if (prev < 0 || back.indexOf(prev) >= 0) {
      j.corrupt(cur, 0, "the sector it continues (seq " + ps + ") is missing");
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
function dropEmptyNewest(j: FlashJournal, chain: number[]): void {
  for (let guard = 0; guard < j.g.sector_count && chain.length > 0; guard++) {
    const s = chain[chain.length - 1];
    if (validRecordAt(j, s * j.g.sector_bytes + j.first, j.g.sector_bytes - j.first, false)) return;
    chain.pop();
  }
}

/** True when a whole valid record starts at `addr` (its head is read unless `haveHead`). */
function validRecordAt(j: FlashJournal, addr: number, room: number, haveHead: boolean): boolean {
  if (room < RECORD_OVERHEAD_BYTES) return false;
  if (!haveHead && !tryRead(j, addr, RECORD_HEAD_BYTES, 0)) return false;
  if (!plausibleHead(j.rbuf, 0)) return false;
  const n = recordPayloadLength(j.rbuf, 0);
  if (recordSpan(n, j.g.prog_bytes) > room || RECORD_OVERHEAD_BYTES + n > j.maxRecord) return false;
  if (!tryRead(j, addr + RECORD_HEAD_BYTES, n + 4, RECORD_HEAD_BYTES)) return false;
  return recordCrcOk(j.rbuf, 0);
}

function keepFrom(j: FlashJournal, chain: number[], low: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < chain.length; i++) if (j.secSeq[chain[i]] >= low) out.push(chain[i]);
  return out;
}

/** Replays every sector of the chain; returns the highest durable low seen (headers and META records). */
function applyChain(j: FlashJournal, chain: number[], low: number): number {
  for (let i = 0; i < chain.length; i++) {
    const last = i === chain.length - 1;
    const limit = last ? j.g.sector_bytes : j.secPrevEnd[chain[i + 1]];
    scanSector(j, chain[i], limit === NO_END ? j.g.sector_bytes : limit, last);
  }
  return Math.max(low, j.meta.low);
}

function isErased(j: FlashJournal): boolean {
  return readU16(j.rbuf, 0) === 0xffff && get(j.rbuf, 2) === 0xff;
}

/**
 * Applies the records of sector `s` up to `limit`. In the newest sector the first invalid
 * record is a torn tail (truncated); anywhere else it is corruption, reported with its place.
 */
function scanSector(j: FlashJournal, s: number, limit: number, last: boolean): void {
  const base = s * j.g.sector_bytes;
  let pos = j.first;
  let why = "";
  for (let guard = 0; guard < j.g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
    if (!tryRead(j, base + pos, RECORD_HEAD_BYTES, 0)) { why = "unreadable"; break; }
    if (isFiller(j.rbuf, 0)) {
      pos += j.fillerSpan;
      continue;
    }
    if (!validRecordAt(j, base + pos, limit - pos, true)) {
      why = !isErased(j) ? "record fails its checks" : last ? "" : "erased where records were expected";
      break;
    }
    if (recordSeq(j.rbuf, 0) <= j.lastSeqSeen) { why = "sequence number goes back"; break; }
    const n = recordPayloadLength(j.rbuf, 0);
    const span = recordSpan(n, j.g.prog_bytes);
    j.applyRecord(recordType(j.rbuf, 0), base + pos, n);
    j.lastSeqSeen = recordSeq(j.rbuf, 0);
    j.report.records++;
    if (last) j.copyToTail(base + pos, span);
    pos += span;
  }
  if (why === "" && !last && pos !== limit) why = "data ends at " + pos + " but the log says " + limit;
  if (why !== "" && last) j.report.torn_tail = "sector " + s + " offset " + pos;
  else if (why !== "") j.corrupt(s, pos, why);
  j.secEnd[s] = pos;
}

function finishRecovery(j: FlashJournal, chain: number[]): void {
  for (let s = 0; s < j.g.sector_count; s++) {
    if (chain.indexOf(s) >= 0) j.markLive(s);
    else j.markDead(s);
  }
  j.nextSeq = j.lastSeqSeen + 1;
  j.resumeCounters();
  j.report.chain = chain;
}

/**
 * Resumes after a restart without programming over bits a cut may have torn: the last record
 * is programmed again in place (completing any half-programmed bit); everything after it that
 * the scan skipped or stopped at, plus one more filler span, is zero-filled (zeros complete
 * torn bits and are skipped by the scan); appending continues after that, or in a fresh sector.
 */
function resume(j: FlashJournal, chain: number[]): void {
  if (chain.length === 0) return;
  const newest = chain[chain.length - 1];
  const stop = j.secEnd[newest];
  if (j.tailAt < 0) {
    j.advanceHead(stop, j.secSeq[newest]);
    j.maintainReserve();
    return;
  }
  const tailEnd = (j.tailAt % j.g.sector_bytes) + j.tailSpan;
  j.solidifyTail();
  if (stop + j.fillerSpan + RECORD_OVERHEAD_BYTES <= j.g.sector_bytes) j.resumeAfterFiller(newest, tailEnd, stop + j.fillerSpan);
  else j.advanceHead(tailEnd, j.secSeq[newest]);
  j.maintainReserve();
}

/** Where one record of the live log lies. */
export interface RecordInfo {
  sector: number;
  offset: number;
  seq: number;
  type: number;
  /** Payload bytes (the payload is at RECORD_HEAD_BYTES of the buffer handed to the visitor). */
  n: number;
}

/** Visits every valid record of the live log found by recovery, oldest first (read-only; for dumps). */
export function walkRecords(j: FlashJournal, visit: (this: void, r: RecordInfo, record: Bytes) => void): void {
  const chain = j.report.chain;
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i];
    const limit = i === chain.length - 1 ? j.secEnd[s] : j.secPrevEnd[chain[i + 1]];
    let pos = j.first;
    for (let guard = 0; guard < j.g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
      if (!tryRead(j, s * j.g.sector_bytes + pos, RECORD_HEAD_BYTES, 0)) break;
      if (isFiller(j.rbuf, 0)) {
        pos += j.fillerSpan;
        continue;
      }
      if (!validRecordAt(j, s * j.g.sector_bytes + pos, limit - pos, true)) break;
      const n = recordPayloadLength(j.rbuf, 0);
      visit({ sector: s, offset: pos, seq: recordSeq(j.rbuf, 0), type: recordType(j.rbuf, 0), n: n }, j.rbuf);
      pos += recordSpan(n, j.g.prog_bytes);
    }
  }
}
