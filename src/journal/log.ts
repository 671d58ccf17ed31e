// The append-only log on flash: the head sector, record sequence numbers, programming with
// read-back verification, opening fresh heads, and reading records back for the index.
// Nothing is ever rewritten; a sector that fails is abandoned (marked bad) for a fresh one.
import { Bytes, copy, fill, get, len } from "../bytes/index";
import { fail } from "../errors";
import { FLASH_OK, Flash, FlashGeometry } from "../../hal/flash";
import {
  FLAG_SEQ_SKIP, NO_SEQ, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, SectorHeader, encodeHeader, plausibleHead, recordCrcOk, recordPayloadLength,
  recordSpan, recordType, sealRecord,
} from "./format";
import { Correction } from "./ecc";
import { RD_CORRECTED, RD_OK, RD_UNREADABLE, readChecked, readInto } from "./reader";
import { Buffers, Layout, where } from "./layout";
import { Keys, newKeys, readKeys } from "./payload";
import { RamIndex } from "./ram-index";
import { SectorTable } from "./sectors";

/** The distinct refusal when a record cannot be written without dropping unsettled data. */
export const JOURNAL_FULL = "journal full — settle the batch";

/** Counters for benchmarks. */
export interface JournalStats {
  records: number;
  /** Of those, copies written by reclaim (or a corrected tail written again). */
  copy_records: number;
  payload_bytes: number;
  copy_payload_bytes: number;
  programmed_bytes: number;
  erases: number;
  reclaims: number;
  /** Single bits corrected on reads after recovery (the recovery report counts those it found). */
  read_corrections: number;
}

export class FlashLog {
  readonly flash: Flash;
  readonly g: FlashGeometry;
  readonly l: Layout;
  readonly b: Buffers;
  readonly idx: RamIndex;
  readonly sectors: SectorTable;
  readonly readOnly: boolean;
  head = -1;
  headPos = 0;
  nextSeq = 1;
  stats: JournalStats = { records: 0, copy_records: 0, payload_bytes: 0, copy_payload_bytes: 0, programmed_bytes: 0, erases: 0, reclaims: 0, read_corrections: 0 };
  private keys: Keys = newKeys();
  private c: Correction = { byte: 0, mask: 0 };
  /** The next header opened says its base_seq skips numbers on purpose. */
  private skipFlag: boolean;

  constructor(flash: Flash, l: Layout, b: Buffers, idx: RamIndex, readOnly: boolean) {
    this.flash = flash;
    this.g = l.g;
    this.l = l;
    this.b = b;
    this.idx = idx;
    this.sectors = idx.sectors;
    this.readOnly = readOnly;
    this.nextSeq = idx.lastSeq + 1 + idx.seqSkip;
    this.skipFlag = idx.seqSkip > 0;
  }

  /** Reads the record at `addr` into rbuf, checking type and CRC (one flipped bit is corrected, counted in stats); returns its payload length. */
  readRecord(addr: number, type: number): number {
    const rbuf = this.b.rbuf;
    const off = addr % this.g.sector_bytes;
    const r = readChecked(this, addr, this.g.sector_bytes - off, false, this.c);
    const at = "record at " + where(this.g, addr);
    if (r === RD_UNREADABLE) fail("journal", "flash read failed at " + where(this.g, addr));
    if (r !== RD_OK && r !== RD_CORRECTED) fail("journal", at + ": damaged (more than one bit), cannot be read");
    if (r === RD_CORRECTED) this.stats.read_corrections++;
    if (recordType(rbuf, 0) !== type) fail("journal", at + ": type " + recordType(rbuf, 0) + ", expected " + type);
    return recordPayloadLength(rbuf, 0);
  }

  readInto(addr: number, buf: Bytes, off: number, n: number): void {
    const rc = this.flash.read(addr, buf, off, n);
    this.idx.report.bytes_read += n;
    if (rc !== FLASH_OK) fail("journal", "flash read failed at " + where(this.g, addr) + " (code " + rc + ")");
  }

  /**
   * Appends the payload at wbuf[RECORD_HEAD_BYTES..+n) as one record; asserts it before it is
   * programmed and compares it after. A failing sector is abandoned and the record written
   * to a fresh head. Returns the record's address.
   */
  append(type: number, n: number, copyOf: boolean): number {
    const span = recordSpan(n, this.g.prog_bytes);
    const wbuf = this.b.wbuf;
    for (let attempt = 0; attempt <= this.g.sector_count; attempt++) {
      if (this.head < 0 || this.headPos + span > this.g.sector_bytes) this.advanceHead(this.headPos, this.head < 0 ? NO_SEQ : this.sectors.seq[this.head]);
      const sealed = sealRecord(wbuf, type, this.nextSeq, n);
      fill(wbuf, sealed, span - sealed, 0xff);
      this.assertRecord(type, n);
      const addr = this.head * this.g.sector_bytes + this.headPos;
      if (this.programVerified(addr, wbuf, span)) {
        this.nextSeq++;
        this.headPos += span;
        this.stats.records++;
        if (copyOf) {
          this.stats.copy_payload_bytes += n;
          this.stats.copy_records++;
        } else this.stats.payload_bytes += n;
        return addr;
      }
      this.sectors.bad[this.head] = 1;
      this.advanceHead(this.headPos, this.sectors.seq[this.head]);
    }
    return fail("journal", "flash worn out — " + this.sectors.badList().length + " bad sectors, record not written");
  }

  private assertRecord(type: number, n: number): void {
    const wbuf = this.b.wbuf;
    if (!plausibleHead(wbuf, 0) || !recordCrcOk(wbuf, 0)) fail("journal", "assertion: record about to be written is malformed");
    readKeys(type, wbuf, RECORD_HEAD_BYTES, n, this.keys, true);
  }

  /** Programs `buf[0..n)` at `addr` page by page, then reads it back and compares. */
  programVerified(addr: number, buf: Bytes, n: number): boolean {
    const page = this.g.page_bytes;
    let done = 0;
    const maxPieces = Math.ceil(n / page) + 1;
    for (let piece = 0; piece < maxPieces && done < n; piece++) {
      const a = addr + done;
      const chunk = Math.min(n - done, page - (a % page));
      if (this.flash.program(a, buf, done, chunk) !== FLASH_OK) return false;
      done += chunk;
      this.stats.programmed_bytes += chunk;
    }
    const rbuf = this.b.rbuf;
    if (!readInto(this, addr, rbuf, 0, n)) return false;
    for (let i = 0; i < n; i++) if (get(rbuf, i) !== get(buf, i)) return false;
    return true;
  }

  /** Closes the head (its data ends at `prevEnd`) and opens an erased sector as the new head. */
  advanceHead(prevEnd: number, prevSeq: number): void {
    if (this.readOnly) fail("journal", "opened read-only");
    for (let tries = 0; tries < this.g.sector_count; tries++) {
      const s = this.sectors.pickFree();
      if (s < 0) break;
      if (this.openSector(s, prevEnd, prevSeq)) return;
      this.sectors.bad[s] = 1;
    }
    const bad = this.sectors.badList().length;
    if (bad > 0) fail("journal", "flash worn out — " + bad + " of " + this.g.sector_count + " sectors bad, no erased sector left (erase counts up to " + this.sectors.maxErase() + ")");
    fail("journal", JOURNAL_FULL);
  }

  private openSector(s: number, prevEnd: number, prevSeq: number): boolean {
    this.stats.erases++;
    if (this.flash.erase(s) !== FLASH_OK) return false;
    const t = this.sectors;
    t.erase[s]++;
    const seq = this.idx.nextSectorSeq;
    const d = this.idx.durable;
    const h: SectorHeader = {
      seq: seq, erase_count: t.erase[s], low: t.oldestLiveSeq(-1, seq), prev_seq: prevSeq, prev_end: prevEnd, flags: this.skipFlag ? FLAG_SEQ_SKIP : 0,
      base_seq: this.nextSeq, stan_high: d.stan_high, batch: d.batch, closed: d.closed, bad: t.badList(),
    };
    const hbuf = this.b.hbuf;
    fill(hbuf, 0, len(hbuf), 0xff);
    encodeHeader(hbuf, h);
    // The seq is used up even when the header fails: a half-programmed header may still decode
    // (one missing bit is corrected), and two sectors must never share a seq.
    this.idx.nextSectorSeq++;
    if (!this.programVerified(s * this.g.sector_bytes, hbuf, len(hbuf))) return false;
    this.skipFlag = false;
    t.seq[s] = h.seq;
    t.low[s] = h.low;
    t.prevSeq[s] = prevSeq;
    t.prevEnd[s] = prevEnd;
    t.base[s] = h.base_seq;
    t.markLive(s);
    this.head = s;
    this.headPos = this.l.first;
    return true;
  }

  /** Programs the last record found again, in place (kept in wbuf by recovery): completes any bit a cut left half-programmed. */
  solidifyTail(at: number, span: number): void {
    if (!this.programVerified(at, this.b.wbuf, span)) fail("journal", "cannot re-program the last record at " + where(this.g, at));
  }

  /**
   * A reclaimed sector's header is retired (byte 0 programmed to zero), so stale records can
   * never come back, even if a newer sector becomes unreadable. Failure is harmless (the
   * sector is erased before reuse).
   */
  retireHeader(s: number): void {
    const n = this.g.prog_bytes;
    const hbuf = this.b.hbuf;
    fill(hbuf, 0, n, 0);
    this.flash.program(s * this.g.sector_bytes, hbuf, 0, n);
    this.stats.programmed_bytes += n;
  }

  /** Zero-fills `s` from `from` to `to` (whole filler spans) and makes `s` the head at `to`. */
  resumeAfterFiller(s: number, from: number, to: number): void {
    const wbuf = this.b.wbuf;
    fill(wbuf, 0, len(wbuf), 0);
    const base = s * this.g.sector_bytes;
    let at = from;
    for (let guard = 0; guard < this.g.sector_bytes && at < to; guard++) {
      const n = Math.min(to - at, len(wbuf));
      if (!this.programVerified(base + at, wbuf, n)) {
        this.sectors.bad[s] = 1;
        this.advanceHead(from, this.sectors.seq[s]);
        return;
      }
      at += n;
    }
    this.head = s;
    this.headPos = to;
  }
}

/** Keeps a copy of the record in rbuf (`span` bytes from `at`) in wbuf: the tail recovery found. */
export function keepTail(b: Buffers, span: number): void {
  const n = RECORD_OVERHEAD_BYTES + recordPayloadLength(b.rbuf, 0);
  copy(b.rbuf, 0, b.wbuf, 0, n);
  fill(b.wbuf, n, span - n, 0xff);
}
