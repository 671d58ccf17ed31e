// After records were lost: which transactions may have had a newer state in them. A pending
// transaction, or a pending reversal, whose newest record is older than a lost record may
// have been recorded approved (or the reversal disarmed) there: its outcome is unknown, and
// the terminal asks the acquirer instead of reversing it automatically.
import { NO_SEQ, RECORD_HEAD_BYTES, recordSeq } from "./format";
import { NO_ADDR } from "./index-slots";
import { REV_PENDING, ST_PENDING } from "./api";
import { Scan, tryRead } from "./reader";

/** Most unknown outcomes listed. */
export const MAX_UNKNOWN = 64;

function seqAt(sc: Scan, addr: number): number {
  if (addr === NO_ADDR) return 0;
  const base = sc.idx.sectors.base[Math.floor(addr / sc.l.g.sector_bytes)];
  return tryRead(sc, addr, RECORD_HEAD_BYTES, 0) ? recordSeq(sc.b.rbuf, 0, base) : 0;
}

function add(list: string[], batch: number, stan: number): void {
  const key = batch + "/" + stan;
  if (list.indexOf(key) < 0 && list.length < MAX_UNKNOWN) list.push(key);
}

/** Lists in the report every kept pending transaction or pending reversal last written before `lostMax` (NO_SEQ: any). */
export function markUnknownOutcomes(sc: Scan, lostMax: number): void {
  const idx = sc.idx;
  const list = idx.report.unknown_outcomes;
  const tt = idx.txns;
  for (let i = 0; i < tt.n; i++) {
    if (tt.stateOf(i) !== ST_PENDING) continue;
    const newest = Math.max(seqAt(sc, tt.base(i)), seqAt(sc, tt.delta(i)));
    if (lostMax === NO_SEQ || newest < lostMax) add(list, tt.batchOf(i), tt.stanOf(i));
  }
  const rt = idx.revs;
  for (let i = 0; i < rt.n; i++) {
    if (rt.state(i) !== REV_PENDING) continue;
    const newest = Math.max(seqAt(sc, rt.full(i)), seqAt(sc, rt.upd(i)));
    if (lostMax === NO_SEQ || newest < lostMax) add(list, rt.batchOf(i), rt.stanOf(i));
  }
}
