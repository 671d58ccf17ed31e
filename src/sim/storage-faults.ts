// Storage faults for the simulation, injected while the terminal is off: a flipped bit in a
// live record (corrected on read), transient read errors (retried), a bad sector (programs
// fail) and a worn sector (erases fail). None of them may lose data; each must show in what
// the journal reports (the recovery report, or its bad-sector list once the sector was used).
import { FlashJournal } from "../journal/journal";
import { openJournal, walkRecords } from "../journal/recover";
import { RECORD_OVERHEAD_BYTES } from "../journal/format";
import { JournalConfig } from "../journal/api";
import { BAD_ERASE, BAD_PROGRAM, NorFlash } from "./nor-flash";

export const SF_BITFLIP = "bit flip";
export const SF_READ_ERROR = "read errors";
export const SF_BAD_SECTOR = "bad sector";
export const SF_WORN_SECTOR = "worn sector";
export const STORAGE_FAULTS = [SF_BITFLIP, SF_READ_ERROR, SF_BAD_SECTOR, SF_WORN_SECTOR];
/** Most sectors one run makes bad or worn (the journal needs the rest). */
export const MAX_BAD_SECTORS = 2;

export interface StorageFault {
  kind: string;
  /** Sector hit (-1: none, e.g. read errors). */
  sector: number;
  /** Program + erase operations on that sector when it went bad (to tell later whether the journal used it). */
  opsThen: number;
  text: string;
}

/**
 * Picks and injects one fault; `rnd(n)` draws 0..n-1. Returns undefined when none applies.
 * A bit is flipped only in a record not flipped before (`flipped`: their addresses): the
 * journal corrects one bit per record on read but does not rewrite (scrub) corrected records.
 */
export function injectStorageFault(flash: NorFlash, cfg: JournalConfig, badSoFar: number, flipped: number[], rnd: (this: void, n: number) => number): StorageFault | undefined {
  const kind = STORAGE_FAULTS[rnd(STORAGE_FAULTS.length)];
  if (kind === SF_READ_ERROR) {
    flash.transient_read_failures = 1 + rnd(2);
    return { kind: kind, sector: -1, opsThen: 0, text: flash.transient_read_failures + " failing read(s)" };
  }
  const j = openJournal(flash, { maxTxnsPerBatch: cfg.maxTxnsPerBatch, maxReversals: cfg.maxReversals, warnFillPercent: cfg.warnFillPercent, read_only: true });
  const sb = flash.geometry.sector_bytes;
  if (kind === SF_BITFLIP) {
    const addrs: number[] = [];
    const sizes: number[] = [];
    walkRecords(j, (r) => {
      const a = r.sector * sb + r.offset;
      if (flipped.indexOf(a) < 0) {
        addrs.push(a);
        sizes.push(r.n + RECORD_OVERHEAD_BYTES);
      }
    });
    if (addrs.length === 0) return undefined;
    const i = rnd(addrs.length);
    flipped.push(addrs[i]);
    const at = addrs[i] + rnd(sizes[i]);
    const bit = rnd(8);
    flash.flipBit(at, bit);
    return { kind: kind, sector: Math.floor(at / sb), opsThen: 0, text: "bit " + bit + " at sector " + Math.floor(at / sb) + " offset " + (at % sb) };
  }
  if (badSoFar >= MAX_BAD_SECTORS) return undefined;
  const free: number[] = [];
  for (let s = 0; s < flash.geometry.sector_count; s++) if (!j.sectors.isLive(s) && flash.bad[s] === 0) free.push(s);
  if (free.length === 0) return undefined;
  const s = free[rnd(free.length)];
  flash.setBad(s, kind === SF_BAD_SECTOR ? BAD_PROGRAM : BAD_ERASE);
  return { kind: kind, sector: s, opsThen: flash.programs[s] + flash.erases[s], text: kind + " " + s };
}

/** "" when the journal reports fault `f` (right after the restart it preceded), else why not. */
export function unreported(j: FlashJournal, flash: NorFlash, f: StorageFault, atRestart: boolean): string {
  if (f.kind === SF_BITFLIP && atRestart && j.report.bits_corrected === 0 && j.stats.read_corrections === 0) return f.text + ": no correction reported" + (j.report.corrupt.length > 0 ? " (" + j.report.corrupt.join("; ") + ")" : "");
  if (f.kind === SF_READ_ERROR && atRestart && j.report.read_retries === 0) return f.text + ": no read retry reported";
  const used = f.sector >= 0 && flash.programs[f.sector] + flash.erases[f.sector] > f.opsThen;
  if ((f.kind === SF_BAD_SECTOR || f.kind === SF_WORN_SECTOR) && !atRestart && used && j.badSectors().indexOf(f.sector) < 0) return f.text + ": used but not reported bad";
  return "";
}
