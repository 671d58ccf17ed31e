// Reading records back: retried reads, CRC check with single-bit correction (ecc.ts), and a
// search over single-bit errors of the length field (which the CRC cannot locate by itself,
// since it decides how many bytes the CRC covers).
import { Bytes, crc32, get, readU32, set } from "../bytes/index";
import { FLASH_OK, Flash } from "../../hal/flash";
import { Correction, ECC_CLEAN, ECC_CORRECTED, checkCorrect } from "./ecc";
import {
  MAX_PAYLOAD_BYTES, RECORD_HEAD_BYTES, RECORD_OVERHEAD_BYTES, REC_LAST, REC_TXN, recordPayloadLength, recordSpan, recordType,
} from "./format";
import { Buffers, Layout } from "./layout";
import { RamIndex } from "./ram-index";

/** Reads retried before a place counts as unreadable (read errors may be transient). */
export const READ_RETRIES = 3;
/** Length-field bits searched when a record fails its CRC. */
const LEN_BITS = 12;

export const RD_OK = 0;
export const RD_CORRECTED = 1;
export const RD_BAD = 2;
export const RD_UNREADABLE = 3;

/** Read access to the region (recovery, walks, the running journal). */
export interface Scan {
  flash: Flash;
  l: Layout;
  b: Buffers;
  idx: RamIndex;
}

/** Reads `n` bytes at `addr` into rbuf[off..]; retried; false when still failing. */
export function tryRead(sc: Scan, addr: number, n: number, off: number): boolean {
  return readInto(sc, addr, sc.b.rbuf, off, n);
}

export function readInto(sc: Scan, addr: number, buf: Bytes, off: number, n: number): boolean {
  for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
    sc.idx.report.bytes_read += n;
    if (sc.flash.read(addr, buf, off, n) === FLASH_OK) return true;
    sc.idx.report.read_retries++;
  }
  return false;
}

function typeOk(b: Bytes): boolean {
  const t = recordType(b, 0);
  return t >= REC_TXN && t <= REC_LAST;
}

function fits(sc: Scan, n: number, room: number): boolean {
  return n <= MAX_PAYLOAD_BYTES && RECORD_OVERHEAD_BYTES + n <= sc.l.maxRecord && recordSpan(n, sc.l.g.prog_bytes) <= room;
}

/**
 * Reads the record at `addr` (at most `room` bytes long) into rbuf and checks it. RD_OK,
 * RD_CORRECTED (one bit fixed in rbuf, place in `c`), RD_BAD (damaged, torn, erased or not
 * a record) or RD_UNREADABLE. With `haveHead` the head is already in rbuf.
 */
export function readChecked(sc: Scan, addr: number, room: number, haveHead: boolean, c: Correction): number {
  const rbuf = sc.b.rbuf;
  c.mask = 0;
  if (room < RECORD_OVERHEAD_BYTES) return RD_BAD;
  if (!haveHead && !tryRead(sc, addr, RECORD_HEAD_BYTES, 0)) return RD_UNREADABLE;
  const n = recordPayloadLength(rbuf, 0);
  if (fits(sc, n, room)) {
    if (!tryRead(sc, addr + RECORD_HEAD_BYTES, n + 4, RECORD_HEAD_BYTES)) return RD_UNREADABLE;
    const r = checkCorrect(rbuf, 0, RECORD_HEAD_BYTES + n, c);
    if (r === ECC_CLEAN && typeOk(rbuf)) return RD_OK;
    if (r === ECC_CORRECTED && typeOk(rbuf) && recordPayloadLength(rbuf, 0) === n) return RD_CORRECTED;
    if (r === ECC_CORRECTED) set(rbuf, c.byte, get(rbuf, c.byte) ^ c.mask);
  }
  return lengthSearch(sc, addr, room, c);
}

/** Tries every single-bit change of the length field; a candidate must match its CRC exactly. */
function lengthSearch(sc: Scan, addr: number, room: number, c: Correction): number {
  const rbuf = sc.b.rbuf;
  const n0 = recordPayloadLength(rbuf, 0);
  const typeBits = get(rbuf, 0) - (get(rbuf, 0) % 16);
  for (let bit = 0; bit < LEN_BITS; bit++) {
    const mask = 1 << bit;
    const n = (n0 & mask) !== 0 ? n0 - mask : n0 + mask;
    if (!fits(sc, n, room)) continue;
    set(rbuf, 0, typeBits + Math.floor(n / 256));
    set(rbuf, 1, n % 256);
    if (!tryRead(sc, addr + RECORD_HEAD_BYTES, n + 4, RECORD_HEAD_BYTES)) return RD_UNREADABLE;
    if (typeOk(rbuf) && readU32(rbuf, RECORD_HEAD_BYTES + n) === crc32(rbuf, 0, RECORD_HEAD_BYTES + n)) {
      c.byte = bit < 8 ? 1 : 0;
      c.mask = 1 << (bit % 8);
      return RD_CORRECTED;
    }
  }
  set(rbuf, 0, typeBits + Math.floor(n0 / 256));
  set(rbuf, 1, n0 % 256);
  return RD_BAD;
}

/** True when a whole valid record (possibly after a one-bit correction) starts at `addr`. */
export function validRecordAt(sc: Scan, addr: number, room: number, haveHead: boolean, c: Correction): boolean {
  const r = readChecked(sc, addr, room, haveHead, c);
  return r === RD_OK || r === RD_CORRECTED;
}
