// Opening a journal: recovery (scan.ts) rebuilds the RAM index from a scan of the region, the
// journal takes it, then (unless read-only) resumes after the last record or on a freshly
// erased head, so that nothing already programmed is ever programmed over.
import { Bytes } from "../bytes/index";
import { Flash } from "../../hal/flash";
import { Correction } from "./ecc";
import {
  NO_END, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, isErasedHead, isFiller, recordPayloadLength, recordSeq, recordSpan, recordType,
} from "./format";
import { FlashJournal, JournalOptions } from "./journal";
import { checkConfig, layoutFor, newBuffers } from "./layout";
import { newKeys, readKeys } from "./payload";
import { RD_CORRECTED, RD_OK, Scan, readChecked, tryRead } from "./reader";
import { findResync } from "./resync";
import { Recovered, recoverIndex } from "./scan";

/** Opens (recovers) the journal in `flash`. See `FlashJournal.report` for what the scan found. */
export function openJournal(flash: Flash, o: JournalOptions): FlashJournal {
  const g = flash.geometry;
  checkConfig(g, o);
  const l = layoutFor(g);
  const b = newBuffers(l);
  const rec = recoverIndex(flash, l, b, o.maxTxnsPerBatch, o.maxReversals);
  const j = new FlashJournal(flash, o, l, b, rec.idx);
  if (!j.readOnly) resume(j, rec);
  return j;
}

/**
 * Resumes after a restart without programming over anything: after a clean end the last
 * record is programmed again in place (identical bytes: completes any half-programmed bit)
 * and the span after it zero-filled (completes torn bits that read as erased) and skipped.
 * A torn record there is retired the same way (zeros only clear bits: no data is written over
 * data). An end with anything else after it, a corrected tail or skipped sequence numbers
 * resume in a fresh sector; a corrected tail is written again there, so it no longer depends
 * on the damaged copy.
 */
function resume(j: FlashJournal, rec: Recovered): void {
  const chain = j.report.chain;
  if (chain.length === 0) {
    if (rec.newBad || j.idx.seqSkip > 0) j.log.advanceHead(NO_END, NO_SEQ);
    return;
  }
  const newest = chain[chain.length - 1];
  const t = j.sectors;
  const stop = t.end[newest];
  const sb = j.g.sector_bytes;
  if (rec.tailAt < 0 || (rec.dirtyTail && !rec.restClean) || rec.tailCorrected || j.idx.seqSkip > 0 || rec.newBad) {
    if (rec.tailAt >= 0 && rec.tailCorrected && !rec.dirtyTail) {
      rewriteTail(j, stop, t.seq[newest]);
    } else {
      j.log.advanceHead(stop, t.seq[newest]);
    }
    j.maintainReserve();
    return;
  }
  const tailEnd = (rec.tailAt % sb) + rec.tailSpan;
  j.log.solidifyTail(rec.tailAt, rec.tailSpan);
  if (stop + j.l.fillerSpan + RECORD_OVERHEAD_BYTES <= sb) j.log.resumeAfterFiller(newest, tailEnd, stop + j.l.fillerSpan);
  else j.log.advanceHead(tailEnd, t.seq[newest]);
  j.maintainReserve();
}

/**
 * Writes the (corrected) last record again, with its own seq, at the start of a fresh sector
 * (from wbuf where recovery kept it), and points the index at the copy. The scan takes a
 * sector's first record with the seq just seen as this copy.
 */
function rewriteTail(j: FlashJournal, stop: number, prevSeq: number): void {
  const wbuf = j.b.wbuf;
  const type = recordType(wbuf, 0);
  const n = recordPayloadLength(wbuf, 0);
  const k = newKeys();
  readKeys(type, wbuf, RECORD_HEAD_BYTES, n, k, true);
  j.log.nextSeq = recordSeq(wbuf, 0, j.idx.lastSeq);
  j.log.advanceHead(stop, prevSeq);
  const addr = j.log.append(type, n, true);
  j.idx.applyRecord(type, k, addr, recordSpan(n, j.g.prog_bytes));
}

/** Where one record of the live log lies. */
export interface RecordInfo {
  sector: number;
  offset: number;
  seq: number;
  type: number;
  /** Payload bytes (the payload is at RECORD_HEAD_BYTES of the buffer handed to the visitor). */
  n: number;
  /** "" or the bit corrected on read: "byte B bit K". */
  corrected: string;
}

function bitOf(mask: number): number {
  for (let b = 0; b < 8; b++) if (mask === 1 << b) return b;
  return -1;
}

/** Visits every valid record of the live log found by recovery, oldest first, past damaged ones (read-only; for dumps). */
export function walkRecords(j: FlashJournal, visit: (this: void, r: RecordInfo, record: Bytes) => void): void {
  const sc: Scan = { flash: j.flash, l: j.l, b: j.b, idx: j.idx };
  const c: Correction = { byte: 0, mask: 0 };
  const chain = j.report.chain;
  const sb = j.g.sector_bytes;
  const rbuf = j.b.rbuf;
  let lastSeq = 0;
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i];
    const limit = j.sectors.end[s];
    let pos = j.l.first;
    for (let guard = 0; guard < sb && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
      if (!tryRead(sc, s * sb + pos, RECORD_HEAD_BYTES, 0) || isErasedHead(rbuf, 0)) break;
      if (isFiller(rbuf, 0)) {
        pos += j.l.fillerSpan;
        continue;
      }
      const r = readChecked(sc, s * sb + pos, limit - pos, true, c);
      if (r !== RD_OK && r !== RD_CORRECTED) {
        const next = findResync(sc, s * sb, pos + j.g.prog_bytes, limit, lastSeq);
        if (next < 0) break;
        pos = next;
        continue;
      }
      const n = recordPayloadLength(rbuf, 0);
      lastSeq = recordSeq(rbuf, 0, lastSeq > 0 ? lastSeq + 1 : j.sectors.base[s]);
      const fix = r === RD_CORRECTED ? "byte " + c.byte + " bit " + bitOf(c.mask) : "";
      visit({ sector: s, offset: pos, seq: lastSeq, type: recordType(rbuf, 0), n: n, corrected: fix }, rbuf);
      pos += recordSpan(n, j.g.prog_bytes);
    }
  }
}
