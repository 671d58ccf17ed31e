// Digit entry shared by every input screen: digits (and 00) append up to the bound, clear
// empties, back removes one, enter finishes when enough digits are there, cancel leaves.
import type { TerminalApp } from "./app";

export const IN_EDIT = 0;
export const IN_DONE = 1;
export const IN_CANCEL = 2;

export function isDigitKey(key: string): boolean {
  return key.length === 1 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;
}

/** Applies `key` to the input buffer of `a`; IN_DONE / IN_CANCEL when the entry ends. */
export function inputKey(a: TerminalApp, key: string): number {
  if (isDigitKey(key)) {
    if (a.buf.length < a.bufMax) a.buf = a.buf + key;
    else a.beep(50);
  } else if (key === "00") {
    if (a.buf.length + 2 <= a.bufMax) a.buf = a.buf + "00";
    else a.beep(50);
  } else if (key === "clear") a.buf = "";
  else if (key === "back") a.buf = a.buf.length > 0 ? a.buf.substring(0, a.buf.length - 1) : "";
  else if (key === "cancel") return IN_CANCEL;
  else if (key === "enter") {
    if (a.buf.length >= a.bufMin) return IN_DONE;
    a.beep(200);
  }
  return IN_EDIT;
}

/** The number a choice key (1..9) picks among `n` entries, or 0. */
export function choiceOf(key: string, n: number): number {
  if (!isDigitKey(key)) return 0;
  const c = key.charCodeAt(0) - 48;
  return c >= 1 && c <= n ? c : 0;
}
