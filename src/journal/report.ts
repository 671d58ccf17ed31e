// What recovery found, for the journal's owner (the terminal shows it) and for dumps.

/** Most corruption reports kept from one recovery. */
export const MAX_REPORTS = 16;

/** What recovery found. Offsets are within the sector. */
export interface RecoveryReport {
  /** Sectors of the live log, oldest first. */
  chain: number[];
  records: number;
  /** A torn tail in the newest sector ("" when none): "sector S offset O". */
  torn_tail: string;
  /** Mid-log corruption, never skipped silently: "sector S offset O: why". */
  corrupt: string[];
  bytes_read: number;
}

export function reportCorrupt(r: RecoveryReport, s: number, off: number, why: string): void {
  if (r.corrupt.length < MAX_REPORTS) r.corrupt.push("sector " + s + " offset " + off + ": " + why);
}
