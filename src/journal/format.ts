// On-flash format of the journal (version 3): sector headers and records.
//
// Sector header (at offset 0, written right after the sector is erased, when it becomes the head):
//   0 magic "PJ" | 2 version | 3 bad count | 4 seq u32 | 8 erase_count u32 | 12 low u32 | 16 prev_seq u32 |
//   20 prev_end u16 | 22 flags u16 | 24 base_seq u32 | 28 stan_high u32 | 32 batch u32 | 36 closed u32 |
//   40 bad sectors 4 x u16 | 48 crc u32
//   seq: order in which sectors became the head; prev_seq/prev_end: the sector this one continues
//   and where that sector's valid data ends; low: oldest sector seq still live when this opened;
//   base_seq: seq of the first record in this sector; stan_high/batch/closed: the counters as last
//   made durable (so they survive the loss of any one record or older sector); bad: sectors
//   known bad (remembered across restarts).
// Record: type<<12|len u16 (payload bytes) | seq u16 (low 16 bits of the record seq) | CBOR payload |
//   crc u32 (over all before it). The full seq is the one nearest the seq expected there (seqNear):
//   a sector holds at most sector_bytes / RECORD_OVERHEAD_BYTES records and its header carries the
//   full base_seq, so the 16 low bits are never ambiguous.
// Both CRCs correct a single flipped bit (ecc.ts). An erased record slot reads FF FF; a head of
// 00 00 00 00 starts a filler (see isFiller). A reclaimed sector's header gets byte 0 zeroed (retired). Multi-byte integers are big-endian.
import { Bytes, crc32, get, readU16, readU32, set, writeU16, writeU32 } from "../bytes/index";
import { Correction, ECC_FAILED, checkCorrect } from "./ecc";

export const SECTOR_MAGIC_0 = 0x50;
export const SECTOR_MAGIC_1 = 0x4a;
export const FORMAT_VERSION = 3;
export const HEADER_BYTES = 52;
export const HEADER_CRC_AT = 48;
/** Bad sectors a header remembers. */
export const HEADER_BAD_SLOTS = 4;
/** Header flag: base_seq skips numbers on purpose (records were lost before this sector opened). */
export const FLAG_SEQ_SKIP = 1;
export const RECORD_HEAD_BYTES = 4;
export const RECORD_CRC_BYTES = 4;
export const RECORD_OVERHEAD_BYTES = RECORD_HEAD_BYTES + RECORD_CRC_BYTES;
/** Largest CBOR payload of one record. */
export const MAX_PAYLOAD_BYTES = 640;
export const MAX_RECORD_BYTES = RECORD_OVERHEAD_BYTES + MAX_PAYLOAD_BYTES;
/** Largest sector the u16 offsets can describe. */
export const MAX_SECTOR_BYTES = 32768;
export const NO_END = 0xffff;
export const NO_SEQ = 0xffffffff;
const NO_BAD = 0xffff;

/** Record types. */
export const REC_TXN = 1;
export const REC_TXN_DELTA = 2;
export const REC_REV = 3;
export const REC_REV_UPD = 4;
export const REC_META = 5;
/** The app's records: an audit entry, a keyed blob. */
export const REC_AUDIT = 6;
export const REC_BLOB = 7;
export const REC_LAST = REC_BLOB;
export const RECORD_TYPE_NAMES = ["?", "txn", "txn-delta", "reversal", "reversal-update", "meta", "audit", "app-blob"];

/** A decoded sector header. */
export interface SectorHeader {
  seq: number;
  erase_count: number;
  low: number;
  prev_seq: number;
  prev_end: number;
  flags: number;
  base_seq: number;
  stan_high: number;
  batch: number;
  closed: number;
  /** Known bad sectors (at most HEADER_BAD_SLOTS). */
  bad: number[];
}

/** Writes a sector header into `b[0..HEADER_BYTES)`. */
export function encodeHeader(b: Bytes, h: SectorHeader): void {
  set(b, 0, SECTOR_MAGIC_0);
  set(b, 1, SECTOR_MAGIC_1);
  set(b, 2, FORMAT_VERSION);
  const nbad = Math.min(h.bad.length, HEADER_BAD_SLOTS);
  set(b, 3, nbad);
  writeU32(b, 4, h.seq);
  writeU32(b, 8, h.erase_count);
  writeU32(b, 12, h.low);
  writeU32(b, 16, h.prev_seq);
  writeU16(b, 20, h.prev_end);
  writeU16(b, 22, h.flags);
  writeU32(b, 24, h.base_seq);
  writeU32(b, 28, h.stan_high);
  writeU32(b, 32, h.batch);
  writeU32(b, 36, h.closed);
  for (let i = 0; i < HEADER_BAD_SLOTS; i++) writeU16(b, 40 + 2 * i, i < nbad ? h.bad[i] : NO_BAD);
  writeU32(b, HEADER_CRC_AT, crc32(b, 0, HEADER_CRC_AT));
}

/** True when `b[0..HEADER_BYTES)` is all erased (FF). */
export function headerErased(b: Bytes): boolean {
  for (let i = 0; i < HEADER_BYTES; i++) if (get(b, i) !== 0xff) return false;
  return true;
}

/**
 * The header in `b[0..HEADER_BYTES)` (a single flipped bit is corrected in place and noted in
 * `c`, c.mask 0 when clean), or undefined when it is blank, torn, damaged beyond one bit or foreign.
 */
export function decodeHeader(b: Bytes, c: Correction): SectorHeader | undefined {
  c.mask = 0;
  if (checkCorrect(b, 0, HEADER_CRC_AT, c) === ECC_FAILED) return undefined;
  if (get(b, 0) !== SECTOR_MAGIC_0 || get(b, 1) !== SECTOR_MAGIC_1 || get(b, 2) !== FORMAT_VERSION) return undefined;
  const bad: number[] = [];
  const nbad = Math.min(get(b, 3), HEADER_BAD_SLOTS);
  for (let i = 0; i < nbad; i++) bad.push(readU16(b, 40 + 2 * i));
  return {
    seq: readU32(b, 4), erase_count: readU32(b, 8), low: readU32(b, 12), prev_seq: readU32(b, 16), prev_end: readU16(b, 20),
    flags: readU16(b, 22), base_seq: readU32(b, 24), stan_high: readU32(b, 28), batch: readU32(b, 32), closed: readU32(b, 36), bad: bad,
  };
}

/** Fills the record head for a payload of `n` bytes already at `b[RECORD_HEAD_BYTES..]` and appends the CRC; returns the record length. */
export function sealRecord(b: Bytes, type: number, seq: number, n: number): number {
  writeU16(b, 0, type * 4096 + n);
  writeU16(b, 2, seq % 65536);
  writeU32(b, RECORD_HEAD_BYTES + n, crc32(b, 0, RECORD_HEAD_BYTES + n));
  return RECORD_OVERHEAD_BYTES + n;
}

export function recordPayloadLength(b: Bytes, off: number): number {
  return readU16(b, off) % 4096;
}

export function recordType(b: Bytes, off: number): number {
  return Math.floor(readU16(b, off) / 4096);
}

/** The record seq at `b[off..]`: the one nearest `expect` whose low 16 bits the record holds. */
export function recordSeq(b: Bytes, off: number, expect: number): number {
  return seqNear(readU16(b, off + 2), expect);
}

/** The number nearest `expect` (within -32768..+32767) whose low 16 bits are `low`. */
export function seqNear(low: number, expect: number): number {
  let d = (low - (expect % 65536) + 65536) % 65536;
  if (d >= 32768) d -= 65536;
  return expect + d;
}

/**
 * Filler: after a restart the bytes after the last record may hold bits torn by the cut, so
 * they are programmed to 0 (legal on NOR, and it completes any half-programmed bit) and
 * skipped: a head of four zero bytes means "skip one filler span" (a flipped bit there makes
 * it a bad record, which the scan skips without loss: the next record continues the sequence).
 */
export function isFiller(b: Bytes, off: number): boolean {
  return readU16(b, off) === 0 && readU16(b, off + 2) === 0;
}

/**
 * The format version of a whole, CRC-clean sector header of another format version (1, 2: the
 * record layout differs), or 0. Such a region is refused, never taken for erased and reused.
 */
export function otherFormatVersion(b: Bytes): number {
  if (get(b, 0) !== SECTOR_MAGIC_0 || get(b, 1) !== SECTOR_MAGIC_1 || get(b, 2) === FORMAT_VERSION) return 0;
  return readU32(b, HEADER_CRC_AT) === crc32(b, 0, HEADER_CRC_AT) ? get(b, 2) : 0;
}

/** A retired header (byte 0 zeroed after its sector was reclaimed, or a cut while zeroing it): its erase count, or -1. */
export function retiredEraseCount(b: Bytes): number {
  if (get(b, 0) === SECTOR_MAGIC_0 || (get(b, 0) & (SECTOR_MAGIC_0 ^ 0xff)) !== 0 || get(b, 1) !== SECTOR_MAGIC_1 || get(b, 2) !== FORMAT_VERSION) return -1;
  const n = readU32(b, 8);
  return n <= 100000000 ? n : -1;
}

/** True when the head at `off` is erased (FF FF FF FF). */
export function isErasedHead(b: Bytes, off: number): boolean {
  return readU16(b, off) === 0xffff && readU16(b, off + 2) === 0xffff;
}

/** True when the head at `off` announces a payload length and type this format can hold. */
export function plausibleHead(b: Bytes, off: number): boolean {
  const t = recordType(b, off);
  return recordPayloadLength(b, off) <= MAX_PAYLOAD_BYTES && t >= REC_TXN && t <= REC_LAST;
}

/** True when the whole record at `b[off..]` (head already plausible) has a matching CRC. */
export function recordCrcOk(b: Bytes, off: number): boolean {
  const n = recordPayloadLength(b, off);
  return readU32(b, off + RECORD_HEAD_BYTES + n) === crc32(b, off, RECORD_HEAD_BYTES + n);
}

/** Total bytes of a record with an `n`-byte payload, rounded up to the program granularity. */
export function recordSpan(n: number, prog_bytes: number): number {
  const raw = RECORD_OVERHEAD_BYTES + n;
  return Math.ceil(raw / prog_bytes) * prog_bytes;
}

/** First record offset in a sector. */
export function firstRecordOffset(prog_bytes: number): number {
  return Math.ceil(HEADER_BYTES / prog_bytes) * prog_bytes;
}
