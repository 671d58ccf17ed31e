// After a damaged record: where the next valid record starts (so only the damaged records
// are lost), whether the rest of the newest sector is clean (erased or filler), and where the
// live log starts (metaLowHint).
import { crc32, get, readU32 } from "../bytes/index";
import { Correction } from "./ecc";
import {
  NO_END, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_LAST, REC_META, REC_TXN, SectorHeader, isErasedHead, isFiller, plausibleHead, recordPayloadLength, recordSeq, recordSpan, recordType,
} from "./format";
import { Keys, readKeys } from "./payload";
import { RD_OK, Scan, readChecked, tryRead } from "./reader";

/**
 * The offset (within the sector at `base`) of the first record between `from` and `limit`
 * that is whole, matches its CRC exactly and continues the sequence after `lastSeq`; -1 when none.
 */
export function findResync(sc: Scan, base: number, from: number, limit: number, lastSeq: number): number {
  const g = sc.l.g;
  const rbuf = sc.b.rbuf;
  const maxGap = Math.floor(g.sector_bytes / RECORD_OVERHEAD_BYTES) + 1;
  let pos = Math.ceil(from / g.prog_bytes) * g.prog_bytes;
  for (let guard = 0; guard < g.sector_bytes && pos + RECORD_OVERHEAD_BYTES <= limit; guard++) {
    if (tryRead(sc, base + pos, RECORD_HEAD_BYTES, 0)) {
      const n = recordPayloadLength(rbuf, 0);
      const t = recordType(rbuf, 0);
      const seq = recordSeq(rbuf, 0, lastSeq + 1);
      const gapOk = lastSeq === 0 || (seq > lastSeq && seq <= lastSeq + maxGap);
      if (t >= REC_TXN && t <= REC_LAST && gapOk && RECORD_OVERHEAD_BYTES + n <= sc.l.maxRecord && pos + recordSpan(n, g.prog_bytes) <= limit &&
        tryRead(sc, base + pos + RECORD_HEAD_BYTES, n + 4, RECORD_HEAD_BYTES) && readU32(rbuf, RECORD_HEAD_BYTES + n) === crc32(rbuf, 0, RECORD_HEAD_BYTES + n)) {
        return pos;
      }
    }
    pos += g.prog_bytes;
  }
  return -1;
}

/** True when every byte of the sector at `base` from `from` on is erased (FF) or zero (filler). */
export function restClean(sc: Scan, base: number, from: number): boolean {
  const sb = sc.l.g.sector_bytes;
  const rbuf = sc.b.rbuf;
  const chunk = sc.l.fillerSpan;
  let pos = from;
  for (let guard = 0; guard < sb && pos < sb; guard++) {
    const n = Math.min(chunk, sb - pos);
    if (!tryRead(sc, base + pos, n, 0)) return false;
    for (let i = 0; i < n; i++) {
      const v = get(rbuf, i);
      if (v !== 0xff && v !== 0) return false;
    }
    pos += n;
  }
  return true;
}

// Where the live log starts, found before the full scan: a META record may move `low` past the
// newest sector header's (a settlement released older sectors), and the scan then has to start
// again from there (scan.ts recoverIndex). Walking only the record heads first (the CRC is
// checked for META records alone) finds that `low` at a fraction of a full pass, so a clean
// log is scanned once. Anything but a clean run of records gives no hint: the full scan then
// decides as before, in two passes.

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
