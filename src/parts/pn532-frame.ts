// PN532 host-link frames (NXP UM0701-02 "PN532 User Manual", §6.2.1): the normal information
// frame PREAMBLE 00, START CODE 00 FF, LEN, LCS (LEN + LCS = 0 mod 256), TFI (D4 host to PN532,
// D5 back), data, DCS (TFI + data + DCS = 0 mod 256), POSTAMBLE 00; the ACK (00 00 FF 00 FF 00),
// the NACK (00 00 FF FF 00 00) and the syntax-error frame (LEN 01, TFI-position 7F).
// Used by the PN532 driver (hal/drivers/pn532.ts); the PN532 model checks frames on its own.
import { Bytes, alloc, get, len, set, toHex } from "../bytes/index";
import { fail } from "../errors";

/** Frame identifier of a frame from the host to the PN532. */
export const TFI_HOST = 0xd4;
/** Frame identifier of a frame from the PN532 to the host. */
export const TFI_PN532 = 0xd5;
/** TFI position of the application-level error frame. */
export const TFI_ERROR = 0x7f;
/** Most data bytes after TFI in a normal information frame (LEN counts TFI, at most 255). */
export const MAX_FRAME_DATA = 254;
/** Most leading bytes skipped before a start code (SPI reads and the preamble). */
export const MAX_PREAMBLE = 16;

export const ACK_HEX = "0000FF00FF00";
export const NACK_HEX = "0000FFFF0000";

/** Kinds of parsed frames. */
export type FrameKind = "info" | "ack" | "nack" | "error";

export interface ParsedFrame {
  kind: FrameKind;
  /** TFI of an information frame (0xD5 from the PN532); 0x7F for the error frame. */
  tfi: number;
  data: Bytes;
  /** Bytes of `frame` the frame used (through its postamble, when present). */
  used: number;
}

/** The normal information frame carrying `data` (command code and parameters) with `tfi`. */
export function buildFrame(data: Bytes, tfi: number): Bytes {
  const n = len(data);
  if (n < 1 || n > MAX_FRAME_DATA) fail("pn532", "frame data must be 1.." + MAX_FRAME_DATA + " bytes, got " + n);
  const f = alloc(n + 8);
  set(f, 0, 0x00);
  set(f, 1, 0x00);
  set(f, 2, 0xff);
  set(f, 3, n + 1);
  set(f, 4, (0x100 - (n + 1)) & 0xff);
  set(f, 5, tfi);
  let sum = tfi;
  for (let i = 0; i < n; i++) {
    const v = get(data, i);
    set(f, 6 + i, v);
    sum = sum + v;
  }
  set(f, 6 + n, (0x100 - (sum & 0xff)) & 0xff);
  set(f, 7 + n, 0x00);
  return f;
}

/** Index of the 00 FF start code in `f[0..)`, skipping up to MAX_PREAMBLE leading 00 bytes. */
function startCode(f: Bytes): number {
  const n = len(f);
  for (let i = 0; i + 1 < n && i <= MAX_PREAMBLE; i++) {
    if (get(f, i) === 0x00 && get(f, i + 1) === 0xff) return i + 2;
    if (get(f, i) !== 0x00) fail("pn532", "byte 0x" + toHex(f, i, 1) + " at " + i + " before the start code");
  }
  return fail("pn532", "no start code 00 FF");
}

/** Parses one frame from the PN532 (or the host): ACK, NACK, error or information frame. */
export function parseFrame(f: Bytes): ParsedFrame {
  const at = startCode(f);
  const n = len(f);
  if (at + 2 > n) fail("pn532", "frame cut after the start code");
  const l = get(f, at);
  const lcs = get(f, at + 1);
  if (l === 0x00 && lcs === 0xff) return { kind: "ack", tfi: 0, data: alloc(0), used: at + 3 > n ? n : at + 3 };
  if (l === 0xff && lcs === 0x00) return { kind: "nack", tfi: 0, data: alloc(0), used: at + 3 > n ? n : at + 3 };
  if (l === 0xff && lcs === 0xff) fail("pn532", "extended information frame not supported");
  if (((l + lcs) & 0xff) !== 0) fail("pn532", "length checksum: LEN 0x" + toHex(f, at, 1) + " + LCS 0x" + toHex(f, at + 1, 1) + " is not 0");
  if (at + 2 + l + 1 > n) fail("pn532", "frame cut: LEN " + l + " needs " + (at + 3 + l) + " bytes, got " + n);
  const tfi = get(f, at + 2);
  let sum = 0;
  for (let i = 0; i < l + 1; i++) sum = sum + get(f, at + 2 + i);
  if ((sum & 0xff) !== 0) fail("pn532", "data checksum: DCS 0x" + toHex(f, at + 2 + l, 1) + " does not match");
  const data = alloc(l - 1);
  for (let i = 0; i < l - 1; i++) set(data, i, get(f, at + 3 + i));
  const used = at + 3 + l < n ? at + 4 + l : at + 3 + l;
  if (l === 1 && tfi === TFI_ERROR) return { kind: "error", tfi: tfi, data: data, used: used };
  if (tfi !== TFI_HOST && tfi !== TFI_PN532) fail("pn532", "unknown TFI 0x" + toHex(f, at + 2, 1));
  return { kind: "info", tfi: tfi, data: data, used: used };
}
