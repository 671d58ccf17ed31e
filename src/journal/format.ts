// On-flash format of the journal: sector headers and records.
//
// Sector header (at offset 0, written right after the sector is erased, when it becomes the head):
//   magic "PJ" | version | 0 | seq u32 | erase_count u32 | low u32 | prev_seq u32 | prev_end u16 | crc u32
//   seq: order in which sectors became the head; prev_seq/prev_end: the sector this one continues
//   and where that sector's valid data ends; low: oldest sector seq still live when this opened.
// Record: len u16 (payload bytes) | type u8 | seq u32 | CBOR payload | crc u32 (over all before it).
// An erased record slot reads len 0xFFFF; a head of 00 00 00 starts a filler (see isFiller).
// Multi-byte integers are big-endian.
import { Bytes, crc32, get, readU16, readU32, set, writeU16, writeU32 } from "../bytes/index";

export const SECTOR_MAGIC_0 = 0x50;
export const SECTOR_MAGIC_1 = 0x4a;
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 26;
export const HEADER_CRC_AT = 22;
export const RECORD_HEAD_BYTES = 7;
export const RECORD_CRC_BYTES = 4;
export const RECORD_OVERHEAD_BYTES = RECORD_HEAD_BYTES + RECORD_CRC_BYTES;
/** Largest CBOR payload of one record. */
export const MAX_PAYLOAD_BYTES = 640;
export const MAX_RECORD_BYTES = RECORD_OVERHEAD_BYTES + MAX_PAYLOAD_BYTES;
/** Largest sector the u16 offsets can describe. */
export const MAX_SECTOR_BYTES = 32768;
export const NO_END = 0xffff;
export const NO_SEQ = 0xffffffff;

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
}

/** Writes a sector header into `b[0..HEADER_BYTES)`. */
export function encodeHeader(b: Bytes, h: SectorHeader): void {
  set(b, 0, SECTOR_MAGIC_0);
  set(b, 1, SECTOR_MAGIC_1);
  set(b, 2, FORMAT_VERSION);
  set(b, 3, 0);
  writeU32(b, 4, h.seq);
  writeU32(b, 8, h.erase_count);
  writeU32(b, 12, h.low);
  writeU32(b, 16, h.prev_seq);
  writeU16(b, 20, h.prev_end);
  writeU32(b, HEADER_CRC_AT, crc32(b, 0, HEADER_CRC_AT));
}

/** The header in `b[0..HEADER_BYTES)`, or undefined when it is blank, torn or foreign. */
export function decodeHeader(b: Bytes): SectorHeader | undefined {
  if (get(b, 0) !== SECTOR_MAGIC_0 || get(b, 1) !== SECTOR_MAGIC_1 || get(b, 2) !== FORMAT_VERSION) return undefined;
  if (readU32(b, HEADER_CRC_AT) !== crc32(b, 0, HEADER_CRC_AT)) return undefined;
  return { seq: readU32(b, 4), erase_count: readU32(b, 8), low: readU32(b, 12), prev_seq: readU32(b, 16), prev_end: readU16(b, 20) };
}

/** Fills the record head for a payload of `n` bytes already at `b[RECORD_HEAD_BYTES..]` and appends the CRC; returns the record length. */
export function sealRecord(b: Bytes, type: number, seq: number, n: number): number {
  writeU16(b, 0, n);
  set(b, 2, type);
  writeU32(b, 3, seq);
  writeU32(b, RECORD_HEAD_BYTES + n, crc32(b, 0, RECORD_HEAD_BYTES + n));
  return RECORD_OVERHEAD_BYTES + n;
}

export function recordPayloadLength(b: Bytes, off: number): number {
  return readU16(b, off);
}

export function recordType(b: Bytes, off: number): number {
  return get(b, off + 2);
}

export function recordSeq(b: Bytes, off: number): number {
  return readU32(b, off + 3);
}

/**
 * Filler: after a restart the bytes after the last record may hold bits torn by the cut, so
 * they are programmed to 0 (legal on NOR, and it completes any half-programmed bit) and
 * skipped: a head of 00 00 00 (length 0, type 0) means "skip one filler span".
 */
export function isFiller(b: Bytes, off: number): boolean {
  return get(b, off) === 0 && get(b, off + 1) === 0 && get(b, off + 2) === 0;
}

/** True when the head at `off` announces a payload length and type this format can hold. */
export function plausibleHead(b: Bytes, off: number): boolean {
  const n = readU16(b, off);
  const t = get(b, off + 2);
  return n <= MAX_PAYLOAD_BYTES && t >= REC_TXN && t <= REC_LAST;
}

/** True when the whole record at `b[off..]` (head already plausible) has a matching CRC. */
export function recordCrcOk(b: Bytes, off: number): boolean {
  const n = readU16(b, off);
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
