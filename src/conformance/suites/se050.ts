// Suites for the SE050's portable encodings: T=1 over I2C blocks (NXP UM11225, CRC-16/X-25)
// and the IoT applet's command APDUs and TLVs (NXP AN12413). Vectors: test/vectors/se050.json.
import { Suite } from "../suite";
import { Obj, asObj, boolOr, listOr, numOr, strOr } from "../args";
import { fromHex, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { buildBlock, crc16x25, parseBlock } from "../../parts/t1-i2c";
import { Tlv, decodeCommand, decodeTlvs, encodeCommand, encodeTlvs } from "../../parts/se050-apdu";

function asString(input: unknown, where: string): string {
  if (typeof input !== "string") fail(where, "vector input must be a string");
  return input as string;
}

function hex4(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 12) & 15) + d.charAt((v >>> 8) & 15) + d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}

/** TLVs as [tag, value hex] pairs. */
function tlvList(o: Obj, where: string): Tlv[] {
  const l = listOr(o, "tlvs", where);
  const out: Tlv[] = [];
  for (let i = 0; i < l.length; i++) {
    const p = l[i] as unknown[];
    if (typeof p !== "object" || typeof p[0] !== "number" || typeof p[1] !== "string") fail(where, "each TLV is [tag, hex]");
    out.push({ tag: p[0] as number, value: fromHex(p[1] as string) });
  }
  return out;
}

function tlvPairs(tlvs: Tlv[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tlvs.length; i++) out.push(hex4(tlvs[i].tag).substring(2) + ":" + toHex(tlvs[i].value));
  return out;
}

export const SE050_SUITES: Suite[] = [
  { name: "t1.crc16", run: (input: unknown) => hex4(crc16x25(fromHex(asString(input, "t1.crc16")), 0, Math.floor(asString(input, "t1.crc16").length / 2))) },
  {
    name: "t1.block.build",
    run: (input: unknown) => {
      const o = asObj(input, "t1.block.build");
      return toHex(buildBlock(numOr(o, "nad", 0x5a, "t1.block.build"), numOr(o, "pcb", 0, "t1.block.build"), fromHex(strOr(o, "inf", "", "t1.block.build"))));
    },
  },
  {
    name: "t1.block.parse",
    run: (input: unknown) => {
      const b = parseBlock(fromHex(asString(input, "t1.block.parse")));
      return { kind: b.kind, seq: b.seq, more: b.more, error: b.error, stype: b.stype, response: b.response, inf: toHex(b.inf) };
    },
  },
  {
    name: "se050.apdu.encode",
    run: (input: unknown) => {
      const w = "se050.apdu.encode";
      const o = asObj(input, w);
      const data = encodeTlvs(tlvList(o, w));
      return toHex(encodeCommand({ cla: numOr(o, "cla", 0x80, w), ins: numOr(o, "ins", 0, w), p1: numOr(o, "p1", 0, w), p2: numOr(o, "p2", 0, w), data: data, le: boolOr(o, "le", false, w) }));
    },
  },
  {
    name: "se050.apdu.decode",
    run: (input: unknown) => {
      const c = decodeCommand(fromHex(asString(input, "se050.apdu.decode")));
      return { cla: c.cla, ins: c.ins, p1: c.p1, p2: c.p2, le: c.le, tlvs: tlvPairs(decodeTlvs(c.data)) };
    },
  },
];
