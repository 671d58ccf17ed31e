// Where the live log starts, found before the full scan: a META record may move `low` past the
// newest sector header's (a settlement released older sectors), and the scan then has to start
// again from there (scan.ts recoverIndex). Walking only the record heads first (the CRC is
// checked for META records alone) finds that `low` at a fraction of a full pass, so a clean
// log is scanned once. Anything but a clean run of records gives no hint: the full scan then
// decides as before, in two passes.
import { Correction } from "./ecc";
import {
  NO_END, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_META, SectorHeader, isErasedHead, isFiller, plausibleHead, recordPayloadLength, recordSeq, recordSpan, recordType,
} from "./format";
import { Keys, readKeys } from "./payload";
import { RD_OK, Scan, readChecked, tryRead } from "./reader";

/** What the walk reads: the sector table, headers and scratch keys of the scan. */
export interface HintScan extends Scan {
  headers: (SectorHeader | undefined)[];
  keys: Keys;
  c: Correction;
}

/** The `low` of the newest META record along `chain` when the walk meets only clean records; else `low`. */
export function metaLowHint(rc: HintScan, chain: number[], low: number): number {
  const g = rc.l.g;
  const t = rc.idx.sectors;
  let hint = low;
  let prevSeq = -1;
  for (let i = 0; i < chain.length; i++) {
    const s = chain[i];
    const h = rc.headers[s];
    if (h === undefined) return low;
    const next = i === chain.length - 1 ? -1 : chain[i + 1];
    const linked = next >= 0 && t.prevSeq[next] === t.seq[s];
    const limit = linked && t.prevEnd[next] !== NO_END ? t.prevEnd[next] : g.sector_bytes;
    const base = s * g.sector_bytes;
    let pos = rc.l.first;
    for (let guard = 0; guard < g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
      if (!tryRead(rc, base + pos, RECORD_HEAD_BYTES, 0)) return low;
      const rbuf = rc.b.rbuf;
      if (isFiller(rbuf, 0)) {
        pos += rc.l.fillerSpan;
        continue;
      }
      if (isErasedHead(rbuf, 0)) break;
      if (!plausibleHead(rbuf, 0)) return low;
      const seq = recordSeq(rbuf, 0, prevSeq < 0 ? h.base_seq : prevSeq + 1);
      if (prevSeq >= 0 && seq !== prevSeq + 1 && !(seq === prevSeq && pos === rc.l.first)) return low;
      const n = recordPayloadLength(rbuf, 0);
      const span = recordSpan(n, g.prog_bytes);
      if (pos + span > limit) return low;
      if (recordType(rbuf, 0) === REC_META) {
        if (readChecked(rc, base + pos, limit - pos, true, rc.c) !== RD_OK) return low;
        readKeys(REC_META, rbuf, RECORD_HEAD_BYTES, n, rc.keys, true);
        hint = Math.max(low, rc.keys.low);
      }
      prevSeq = seq;
      pos += span;
    }
  }
  return hint;
}
