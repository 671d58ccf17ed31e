// After a damaged record: where the next valid record starts (so only the damaged records
// are lost), and whether the rest of the newest sector is clean (erased or filler).
import { crc32, get, readU32 } from "../bytes/index";
import { RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_LAST, REC_TXN, recordPayloadLength, recordSeq, recordSpan, recordType } from "./format";
import { Scan, tryRead } from "./reader";

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
