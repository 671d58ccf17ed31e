import { Command } from "./command";
import { flagBool, parseArgs, readInput, UsageError } from "../args";
import { emvTag } from "../emv-tags";
import { Bytes, fromHex, len, toHex } from "../../src/bytes/index";
import { TlvNode, decodeTlv } from "../../src/codec/tlv";
import { tlvToPlain } from "../../src/conformance/suites/tlv";

const USAGE = `usage: posrt tlv decode HEX|-|@FILE [--json]

Decodes BER-TLV (e.g. ISO 8583 field 55) and prints a tree: tag, EMV name, length, value hex
(and the text of an/ans elements). --json prints the tlv.decode vector shape.`;

const TAG_COLUMN = 14;
const NAME_WIDTH = 40;

/** Printable ASCII of `b`, or undefined when it holds anything else. */
function asciiOf(b: Bytes): string | undefined {
  const hex = toHex(b);
  let s = "";
  for (let i = 0; i < hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c < 0x20 || c > 0x7e) return undefined;
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Lines of a readable tree of `nodes`, each prefixed by `indent` spaces; children are indented
 * two more. Line: tag, EMV name (or "?"), length in bytes, value hex (and "text" for an/ans).
 */
export function formatTlvTree(nodes: TlvNode[], indent: number): string[] {
  const lines: string[] = [];
  const pad = " ".repeat(indent);
  for (const n of nodes) {
    const info = emvTag(n.tag);
    const label = `${(pad + n.tag).padEnd(TAG_COLUMN)} ${(info ? info.name : "?").padEnd(NAME_WIDTH)}`;
    if (n.children !== undefined) {
      lines.push(`${label} template, ${n.children.length} element${n.children.length === 1 ? "" : "s"}`);
      lines.push(...formatTlvTree(n.children, indent + 2));
      continue;
    }
    const v = n.value as Bytes;
    const text = info && (info.format === "an" || info.format === "ans") ? asciiOf(v) : undefined;
    lines.push(`${label} ${String(len(v)).padStart(3)}  ${toHex(v)}${text !== undefined ? `  "${text}"` : ""}`);
  }
  return lines;
}

export const tlv: Command = {
  name: "tlv",
  summary: "decode BER-TLV (EMV field 55) as a tree or as JSON",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { booleans: ["--json"] });
    const [sub, hex, ...extra] = p.positional;
    if (sub !== "decode") throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand "${sub}"`);
    if (hex === undefined) throw new UsageError("missing HEX");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const b = fromHex(readInput(hex, "HEX").replace(/\s+/g, ""));
    const nodes = decodeTlv(b, 0, len(b));
    if (flagBool(p, "--json")) console.log(JSON.stringify(tlvToPlain(nodes)));
    else for (const line of formatTlvTree(nodes, 0)) console.log(line);
    return 0;
  },
};
