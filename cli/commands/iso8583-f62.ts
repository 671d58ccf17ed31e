// `posrt iso8583 decode`: field 62 of the chip-parameter and CA-key downloads shown by name
// (src/params/field62.ts), and the header's processing requirement.
import { IsoMessage } from "../../src/iso8583/index";
import { errorText, isPosrtError } from "../../src/errors";
import { Field62View, readField62 } from "../../src/params/field62-names";

const KINDS: { [k: string]: string } = {
  query: "list query", list: "list", item: "download request", data: "download reply",
};
const STATUS: { [k: string]: string } = { "0": "nothing", "1": "last piece", "2": "more follows", "3": "3" };
const REQUIREMENTS: { [k: string]: string } = {
  "0": "none", "1": "download magnetic-stripe parameters", "2": "upload terminal status", "3": "sign in again",
  "4": "update CA public keys", "5": "download chip parameters", "6": "TMS parameter download", "7": "card BIN blacklist download",
};

/** Field 62 of `msg` read as a download payload; undefined when the message is not a download. */
export function field62View(msg: IsoMessage): Field62View | undefined {
  const f62 = msg.fields["62"];
  const f60 = msg.fields["60"];
  if (f62 === undefined || f60 === undefined || f60.length < 11) return undefined;
  const v = readField62(msg.mti, f60.substring(8, 11), f62);
  return v.kind === "keys" || v.kind === "none" ? undefined : v;
}

/** Text lines under field 62 when it is a download payload (or why it does not read as one). */
export function field62Lines(msg: IsoMessage, indent: number): string[] {
  const pad = " ".repeat(indent);
  let v: Field62View | undefined;
  try {
    v = field62View(msg);
  } catch (e) {
    if (!isPosrtError(e)) throw e;
    return [`${pad}(not a download payload: ${errorText(e)})`];
  }
  if (v === undefined) return [];
  const head = `${pad}${KINDS[v.kind] ?? v.kind}` + (v.status !== "" ? `, status ${v.status} (${STATUS[v.status]})` : "") + (v.kind === "query" ? ` from entry ${v.from}` : "");
  return [head, ...v.tlv.map((t) => `${pad}  ${t.tag.padEnd(5)} ${(t.name || "?").padEnd(46)} ${t.hex}`)];
}

/** "4 (update CA public keys)": the processing requirement (6th digit) of a 12-digit header. */
export function requirementText(header: string): string {
  if (header.length !== 12) return "";
  const c = header.charAt(5);
  return `${c} (${REQUIREMENTS[c] ?? "host-defined"})`;
}
