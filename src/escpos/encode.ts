// A portable ESC/POS encoder: receipt lines in, printer bytes out. Commands used (Epson
// ESC/POS, as thermal receipt printers understand them):
//   ESC @        1B 40        initialise
//   ESC t n      1B 74 n      character code table (0 = PC437)
//   ESC a n      1B 61 n      justification (0 left, 1 centre)
//   ESC E n      1B 45 n      emphasised (bold) on/off
//   GS ! n       1D 21 n      character size (0x01 = double height)
//   LF           0A           print and feed one line
//   ESC d n      1B 64 n      print and feed n lines
//   GS V 66 n    1D 56 42 n   feed n and partial cut
//   FS &         1C 26        Chinese character mode (GB2312/GBK double-byte characters) on
//   FS .         1C 2E        Chinese character mode off (both on common 58 mm Chinese printers)
// Text is ASCII: anything else is printed as "?" (a UTF-8 sequence as one "?"), except in a
// line marked `g`: its GBK characters (one character per byte, as fields 44/59/63 hold them)
// go out as they are, between FS & and FS .
import { Bytes, alloc, get, len, set, slice } from "../bytes/index";
import { fail } from "../errors";
import { gbkSequenceBytes, hasHighByte } from "../text/gbk";

export const ESC = 0x1b;
export const GS = 0x1d;
export const LF = 0x0a;
export const FS = 0x1c;
/** Code table PC437 (USA, standard Europe). */
export const CODE_PAGE_PC437 = 0;
/** Most bytes one print job may have. */
export const MAX_JOB_BYTES = 4096;
/** Most lines one print job may have. */
export const MAX_JOB_LINES = 120;
/** Widest line the encoder accepts (a 80 mm printer has 48 columns in font A). */
export const MAX_COLUMNS = 64;

/** One receipt line: text, bold, double height, centred; `g`: text may hold GBK (printed in Chinese mode). */
export interface PrintLine {
  t: string;
  b?: boolean;
  d?: boolean;
  c?: boolean;
  g?: boolean;
}

/** Bytes of a GBK line: ASCII as is, whole GBK characters as their bytes, anything else "?"; at most `max` bytes. */
export function gbkBytes(s: string, max: number): number[] {
  const out: number[] = [];
  const at = (k: number): number => (k < s.length ? s.charCodeAt(k) : -1);
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c >= 32 && c < 127 ? c : 63);
      continue;
    }
    const n = gbkSequenceBytes(c, at(i + 1), at(i + 2), at(i + 3));
    if (n === 0 || out.length + n > max) {
      out.push(63);
      continue;
    }
    for (let k = 0; k < n; k++) out.push(s.charCodeAt(i + k));
    i += n - 1;
  }
  return out;
}

export interface JobOptions {
  /** Characters per line; longer text is cut. */
  columns: number;
  /** Blank lines fed before the cut. */
  feed: number;
  /** Paper cut at the end. */
  cut: boolean;
}

/** Printable ASCII of `s`: other characters become "?", a UTF-8 sequence (Lua) one "?". */
export function asciiOnly(s: string, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && c <= 0xbf) continue;
    out.push(c >= 32 && c < 127 ? c : 63);
  }
  return out;
}

/** Most bytes one line can take: three style commands on and off, the GBK brackets, the text, LF. */
const LINE_OVERHEAD_BYTES = 23;
/** Most bytes around the lines: initialise, code page, feed and cut. */
const JOB_OVERHEAD_BYTES = 9;

/** Writes into a buffer of `cap` bytes (the job's bound, at most MAX_JOB_BYTES) with a bound check. */
class Out {
  b: Bytes;
  n: number;
  cap: number;
  constructor(cap: number) {
    this.cap = cap;
    this.b = alloc(cap);
    this.n = 0;
  }
  put(v: number): void {
    if (this.n >= this.cap) fail("escpos", "print job above " + this.cap + " bytes");
    set(this.b, this.n, v);
    this.n++;
  }
  cmd(a: number, b: number, c: number): void {
    this.put(a);
    this.put(b);
    this.put(c);
  }
}

function encodeLine(o: Out, l: PrintLine, columns: number): void {
  const bold = l.b === true;
  const dbl = l.d === true;
  const centre = l.c === true;
  if (centre) o.cmd(ESC, 0x61, 1);
  if (bold) o.cmd(ESC, 0x45, 1);
  if (dbl) o.cmd(GS, 0x21, 1);
  const gbk = l.g === true && hasHighByte(l.t);
  if (gbk) {
    o.put(FS);
    o.put(0x26);
  }
  const text = gbk ? gbkBytes(l.t, columns) : asciiOnly(l.t, columns);
  for (let i = 0; i < text.length; i++) o.put(text[i]);
  if (gbk) {
    o.put(FS);
    o.put(0x2e);
  }
  o.put(LF);
  if (dbl) o.cmd(GS, 0x21, 0);
  if (bold) o.cmd(ESC, 0x45, 0);
  if (centre) o.cmd(ESC, 0x61, 0);
}

/** The ESC/POS bytes of a whole job: initialise, code page, the lines, feed, cut. */
export function encodeJob(lines: PrintLine[], jo: JobOptions): Bytes {
  if (lines.length > MAX_JOB_LINES) fail("escpos", lines.length + " lines, more than " + MAX_JOB_LINES);
  if (jo.columns < 8 || jo.columns > MAX_COLUMNS) fail("escpos", "columns must be 8.." + MAX_COLUMNS);
  if (jo.feed < 0 || jo.feed > 255) fail("escpos", "feed must be 0..255");
  // sized to the job, not to MAX_JOB_BYTES: on a small interpreter a buffer is one contiguous block
  const bound = JOB_OVERHEAD_BYTES + lines.length * (jo.columns + LINE_OVERHEAD_BYTES);
  const o = new Out(bound < MAX_JOB_BYTES ? bound : MAX_JOB_BYTES);
  o.put(ESC);
  o.put(0x40);
  o.cmd(ESC, 0x74, CODE_PAGE_PC437);
  for (let i = 0; i < lines.length; i++) encodeLine(o, lines[i], jo.columns);
  if (jo.cut) {
    o.put(GS);
    o.cmd(0x56, 0x42, jo.feed);
  } else if (jo.feed > 0) o.cmd(ESC, 0x64, jo.feed);
  return slice(o.b, 0, o.n);
}

/** Bytes of the ESC/GS commands the encoder writes, after the command byte (ESC @ has none). */
function argBytes(lead: number, cmd: number): number {
  if (lead === ESC && cmd === 0x40) return 0;
  if (lead === GS && cmd === 0x56) return 2;
  return 1;
}

/** The text lines of an encoder job (commands skipped): for console printers and tests. */
export function jobText(b: Bytes): string[] {
  const out: string[] = [];
  let line = "";
  const n = len(b);
  for (let i = 0; i < n && out.length < MAX_JOB_LINES; i++) {
    const c = get(b, i);
    if (c === ESC || c === GS) {
      i = i + 1 + (i + 1 < n ? argBytes(c, get(b, i + 1)) : 0);
    } else if (c === FS) {
      i = i + 1;
    } else if (c === LF) {
      out.push(line);
      line = "";
    } else line = line + String.fromCharCode(c);
  }
  if (line.length > 0) out.push(line);
  return out;
}
