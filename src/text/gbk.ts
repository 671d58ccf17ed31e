// GBK / GB18030 byte sequences in ISO 8583 text fields (UnionPay hosts send the issuer's
// name in Chinese in fields 44, 59 and 63). The core keeps such text byte-exact: a field
// value is a string with one character per byte (code 0..255, the same on every runtime:
// a Lua string is bytes, a JS string holds the codes 0x80..0xFF as single units).
// Shapes checked (GB18030-2005): one byte 0x20..0x7E (printable ASCII, as `ans`);
// two bytes lead 0x81..0xFE, trail 0x40..0x7E or 0x80..0xFE (GBK);
// four bytes 0x81..0xFE, 0x30..0x39, 0x81..0xFE, 0x30..0x39 (GB18030 extension).
// Decoding to Unicode is left to tools that have a full table (the CLI uses the host's).
import { fail } from "../errors";
import { fromHex, get, len } from "../bytes/index";

/** Bytes of the GB18030 multi-byte sequence starting with c0, c1, c2, c3 (-1 past the end), or 0 when malformed. */
export function gbkSequenceBytes(c0: number, c1: number, c2: number, c3: number): number {
  if (c0 < 0x81 || c0 > 0xfe) return 0;
  if ((c1 >= 0x40 && c1 <= 0x7e) || (c1 >= 0x80 && c1 <= 0xfe)) return 2;
  if (c1 >= 0x30 && c1 <= 0x39 && c2 >= 0x81 && c2 <= 0xfe && c3 >= 0x30 && c3 <= 0x39) return 4;
  return 0;
}

/** True when a byte may stand alone in GBK text (printable ASCII, as in `ans`). */
export function gbkSingle(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** True when text value `s` holds a byte above 0x7E (GBK text, one character per byte). */
export function hasHighByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return true;
  return false;
}

/** The bytes of a one-character-per-byte value as upper-case hex (codes above 0xFF are an error). */
export function byteTextHex(s: string): string {
  const HEX = "0123456789ABCDEF";
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) fail("gbk", "character code " + c + " at position " + i + " is not a byte");
    out += HEX.charAt(c >>> 4) + HEX.charAt(c & 15);
  }
  return out;
}

/** A one-character-per-byte value from hex (the inverse of byteTextHex). */
export function byteTextFromHex(hex: string): string {
  const b = fromHex(hex);
  let s = "";
  for (let i = 0; i < len(b); i++) s += String.fromCharCode(get(b, i));
  return s;
}

/** GBK text as an ASCII-only device shows it: ASCII as is, each GBK character as "?"; `hidden` says some were. */
export function gbkShown(s: string): { text: string; hidden: boolean } {
  let out = "";
  let hidden = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out = out + s.charAt(i);
      continue;
    }
    const n = gbkSequenceBytes(c, i + 1 < s.length ? s.charCodeAt(i + 1) : -1, i + 2 < s.length ? s.charCodeAt(i + 2) : -1, i + 3 < s.length ? s.charCodeAt(i + 3) : -1);
    out = out + "?";
    hidden = true;
    if (n > 1) i += n - 1;
  }
  return { text: out, hidden: hidden };
}
