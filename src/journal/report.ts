// What recovery found, for the journal's owner (the terminal shows it) and for dumps.

/** Most entries kept in each list of one recovery report. */
export const MAX_REPORTS = 16;

/** What recovery found. Offsets are within the sector. */
export interface RecoveryReport {
  /** Sectors of the live log, oldest first. */
  chain: number[];
  records: number;
  /** A torn tail in the newest sector ("" when none): "sector S offset O". */
  torn_tail: string;
  /** Storage faults that lost data, never skipped silently: "sector S offset O: what". */
  corrupt: string[];
  /** Single flipped bits corrected on read: "sector S offset O: bit B corrected". */
  corrected: string[];
  bits_corrected: number;
  /** Records known lost (sequence numbers missing from the log); -1 entries are not counted here. */
  records_lost: number;
  /** Sectors known bad (remembered in sector headers, or found unreadable now). */
  bad_sectors: number[];
  /** Transactions whose newest state may have been lost: "outcome unknown — ask the acquirer" (batch/stan). */
  unknown_outcomes: string[];
  /** Reads that failed and were retried (transient read errors). */
  read_retries: number;
  bytes_read: number;
}

export function newReport(): RecoveryReport {
  return { chain: [], records: 0, torn_tail: "", corrupt: [], corrected: [], bits_corrected: 0, records_lost: 0, bad_sectors: [], unknown_outcomes: [], read_retries: 0, bytes_read: 0 };
}

export function reportCorrupt(r: RecoveryReport, s: number, off: number, why: string): void {
  if (r.corrupt.length < MAX_REPORTS) r.corrupt.push("sector " + s + " offset " + off + ": " + why);
}

export function reportCorrected(r: RecoveryReport, s: number, off: number, mask: number): void {
  r.bits_corrected++;
  let bit = 0;
  for (let b = 0; b < 8; b++) if (mask === 1 << b) bit = b;
  if (r.corrected.length < MAX_REPORTS) r.corrected.push("sector " + s + " offset " + off + ": bit " + bit + " corrected");
}

/** True when the report shows a storage fault the terminal must show and audit (data lost or a sector failed). */
export function hasStorageFault(r: RecoveryReport): boolean {
  return r.corrupt.length > 0 || r.records_lost > 0 || r.unknown_outcomes.length > 0;
}

/** The report's lists and counters at one moment (recovery's second pass starts again from here). */
export interface ReportMark {
  corrupt: number;
  corrected: number;
  bits: number;
  lost: number;
}

export function markReport(r: RecoveryReport): ReportMark {
  return { corrupt: r.corrupt.length, corrected: r.corrected.length, bits: r.bits_corrected, lost: r.records_lost };
}

export function restoreReport(r: RecoveryReport, m: ReportMark): void {
  r.records = 0;
  r.torn_tail = "";
  r.corrupt = r.corrupt.slice(0, m.corrupt);
  r.corrected = r.corrected.slice(0, m.corrected);
  r.bits_corrected = m.bits;
  r.records_lost = m.lost;
}
