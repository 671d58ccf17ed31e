// ISO/IEC 7816-3 T=1 blocks as the NXP SE05x carries them over I2C (NXP UM11225 "NXP SE05x
// T=1 Over I2C Specification", §2.1 block structure):
//   prologue NAD (1) | PCB (1) | LEN (1, 0..254) | INF (LEN bytes) | epilogue CRC (2)
// - NAD (§2.1.1.1): 0x5A from the host (HD) to the SE, 0xA5 from the SE to the host.
// - PCB (§2.1.1.2): I-block 0 N(S) M 00000 (N(S) bit 6 = 0x40, more-data bit 5 = 0x20);
//   R-block 1 0 0 N(R) 00 EE (N(R) bit 4 = 0x10; EE 00 no error, 01 CRC error, 10 other);
//   S-block 1 1 R/S SSSSS (0xC0 | type for a request, 0xE0 | type for the response);
//   types used here: RESYNCH 00, IFS 01, ABORT 02, WTX 03, END OF APDU SESSION 05, CHIP RESET 06,
//   GET ATR 07, INTERFACE SOFT RESET 0F (§2.1.1.2.3).
// - CRC (§2.1.1.4): CRC-16 of ISO/IEC 13239 over NAD..INF (reflected polynomial 0x8408, initial
//   value 0xFFFF, final XOR 0xFFFF, i.e. CRC-16/X-25), sent low byte first. The byte order was
//   checked against NXP's published Plug & Trust host library (T1oI2C), since our copy of the
//   manual's figure does not show byte values.
// Used by the SE050 driver (hal/drivers/se050-link.ts); the SE050 model checks blocks on its own.
import { Bytes, alloc, get, len, set, toHex } from "../bytes/index";
import { fail } from "../errors";

/** Node address byte from the host to the SE. */
export const NAD_HOST = 0x5a;
/** Node address byte from the SE to the host. */
export const NAD_SE = 0xa5;
/** Largest INF field (IFSC / IFSD default, UM11225 §2.1.1.3: LEN is one byte, 0xFF reserved). */
export const T1_MAX_INF = 254;
/** Prologue plus epilogue bytes around INF. */
export const T1_OVERHEAD = 5;

export const PCB_I_SEQ = 0x40;
export const PCB_I_MORE = 0x20;
export const PCB_R = 0x80;
export const PCB_R_SEQ = 0x10;
export const R_OK = 0;
export const R_CRC_ERROR = 1;
export const R_OTHER_ERROR = 2;
export const PCB_S_REQ = 0xc0;
export const PCB_S_RESP = 0xe0;
export const S_RESYNCH = 0x00;
export const S_IFS = 0x01;
export const S_ABORT = 0x02;
export const S_WTX = 0x03;
export const S_END_SESSION = 0x05;
export const S_CHIP_RESET = 0x06;
export const S_GET_ATR = 0x07;
export const S_SOFT_RESET = 0x0f;

/** Kinds of T=1 blocks. */
export type BlockKind = "I" | "R" | "S";

export interface T1Block {
  nad: number;
  pcb: number;
  kind: BlockKind;
  /** I-block: N(S) (0/1); R-block: N(R); S-block: 0. */
  seq: number;
  /** I-block: more data follows (chaining). */
  more: boolean;
  /** R-block: R_OK, R_CRC_ERROR or R_OTHER_ERROR. */
  error: number;
  /** S-block: its type (S_RESYNCH …); response when `response`. */
  stype: number;
  response: boolean;
  inf: Bytes;
}

/** CRC-16/X-25 (ISO/IEC 13239) of `b[off..off+n)`, as a 16-bit number. */
export function crc16x25(b: Bytes, off: number, n: number): number {
  let crc = 0xffff;
  for (let i = off; i < off + n; i++) {
    crc = (crc ^ get(b, i)) >>> 0;
    for (let k = 0; k < 8; k++) crc = (crc & 1) !== 0 ? ((crc >>> 1) ^ 0x8408) >>> 0 : crc >>> 1;
  }
  return (crc ^ 0xffff) & 0xffff;
}

/** The whole block: NAD PCB LEN INF CRC (CRC low byte first). */
export function buildBlock(nad: number, pcb: number, inf: Bytes): Bytes {
  const n = len(inf);
  if (n > T1_MAX_INF) fail("t1", "INF of " + n + " bytes exceeds " + T1_MAX_INF);
  const b = alloc(n + T1_OVERHEAD);
  set(b, 0, nad & 0xff);
  set(b, 1, pcb & 0xff);
  set(b, 2, n);
  for (let i = 0; i < n; i++) set(b, 3 + i, get(inf, i));
  const crc = crc16x25(b, 0, n + 3);
  set(b, n + 3, crc & 0xff);
  set(b, n + 4, crc >>> 8);
  return b;
}

/** PCB of an I-block with send sequence `seq` (0/1), `more` when chaining. */
export function pcbI(seq: number, more: boolean): number {
  return (seq !== 0 ? PCB_I_SEQ : 0) | (more ? PCB_I_MORE : 0);
}

/** PCB of an R-block asking for the block with sequence `seq`, with error code `error`. */
export function pcbR(seq: number, error: number): number {
  return PCB_R | (seq !== 0 ? PCB_R_SEQ : 0) | (error & 3);
}

/** PCB of an S-block request or response of type `stype`. */
export function pcbS(stype: number, response: boolean): number {
  return (response ? PCB_S_RESP : PCB_S_REQ) | (stype & 0x1f);
}

/** Reads PCB into a block description (INF, NAD given). */
export function describe(nad: number, pcb: number, inf: Bytes): T1Block {
  const blk: T1Block = { nad: nad, pcb: pcb, kind: "I", seq: 0, more: false, error: 0, stype: 0, response: false, inf: inf };
  if ((pcb & 0x80) === 0) {
    blk.seq = (pcb & PCB_I_SEQ) !== 0 ? 1 : 0;
    blk.more = (pcb & PCB_I_MORE) !== 0;
  } else if ((pcb & 0xc0) === 0x80) {
    blk.kind = "R";
    blk.seq = (pcb & PCB_R_SEQ) !== 0 ? 1 : 0;
    blk.error = pcb & 3;
  } else {
    blk.kind = "S";
    blk.stype = pcb & 0x1f;
    blk.response = (pcb & 0x20) !== 0;
  }
  return blk;
}

/** Parses one whole block; a wrong length or CRC is a PosrtError naming it. */
export function parseBlock(b: Bytes): T1Block {
  const n = len(b);
  if (n < T1_OVERHEAD) fail("t1", "block of " + n + " bytes is shorter than " + T1_OVERHEAD);
  const l = get(b, 2);
  if (l > T1_MAX_INF) fail("t1", "LEN 0x" + toHex(b, 2, 1) + " exceeds " + T1_MAX_INF);
  if (n !== l + T1_OVERHEAD) fail("t1", "LEN " + l + " needs " + (l + T1_OVERHEAD) + " bytes, got " + n);
  const crc = crc16x25(b, 0, l + 3);
  if ((crc & 0xff) !== get(b, l + 3) || crc >>> 8 !== get(b, l + 4)) fail("t1", "CRC " + toHex(b, l + 3, 2) + " does not match");
  const inf = alloc(l);
  for (let i = 0; i < l; i++) set(inf, i, get(b, 3 + i));
  return describe(get(b, 0), get(b, 1), inf);
}
