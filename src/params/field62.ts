// Field 62 of the UnionPay chip-card parameter and CA-public-key downloads, as public
// UnionPay POS material describes them (sources in docs/unionpay-hosts.md):
// - query, 0820 with 60.3 = 372 (CA keys) or 382 (parameters): the request's 62 is ASCII
//   "1" + two digits, the number of list entries the terminal already holds; the 0830 reply's
//   62 is one ASCII status byte ("0" nothing, "1" the list is complete, "2" more follows: ask
//   again from the new count) then TLV entries: 9F06 RID + 9F22 index + DF05 expiry per CA key,
//   9F06 AID per parameter set;
// - download, 0800 with 60.3 = 370 (one CA key) or 380 (one AID's parameters): the request's 62
//   is the TLV naming it (9F06 + 9F22, or 9F06); the 0810 reply's 62 is a status byte ("1"
//   found, "0" not found) then the TLVs of that key or parameter set;
// - download end, 0800 with 60.3 = 371 or 381 (no 62).
// Sign-in (001/003/004) carries the working keys in 62: not TLV. The tags' names and the reading
// of a whole field 62 for tools are in field62-names.ts (kept out of the terminal's code).
import { Bytes, get, len, toHex } from "../bytes/index";
import { fail } from "../errors";
import { TlvNode, decodeTlv } from "../codec/tlv";

/** 60.3 codes of the downloads. */
export const NET_KEY_QUERY = "372";
export const NET_KEY_LOAD = "370";
export const NET_KEY_END = "371";
export const NET_PARAM_QUERY = "382";
export const NET_PARAM_LOAD = "380";
export const NET_PARAM_END = "381";

/** Status bytes of a reply's field 62. */
export const ST_NONE = "0";
export const ST_LAST = "1";
export const ST_MORE = "2";

/** One data object of a download list; `name` is "" here (field62-names.ts names them, for tools). */
export interface NamedTlv {
  tag: string;
  name: string;
  hex: string;
}

/** True for the 60.3 codes of the downloads. */
export function isDownloadCode(net: string): boolean {
  return net === NET_KEY_QUERY || net === NET_KEY_LOAD || net === NET_KEY_END || net === NET_PARAM_QUERY || net === NET_PARAM_LOAD || net === NET_PARAM_END;
}

function named(nodes: TlvNode[]): NamedTlv[] {
  const out: NamedTlv[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i].value;
    out.push({ tag: nodes[i].tag, name: "", hex: v === undefined ? "" : toHex(v) });
  }
  return out;
}

/** Reads the TLV list of `b` from `off`. */
export function tlvList(b: Bytes, off: number): NamedTlv[] {
  return named(decodeTlv(b, off, len(b) - off));
}

/** The status byte of a reply's 62 ("0", "1", "2" or "3"). */
export function statusOf(b: Bytes): string {
  if (len(b) < 1) fail("field 62", "empty (a download reply starts with a status byte)");
  const c = get(b, 0);
  if (c < 0x30 || c > 0x33) fail("field 62", "status byte 0x" + toHex(b, 0, 1) + " is not ASCII 0..3");
  return String(c - 0x30);
}

/** The count of a query request's 62: "1" + two ASCII digits. */
export function queryFrom(b: Bytes): number {
  if (len(b) !== 3 || get(b, 0) !== 0x31) fail("field 62", "a query is ASCII \"1\" and two digits, got " + toHex(b));
  const hi = get(b, 1) - 0x30;
  const lo = get(b, 2) - 0x30;
  if (hi < 0 || hi > 9 || lo < 0 || lo > 9) fail("field 62", "a query is ASCII \"1\" and two digits, got " + toHex(b));
  return hi * 10 + lo;
}

/** The hex of a query request's 62 for `from` entries held (0..99). */
export function queryHex(from: number): string {
  if (from < 0 || from > 99) fail("field 62", "query count " + from + " outside 0..99");
  return "313" + String(Math.floor(from / 10)) + "3" + String(from % 10);
}

/** The first value of `tag` in a list, or undefined. */
export function valueOf(list: NamedTlv[], tag: string): string | undefined {
  for (let i = 0; i < list.length; i++) if (list[i].tag === tag) return list[i].hex;
  return undefined;
}
