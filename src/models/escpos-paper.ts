// The paper of the ESC/POS printer model (src/models/escpos-printer.ts): its lines and their
// text rendering (alignment, print-mode marks, GBK characters).
import { gbkSequenceBytes } from "../text/gbk";

/** Characters per line in font A on 58 mm paper (384 dots / 12). */
export const ESCPOS_COLUMNS = 32;

export type Align = "left" | "center" | "right";

/** One printed line of paper. */
export interface PaperLine {
  text: string;
  bold: boolean;
  double_height: boolean;
  double_width: boolean;
  align: Align;
  /** True when `text` holds GBK characters (their bytes, one character per byte; each is two columns wide). */
  gbk: boolean;
}

export const CUT_LINE = "--------- cut ---------";

export function hex2(b: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((b >>> 4) & 15) + d.charAt(b & 15);
}

/** Most bytes of one paper line's text (a full line of four-byte characters). */
const MAX_LINE_BYTES = 2 * ESCPOS_COLUMNS;

/** A line's text with each GBK character drawn as "##" (the two columns its glyph covers), and its bytes in hex. */
function gbkColumns(s: string): { t: string; hex: string } {
  let t = "";
  let hex = "";
  const at = (k: number): number => (k < s.length ? s.charCodeAt(k) : -1);
  for (let i = 0; i < s.length && i < MAX_LINE_BYTES; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      t = t + s.charAt(i);
      continue;
    }
    const n = gbkSequenceBytes(c, at(i + 1), at(i + 2), at(i + 3));
    const w = n > 0 ? n : 1;
    t = t + "##";
    hex = hex + (hex.length > 0 ? " " : "");
    for (let k = 0; k < w; k++) hex = hex + hex2(s.charCodeAt(i + k));
    i += w - 1;
  }
  return { t: t, hex: hex };
}

/**
 * A paper line as text: aligned in its width, then marks "  [B]" bold, "[2H]", "[2W]", and for
 * a line with GBK characters (each drawn "##") "[GBK D6D0 B9FA]": their bytes, for a decoder.
 */
export function renderLine(l: PaperLine): string {
  const width = l.double_width ? Math.floor(ESCPOS_COLUMNS / 2) : ESCPOS_COLUMNS;
  const g = l.gbk ? gbkColumns(l.text) : { t: l.text, hex: "" };
  const t = g.t;
  const room = width - t.length > 0 ? width - t.length : 0;
  const left = l.align === "center" ? Math.floor(room / 2) : l.align === "right" ? room : 0;
  const parts: string[] = [];
  for (let i = 0; i < left; i++) parts.push(" ");
  parts.push(t);
  let marks = "";
  if (l.bold) marks = marks + "[B]";
  if (l.double_height) marks = marks + "[2H]";
  if (l.double_width) marks = marks + "[2W]";
  if (g.hex.length > 0) marks = marks + "[GBK " + g.hex + "]";
  if (marks.length > 0) {
    for (let i = left + t.length; i < width; i++) parts.push(" ");
    parts.push(" " + marks);
  }
  return parts.join("");
}
