// Opening a journal: recovery (scan.ts) rebuilds the RAM index from a scan of the region, the
// journal takes it, then (unless read-only) resumes on a freshly erased head or after the last
// record, so nothing torn by a cut is ever programmed over.
import { Bytes } from "../bytes/index";
import { Flash } from "../../hal/flash";
import { RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, isFiller, recordPayloadLength, recordSeq, recordSpan, recordType } from "./format";
import { FlashJournal, JournalOptions } from "./journal";
import { checkConfig, layoutFor, newBuffers } from "./layout";
import { Recovered, Scan, recoverIndex, tryRead, validRecordAt } from "./scan";

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
 * Resumes after a restart without programming over bits a cut may have torn: the last record
 * is programmed again in place (completing any half-programmed bit); everything after it that
 * the scan skipped or stopped at, plus one more filler span, is zero-filled (zeros complete
 * torn bits and are skipped by the scan); appending continues after that, or in a fresh sector.
 */
function resume(j: FlashJournal, rec: Recovered): void {
  const chain = j.report.chain;
  if (chain.length === 0) return;
  const newest = chain[chain.length - 1];
  const t = j.sectors;
  const stop = t.end[newest];
  const sb = j.g.sector_bytes;
  if (rec.tailAt < 0) {
    j.log.advanceHead(stop, t.seq[newest]);
    j.maintainReserve();
    return;
  }
  const tailEnd = (rec.tailAt % sb) + rec.tailSpan;
  j.log.solidifyTail(rec.tailAt, rec.tailSpan);
  if (stop + j.l.fillerSpan + RECORD_OVERHEAD_BYTES <= sb) j.log.resumeAfterFiller(newest, tailEnd, stop + j.l.fillerSpan);
  else j.log.advanceHead(tailEnd, t.seq[newest]);
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
  const sc: Scan = { flash: j.flash, l: j.l, b: j.b, idx: j.idx };
  const chain = j.report.chain;
  const sb = j.g.sector_bytes;
  const rbuf = j.b.rbuf;
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i];
    const limit = i === chain.length - 1 ? j.sectors.end[s] : j.sectors.prevEnd[chain[i + 1]];
    let pos = j.l.first;
    for (let guard = 0; guard < sb && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
      if (!tryRead(sc, s * sb + pos, RECORD_HEAD_BYTES, 0)) break;
      if (isFiller(rbuf, 0)) {
        pos += j.l.fillerSpan;
        continue;
      }
      if (!validRecordAt(sc, s * sb + pos, limit - pos, true)) break;
      const n = recordPayloadLength(rbuf, 0);
      visit({ sector: s, offset: pos, seq: recordSeq(rbuf, 0), type: recordType(rbuf, 0), n: n }, rbuf);
      pos += recordSpan(n, j.g.prog_bytes);
    }
  }
}
