// Sizes the journal derives from the flash geometry, and the scratch buffers it shares
// between recovery (which fills them) and the running journal (which takes them over).
import { Bytes, alloc } from "../bytes/index";
import { fail } from "../errors";
import { FlashGeometry } from "../../hal/flash";
import { JournalConfig } from "./api";
import { MAX_RECORD_BYTES, MAX_SECTOR_BYTES, firstRecordOffset } from "./format";

/** Erased sectors kept in reserve: one for a restart's fresh head, one for reclaim copies. */
export const RESERVE_SECTORS = 2;
/** Bound on transactions and reversals per journal (slot tables). */
export const MAX_SLOTS = 4096;

export interface Layout {
  g: FlashGeometry;
  /** First record offset in a sector (after the header). */
  first: number;
  /** Longest record this geometry accepts. */
  maxRecord: number;
  /** Bytes skipped after a restart (zero-filled): the longest record, rounded to the program granularity. */
  fillerSpan: number;
}

/** Scratch buffers: record writes (also the tail kept by recovery), record reads, sector header. */
export interface Buffers {
  wbuf: Bytes;
  rbuf: Bytes;
  hbuf: Bytes;
}

export function layoutFor(g: FlashGeometry): Layout {
  const first = firstRecordOffset(g.prog_bytes);
  const maxRecord = Math.min(MAX_RECORD_BYTES, Math.floor((g.sector_bytes - first) / 2));
  return { g: g, first: first, maxRecord: maxRecord, fillerSpan: Math.ceil(maxRecord / g.prog_bytes) * g.prog_bytes };
}

export function newBuffers(l: Layout): Buffers {
  return { wbuf: alloc(l.fillerSpan), rbuf: alloc(l.fillerSpan), hbuf: alloc(l.first) };
}

export function where(g: FlashGeometry, addr: number): string {
  return "sector " + Math.floor(addr / g.sector_bytes) + " offset " + (addr % g.sector_bytes);
}

export function checkConfig(g: FlashGeometry, o: JournalConfig): void {
  if (g.sector_bytes > MAX_SECTOR_BYTES || g.sector_bytes < 256) fail("journal", "sector of " + g.sector_bytes + " bytes outside 256.." + MAX_SECTOR_BYTES);
  if (g.sector_count < RESERVE_SECTORS + 2 || g.sector_count * g.sector_bytes > 16777215) fail("journal", "needs " + (RESERVE_SECTORS + 2) + " or more sectors and under 16 MiB");
  if (o.maxTxnsPerBatch < 1 || o.maxTxnsPerBatch > MAX_SLOTS) fail("journal", "maxTxnsPerBatch " + o.maxTxnsPerBatch + " outside 1.." + MAX_SLOTS);
  if (o.maxReversals < 1 || o.maxReversals > 255) fail("journal", "maxReversals " + o.maxReversals + " outside 1..255");
  if (o.warnFillPercent < 1 || o.warnFillPercent > 100) fail("journal", "warnFillPercent " + o.warnFillPercent + " outside 1..100");
}
