// Zero-padded decimal text: the one padding helper of the code base. `pad` is for text people
// read (never fails, a wider number is shown whole); `padDigits` is for wire fields (exact
// width, fails on anything that does not fit).
import { fail } from "../errors";

/** Longest padding added (wider requests are cut to this many zeros). */
export const MAX_PAD_ZEROS = 24;

/** Zero-padded decimal of a non-negative integer to `width` digits (longer numbers shown whole). */
export function pad(n: number, width: number): string {
  let s = String(Math.floor(n));
  let guard = 0;
  while (s.length < width && guard < MAX_PAD_ZEROS) {
    s = "0" + s;
    guard++;
  }
  return s;
}

/** `n` as exactly `width` decimal digits (non-negative integers only; `where` names the caller in errors). */
export function padDigits(n: number, width: number, where: string): string {
  if (n < 0 || Math.floor(n) !== n) fail(where, "not a non-negative integer: " + n);
  const s = pad(n, width);
  if (s.length !== width) fail(where, n + " does not fit in " + width + " digits");
  return s;
}

/** True when `s` is one or more decimal digits and nothing else. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
