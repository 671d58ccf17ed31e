// What the journal knows about each sector: header fields, live/dead, bad, where data ends.
// Fixed arrays sized at open (one entry per sector).
import { NO_END, NO_SEQ } from "./format";

export const SECTOR_DEAD = 0;
export const SECTOR_LIVE = 1;

export class SectorTable {
  readonly count: number;
  seq: number[] = [];
  erase: number[] = [];
  low: number[] = [];
  prevSeq: number[] = [];
  /** Seq of the first record of each sector (its header's base_seq): record seqs there are read near it. */
  base: number[] = [];
  prevEnd: number[] = [];
  state: number[] = [];
  bad: number[] = [];
  end: number[] = [];

  constructor(count: number) {
    this.count = count;
    for (let s = 0; s < count; s++) {
      this.seq.push(NO_SEQ); this.erase.push(0); this.low.push(0); this.prevSeq.push(NO_SEQ); this.base.push(0);
      this.prevEnd.push(NO_END); this.state.push(SECTOR_DEAD); this.bad.push(0); this.end.push(0);
    }
  }

  /** Number slots held by the arrays (for the RAM figure). */
  slots(): number {
    return this.seq.length + this.erase.length + this.low.length + this.prevSeq.length + this.base.length +
      this.prevEnd.length + this.state.length + this.bad.length + this.end.length;
  }

  isLive(s: number): boolean {
    return this.state[s] === SECTOR_LIVE;
  }

  markLive(s: number): void {
    this.state[s] = SECTOR_LIVE;
  }

  markDead(s: number): void {
    this.state[s] = SECTOR_DEAD;
  }

  /** The sector whose header has `seq`, or -1. */
  withSeq(seq: number): number {
    for (let s = 0; s < this.count; s++) if (this.seq[s] === seq) return s;
    return -1;
  }

  /** The dead, good sector with the fewest erases (wear levelling), or -1. */
  pickFree(): number {
    let best = -1;
    for (let s = 0; s < this.count; s++) {
      if (this.state[s] === SECTOR_DEAD && this.bad[s] === 0 && (best < 0 || this.erase[s] < this.erase[best])) best = s;
    }
    return best;
  }

  /** Seq of the oldest live sector other than `except` (`dflt` when none is older). */
  oldestLiveSeq(except: number, dflt: number): number {
    let low = dflt;
    for (let s = 0; s < this.count; s++) {
      if (s !== except && this.state[s] === SECTOR_LIVE && this.seq[s] < low) low = this.seq[s];
    }
    return low;
  }

  /** The oldest live sector other than `head`, or -1. */
  oldestLive(head: number): number {
    let best = -1;
    for (let s = 0; s < this.count; s++) {
      if (this.state[s] !== SECTOR_LIVE || s === head) continue;
      if (best < 0 || this.seq[s] < this.seq[best]) best = s;
    }
    return best;
  }

  freeCount(): number {
    let n = 0;
    for (let s = 0; s < this.count; s++) if (this.state[s] === SECTOR_DEAD && this.bad[s] === 0) n++;
    return n;
  }

  goodCount(): number {
    let n = 0;
    for (let s = 0; s < this.count; s++) if (this.bad[s] === 0) n++;
    return n;
  }

  badList(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.count; s++) if (this.bad[s] !== 0) out.push(s);
    return out;
  }

  maxErase(): number {
    let m = 0;
    for (let s = 0; s < this.count; s++) if (this.erase[s] > m) m = this.erase[s];
    return m;
  }
}
