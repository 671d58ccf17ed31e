// A 58 mm ESC/POS thermal receipt printer, byte for byte (Epson "ESC/POS Command Reference"):
// it parses what the host sends, renders the paper as text lines with their print modes, cuts
// receipts, runs out of paper, and answers the status requests DLE EOT n (real time, even while
// stopped) and GS r 1. Out of paper it stops: bytes wait in its receive buffer (nothing is lost)
// and printing continues when paper is loaded. The browser emulator renders receipts with it:
// `receive(bytes)` in, `receipts()` / `text()` out.
// Chinese mode (FS & on, FS . off, as GBK printers take them): a byte 0x81..0xFE starts a GBK
// character (two bytes; a GB18030 four-byte one is taken whole too) printed as one full-width
// glyph over two columns. The paper line keeps such characters byte-exact (one character per
// byte in `text`, `gbk` set: a viewer with a GBK decoder shows them, src/ has none); a malformed
// sequence prints "?" and is reported.
import { Bytes, get, len } from "../bytes/index";
import { gbkSequenceBytes } from "../text/gbk";
import { Align, CUT_LINE, ESCPOS_COLUMNS, PaperLine, hex2, renderLine } from "./escpos-paper";

export { Align, CUT_LINE, ESCPOS_COLUMNS, PaperLine, renderLine };

/** Receive buffer of the printer (bytes held while it is stopped). */
export const ESCPOS_BUFFER_BYTES = 4096;
/** Receipts kept for `receipts()`; older ones are dropped first. */
export const MAX_RECEIPTS = 64;
/** Lines kept per receipt. */
export const MAX_RECEIPT_LINES = 256;
/** Parse errors kept for `errors()`. */
export const MAX_ERRORS = 32;

const LF = 0x0a;
const HT = 0x09;
const CR = 0x0d;
const ESC = 0x1b;
const GS = 0x1d;
const DLE = 0x10;
const EOT = 0x04;
const FS = 0x1c;

export interface Receipt {
  lines: PaperLine[];
  /** True once the paper was cut after it. */
  cut: boolean;
}

export interface EscPosPrinterOptions {
  /** Lines of paper left on the roll (undefined: endless). */
  paper_lines?: number;
  /** Lines left when the near-end sensor trips. */
  near_end_lines?: number;
  /** Status bytes the printer sends back (DLE EOT, GS r). */
  onReply?: (this: void, byte: number) => void;
}

/** Parameter bytes each command takes (after ESC x / GS x); -1 = not a command we know. */
function paramCount(prefix: number, cmd: number, first: number): number {
  if (prefix === ESC) {
    if (cmd === 0x40) return 0; // ESC @ initialize
    if (cmd === 0x45 || cmd === 0x21 || cmd === 0x61 || cmd === 0x64 || cmd === 0x4a) return 1; // E ! a d J
    if (cmd === 0x2d || cmd === 0x33 || cmd === 0x74 || cmd === 0x4d || cmd === 0x47 || cmd === 0x52) return 1; // - 3 t M G R
    if (cmd === 0x32) return 0; // ESC 2
    return -1;
  }
  if (cmd === 0x21 || cmd === 0x42 || cmd === 0x72 || cmd === 0x61) return 1; // GS ! B r a
  if (cmd === 0x56) return first === 65 || first === 66 ? 2 : 1; // GS V m [n]
  return -1;
}

export class EscPosPrinter {
  private o: EscPosPrinterOptions;
  private done: Receipt[] = [];
  private cur: PaperLine[] = [];
  private buf: number[] = [];
  private textParts: string[] = [];
  /** Columns the line buffer fills (a GBK character takes two). */
  private cols = 0;
  private lineGbk = false;
  /** Chinese character mode (FS &). */
  private zh = false;
  private bold = false;
  private dh = false;
  private dw = false;
  private align: Align = "left";
  private paper: number;
  private rt = 0;
  private errs: string[] = [];
  /** Lines printed since power-on. */
  printed = 0;

  constructor(o: EscPosPrinterOptions) {
    this.o = o;
    this.paper = o.paper_lines === undefined ? -1 : o.paper_lines;
  }

  /** Bytes from the host, in order. */
  receive(data: Bytes, off: number, n: number): void {
    for (let i = 0; i < n; i++) this.receiveByte(get(data, off + i));
  }

  /**
   * One byte from the host. DLE EOT n is answered the moment it arrives, even while printing is
   * stopped, and does not enter the buffer (a parameter byte equal to DLE followed by EOT is
   * taken as one too, as the ESC/POS reference warns).
   */
  receiveByte(b: number): void {
    if (this.rt === 2) {
      this.rt = 0;
      this.realTime(b);
      return;
    }
    if (this.rt === 1) {
      this.rt = 0;
      if (b === EOT) {
        this.rt = 2;
        return;
      }
      this.buffer(DLE);
    }
    if (b === DLE) {
      this.rt = 1;
      return;
    }
    this.buffer(b);
  }

  private buffer(b: number): void {
    if (this.buf.length >= ESCPOS_BUFFER_BYTES) {
      this.error("receive buffer overflow: byte dropped");
      return;
    }
    this.buf.push(b);
    this.run();
  }

  /** True when the roll is empty and printing has stopped. */
  paperOut(): boolean {
    return this.paper === 0;
  }

  /** A new roll with `lines` lines; printing continues with what waited in the buffer. */
  loadPaper(lines: number): void {
    this.paper = lines;
    this.run();
  }

  /** Receipts so far: the cut ones, then the one being printed (if it has lines). */
  receipts(): Receipt[] {
    const out: Receipt[] = [];
    for (let i = 0; i < this.done.length; i++) out.push(this.done[i]);
    if (this.cur.length > 0) out.push({ lines: this.cur, cut: false });
    return out;
  }

  /** Every receipt rendered as text lines, a cut as "--------- cut ---------". */
  text(): string[] {
    const out: string[] = [];
    const all = this.receipts();
    for (let r = 0; r < all.length; r++) {
      for (let i = 0; i < all[r].lines.length; i++) out.push(renderLine(all[r].lines[i]));
      if (all[r].cut) out.push(CUT_LINE);
    }
    return out;
  }

  /** What the printer could not parse (unknown commands, overflow), oldest first. */
  errors(): string[] {
    return this.errs;
  }

  /** Bytes still waiting in the receive buffer (while out of paper). */
  pending(): number {
    return this.buf.length;
  }

  private error(msg: string): void {
    if (this.errs.length < MAX_ERRORS) this.errs.push(msg);
  }

  private reply(b: number): void {
    if (this.o.onReply !== undefined) this.o.onReply(b);
  }

  private nearEnd(): boolean {
    return this.paper >= 0 && this.o.near_end_lines !== undefined && this.paper <= this.o.near_end_lines;
  }

  /** DLE EOT n: 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
  private realTime(n: number): void {
    const out = this.paperOut();
    if (n === 1) this.reply(0x12 | (out ? 0x08 : 0));
    else if (n === 2) this.reply(0x12 | (out ? 0x20 : 0));
    else if (n === 3) this.reply(0x12);
    else if (n === 4) this.reply(0x12 | (this.nearEnd() || out ? 0x0c : 0) | (out ? 0x60 : 0));
  }

  /** Executes buffered bytes until the buffer is empty, a command is incomplete, or paper ends. */
  private run(): void {
    while (this.buf.length > 0) {
      const b = this.buf[0];
      let used = 1;
      if (b === ESC || b === GS) used = this.command(b);
      else if (b === FS) used = this.fs();
      else if (b >= 0x80 && this.zh) used = this.gbkChar();
      else if (b === LF) {
        if (!this.printLine()) return;
      } else if (b === HT) this.tab();
      else if (b >= 0x20 && b <= 0x7e) this.put(String.fromCharCode(b));
      else if (b !== CR) this.error("unknown control byte 0x" + hex2(b));
      if (used === 0) return;
      for (let i = 0; i < used; i++) this.buf.shift();
    }
  }

  /** Runs ESC/GS x at the head of the buffer; returns bytes used (0: wait for more or paper). */
  private command(prefix: number): number {
    if (this.buf.length < 2) return 0;
    const cmd = this.buf[1];
    const np = paramCount(prefix, cmd, this.buf.length > 2 ? this.buf[2] : -1);
    if (np < 0) {
      this.error("unknown command " + (prefix === ESC ? "ESC" : "GS") + " 0x" + hex2(cmd));
      return 2;
    }
    if (this.buf.length < 2 + np) return 0;
    const p = np > 0 ? this.buf[2] : 0;
    if (prefix === ESC) return this.esc(cmd, p) ? 2 + np : 0;
    return this.gs(cmd, p) ? 2 + np : 0;
  }

  /** FS & / FS . at the head of the buffer (Chinese mode on / off); bytes used, 0 to wait. */
  private fs(): number {
    if (this.buf.length < 2) return 0;
    const cmd = this.buf[1];
    if (cmd === 0x26) this.zh = true;
    else if (cmd === 0x2e) this.zh = false;
    else this.error("unknown command FS 0x" + hex2(cmd));
    return 2;
  }

  /** A GBK character at the head of the buffer in Chinese mode; bytes used, 0 to wait for the rest. */
  private gbkChar(): number {
    const bf = this.buf;
    const at = (k: number): number => (k < bf.length ? bf[k] : -1);
    if (bf.length < 2) return 0;
    const four = bf[1] >= 0x30 && bf[1] <= 0x39;
    if (four && (bf.length === 2 || (bf.length === 3 && bf[2] >= 0x81 && bf[2] <= 0xfe))) return 0;
    const n = gbkSequenceBytes(bf[0], at(1), at(2), at(3));
    if (n === 0) {
      this.error("bad GBK sequence 0x" + hex2(bf[0]) + " 0x" + hex2(bf[1]) + ": printed as ?");
      this.put("?");
      return 1;
    }
    let ch = "";
    for (let i = 0; i < n; i++) ch = ch + String.fromCharCode(bf[i]);
    this.putWide(ch);
    return n;
  }

  private esc(cmd: number, p: number): boolean {
    if (cmd === 0x40) this.reset();
    else if (cmd === 0x45) this.bold = (p & 1) === 1;
    else if (cmd === 0x21) {
      this.bold = (p & 0x08) !== 0;
      this.dh = (p & 0x10) !== 0;
      this.dw = (p & 0x20) !== 0;
    } else if (cmd === 0x61) this.align = p === 1 || p === 49 ? "center" : p === 2 || p === 50 ? "right" : "left";
    else if (cmd === 0x64) return this.feedLines(p);
    return true;
  }

  private gs(cmd: number, p: number): boolean {
    if (cmd === 0x21) {
      this.dw = (p >>> 4) > 0;
      this.dh = (p & 0x0f) > 0;
    } else if (cmd === 0x72 && (p === 1 || p === 49)) this.reply(this.paperOut() ? 0x0c : this.nearEnd() ? 0x03 : 0x00);
    else if (cmd === 0x56) this.cut();
    return true;
  }

  private reset(): void {
    this.bold = false;
    this.dh = false;
    this.dw = false;
    this.align = "left";
    this.zh = false;
  }

  private lineWidth(): number {
    return this.dw ? Math.floor(ESCPOS_COLUMNS / 2) : ESCPOS_COLUMNS;
  }

  /** Makes room for `w` columns (prints the line when it is full); false when paper ran out. */
  private room(w: number): boolean {
    if (this.cols + w <= this.lineWidth()) return true;
    if (this.printLine()) return true;
    this.error("paper ran out while a line wrapped");
    return false;
  }

  private put(ch: string): void {
    if (!this.room(1)) return;
    this.textParts.push(ch);
    this.cols = this.cols + 1;
  }

  /** A full-width GBK character (its bytes as one-byte characters), two columns. */
  private putWide(bytes: string): void {
    if (!this.room(2)) return;
    this.textParts.push(bytes);
    this.cols = this.cols + 2;
    this.lineGbk = true;
  }

  private tab(): void {
    const next = (Math.floor(this.cols / 8) + 1) * 8;
    for (let i = this.cols; i < next && i < this.lineWidth(); i++) {
      this.textParts.push(" ");
      this.cols = this.cols + 1;
    }
  }

  /** Prints the line buffer (LF); false when there is no paper (the LF stays in the buffer). */
  private printLine(): boolean {
    const need = this.dh ? 2 : 1;
    if (this.paper >= 0 && this.paper < need) {
      this.paper = 0;
      return false;
    }
    if (this.paper > 0) this.paper = this.paper - need;
    if (this.cur.length < MAX_RECEIPT_LINES) {
      this.cur.push({ text: this.textParts.join(""), bold: this.bold, double_height: this.dh, double_width: this.dw, align: this.align, gbk: this.lineGbk });
    } else this.error("receipt longer than " + MAX_RECEIPT_LINES + " lines");
    this.textParts = [];
    this.cols = 0;
    this.lineGbk = false;
    this.printed = this.printed + 1;
    return true;
  }

  /** ESC d n: prints the buffer and feeds n lines in all. */
  private feedLines(n: number): boolean {
    const saved = this.bold;
    for (let i = 0; i < n && i < 255; i++) if (!this.printLine()) return false;
    this.bold = saved;
    return true;
  }

  private cut(): void {
    if (this.textParts.length > 0 && !this.printLine()) return;
    this.done.push({ lines: this.cur, cut: true });
    if (this.done.length > MAX_RECEIPTS) this.done.shift();
    this.cur = [];
  }
}
