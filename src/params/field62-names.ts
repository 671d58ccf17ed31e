// Field 62 of the downloads for tools (posrt iso8583 decode, journal dump, vectors): the tags'
// names and a whole field 62 read by kind. The terminal itself needs none of it (field62.ts).
import { Bytes, fromHex } from "../bytes/index";
import { NET_KEY_QUERY, NET_PARAM_QUERY, NamedTlv, isDownloadCode, queryFrom, statusOf, tlvList } from "./field62";

/** Tags of the download TLVs and their names (CA key parameters, then AID parameters). */
export const TAG_NAMES: readonly string[][] = [
  ["9F06", "RID / AID"], ["9F22", "CA public key index"], ["DF05", "CA key expiry (YYYYMMDD)"], ["DF06", "CA key hash algorithm"],
  ["DF07", "CA key signature algorithm"], ["DF02", "CA key modulus"], ["DF04", "CA key exponent"], ["DF03", "CA key check value (SHA-1)"],
  ["DF01", "Application selection indicator (0 partial match)"], ["9F08", "Application version (card)"], ["9F09", "Application version (terminal)"],
  ["DF11", "TAC default"], ["DF12", "TAC online"], ["DF13", "TAC denial"], ["9F1B", "Terminal floor limit"], ["DF15", "Threshold for biased random selection"],
  ["DF16", "Maximum target percentage (biased random)"], ["DF17", "Target percentage (random)"], ["DF14", "Default DDOL"],
  ["DF18", "Online PIN capability"], ["9F7B", "Electronic cash terminal transaction limit"], ["DF19", "Contactless floor limit"],
  ["DF20", "Contactless transaction limit"], ["DF21", "CVM required limit"],
];

/** The name of a download tag, "" when unknown. */
export function tagName(tag: string): string {
  for (let i = 0; i < TAG_NAMES.length; i++) if (TAG_NAMES[i][0] === tag) return TAG_NAMES[i][1];
  return "";
}

/** `list` with each tag's name filled in. */
export function nameAll(list: NamedTlv[]): NamedTlv[] {
  for (let i = 0; i < list.length; i++) list[i].name = tagName(list[i].tag);
  return list;
}

/** The TLVs of a stored item (a CA key or an AID's parameters), named. */
export function itemTlv(b: Bytes): NamedTlv[] {
  return nameAll(tlvList(b, 0));
}

/** Field 62 of a download message, read: status ("" when the message has none) and objects, or the query's count. */
export interface Field62View {
  /** "query" (0820 request), "list" (0830 reply), "item" (0800 request naming one), "data" (0810 reply), "keys" (sign-in), "none". */
  kind: string;
  status: string;
  /** Query requests: entries already held. */
  from: number;
  tlv: NamedTlv[];
}

/** Reads field 62 (hex) of a message with MTI `mti` and 60.3 `net`. */
export function readField62(mti: string, net: string, hex: string): Field62View {
  const b = fromHex(hex);
  const reply = mti.charCodeAt(2) % 2 === 1;
  if (!isDownloadCode(net)) return { kind: net === "001" || net === "003" || net === "004" ? "keys" : "none", status: "", from: 0, tlv: [] };
  if (net === NET_KEY_QUERY || net === NET_PARAM_QUERY) {
    if (!reply) return { kind: "query", status: "", from: queryFrom(b), tlv: [] };
    return { kind: "list", status: statusOf(b), from: 0, tlv: nameAll(tlvList(b, 1)) };
  }
  if (!reply) return { kind: "item", status: "", from: 0, tlv: nameAll(tlvList(b, 0)) };
  return { kind: "data", status: statusOf(b), from: 0, tlv: nameAll(tlvList(b, 1)) };
}
