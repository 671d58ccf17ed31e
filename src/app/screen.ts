// Display rows: fixed SCREEN_ROWS x SCREEN_COLS of ASCII, built line by line, words wrapped.
import { SCREEN_COLS, SCREEN_ROWS } from "./types";
import { formatAmount } from "../txn/time";

/** Printable ASCII of `s` (a UTF-8 or UTF-16 dash or other symbol becomes "-"), same on every runtime. */
export function plain(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && c <= 0xbf) continue;
    out = out + (c >= 32 && c < 127 ? s.charAt(i) : "-");
  }
  return out;
}

/** `s` cut or padded with spaces to `n` characters. */
export function fit(s: string, n: number): string {
  let t = s.length > n ? s.substring(0, n) : s;
  for (let i = t.length; i < n; i++) t = t + " ";
  return t;
}

/** `left` and `right` on one row, right-aligned. */
export function both(left: string, right: string): string {
  const room = SCREEN_COLS - right.length;
  return fit(left, room < 0 ? 0 : room) + right;
}

export function centre(s: string): string {
  if (s.length >= SCREEN_COLS) return s.substring(0, SCREEN_COLS);
  const pad = Math.floor((SCREEN_COLS - s.length) / 2);
  return fit("", pad) + s;
}

/** Money as "12.34" (negative with a "-"). */
export function money(amount_minor: number): string {
  return amount_minor < 0 ? "-" + formatAmount(-amount_minor) : formatAmount(amount_minor);
}

/** Builds one frame. */
export class Frame {
  rows: string[];
  constructor() {
    this.rows = [];
  }
  /** Adds `text` as one row (cut to the width). */
  row(text: string): Frame {
    if (this.rows.length < SCREEN_ROWS) this.rows.push(fit(plain(text), SCREEN_COLS));
    return this;
  }
  /** Adds `text` wrapped at spaces over as many rows as it needs (and there are). */
  wrap(text: string): Frame {
    const t = plain(text);
    let from = 0;
    for (let guard = 0; guard < SCREEN_ROWS && from < t.length; guard++) {
      let end = from + SCREEN_COLS;
      if (end >= t.length) end = t.length;
      else {
        let sp = end;
        while (sp > from && t.charAt(sp) !== " ") sp--;
        if (sp > from) end = sp;
      }
      this.row(t.substring(from, end));
      from = end;
      while (from < t.length && t.charAt(from) === " ") from++;
    }
    return this;
  }
  /** Pads to SCREEN_ROWS rows; the last row `foot` (when given) is a key hint. */
  done(foot: string): string[] {
    const n = foot.length > 0 ? SCREEN_ROWS - 1 : SCREEN_ROWS;
    while (this.rows.length > n) this.rows.pop();
    while (this.rows.length < n) this.rows.push(fit("", SCREEN_COLS));
    if (foot.length > 0) this.rows.push(fit(plain(foot), SCREEN_COLS));
    return this.rows;
  }
}
