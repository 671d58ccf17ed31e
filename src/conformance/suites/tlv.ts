// Suites tlv.decode (hex → [{"tag","value"} | {"tag","children"}]) and tlv.encode (the reverse).
// Tags and values are upper-case hex on output, either case on input.
import { Suite } from "../suite";
import { Bytes, fromHex, len, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { TlvNode, TLV_MAX_DEPTH, decodeTlv, encodeTlv } from "../../codec/tlv";

/** The vector (plain JSON) form of decoded nodes. */
export function tlvToPlain(nodes: TlvNode[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.children !== undefined) out.push({ tag: n.tag, children: tlvToPlain(n.children) });
    else out.push({ tag: n.tag, value: toHex(n.value as Bytes) });
  }
  return out;
}

/** Nodes from their vector form; anything else is an error naming the entry. */
export function plainToTlv(input: unknown, depth: number): TlvNode[] {
  if (!Array.isArray(input) || depth > 2 * TLV_MAX_DEPTH) fail("tlv json", "expected an array of nodes (depth " + depth + ")");
  const items = input as unknown[];
  const out: TlvNode[] = [];
  for (let i = 0; i < items.length; i++) {
    const o = items[i] as { [k: string]: unknown };
    if (typeof o !== "object" || typeof o.tag !== "string") fail("tlv json", "node " + i + " needs a string \"tag\"");
    const tag = toHex(fromHex(o.tag as string));
    if (typeof o.value === "string") out.push({ tag: tag, value: fromHex(o.value as string) });
    else if (o.value === undefined && o.children !== undefined) out.push({ tag: tag, children: plainToTlv(o.children, depth + 1) });
    else fail("tlv json", "node " + tag + " needs \"value\" (hex) or \"children\"");
  }
  return out;
}

function hexInput(input: unknown): string {
  if (typeof input !== "string") fail("vectors", "input must be a hex string");
  return input as string;
}

export const TLV_SUITES: Suite[] = [
  {
    name: "tlv.decode",
    run: (input: unknown) => {
      const b = fromHex(hexInput(input));
      return tlvToPlain(decodeTlv(b, 0, len(b)));
    },
  },
  { name: "tlv.encode", run: (input: unknown) => toHex(encodeTlv(plainToTlv(input, 0))) },
];
