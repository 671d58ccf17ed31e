// Small `key=value` records with a CRC-32 line last, as the board keeps them in its file store
// (Storage on Espruino, SPIFFS on NodeMCU): a torn or edited record is refused, never
// half-used. Used by the key store (keys.ts); the configuration has its own checked fields.
// Portable (ES5 and Lua 5.3).
import { alloc, crc32, fromText, toHex, writeU32 } from "../../src/bytes/index";
import { fail } from "../../src/errors";

/** Longest record text accepted. */
export const MAX_RECORD_CHARS = 2048;
/** Most lines a record may have. */
export const MAX_RECORD_LINES = 32;

function hex8(v: number): string {
  const b = alloc(4);
  writeU32(b, 0, v);
  return toHex(b);
}

/** The record text: `magic`, one line per key (values without newlines), `crc=` over all before it. */
export function recordText(magic: string, keys: string[], values: string[]): string {
  let body = magic + "\n";
  for (let i = 0; i < keys.length; i++) {
    if (values[i].indexOf("\n") >= 0) fail("record", keys[i] + " holds a newline");
    body = body + keys[i] + "=" + values[i] + "\n";
  }
  return body + "crc=" + hex8(crc32(fromText(body))) + "\n";
}

/** The values of `keys` in a stored record ("" for a key not in it); a bad magic or CRC is a PosrtError from `where`. */
export function parseRecord(where: string, magic: string, keys: string[], text: string): string[] {
  if (text.length > MAX_RECORD_CHARS) fail(where, "record longer than " + MAX_RECORD_CHARS + " characters");
  const at = text.indexOf("\ncrc=") + 1;
  if (at < 1 || text.substring(0, magic.length + 1) !== magic + "\n") fail(where, "not a " + magic + " record");
  if (hex8(crc32(fromText(text.substring(0, at)))) !== text.substring(at + 4, at + 12)) fail(where, "CRC mismatch: the record is damaged");
  const vals: string[] = [];
  for (let i = 0; i < keys.length; i++) vals.push("");
  let pos = magic.length + 1;
  for (let n = 0; n < MAX_RECORD_LINES && pos < at; n++) {
    let end = text.indexOf("\n", pos);
    if (end < 0 || end > at) end = at;
    const line = text.substring(pos, end);
    const eq = line.indexOf("=");
    const k = eq < 0 ? -1 : keys.indexOf(line.substring(0, eq));
    if (k < 0) fail(where, "unknown line \"" + line + "\"");
    vals[k] = line.substring(eq + 1);
    pos = end + 1;
  }
  return vals;
}
