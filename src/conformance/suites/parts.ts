// Suites for the part protocols the drivers speak: PN532 frames (UM0701-02) and ISO/IEC 7811-2
// track 2 bit streams. Vectors in test/vectors/parts.json name the document each comes from.
import { Suite } from "../suite";
import { fromHex, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { TFI_HOST, buildFrame, parseFrame } from "../../parts/pn532-frame";
import { decodeTrack2Bits } from "../../parts/iso7811";

function asString(input: unknown, where: string): string {
  if (typeof input !== "string") fail(where, "vector input must be a string");
  return input as string;
}

export const PARTS_SUITES: Suite[] = [
  { name: "pn532.frame.build", run: (input: unknown) => toHex(buildFrame(fromHex(asString(input, "pn532.frame.build")), TFI_HOST)) },
  {
    name: "pn532.frame.parse",
    run: (input: unknown) => {
      const f = parseFrame(fromHex(asString(input, "pn532.frame.parse")));
      if (f.kind === "ack") return { tfi: "ACK", data: "" };
      if (f.kind === "nack") return { tfi: "NACK", data: "" };
      return { tfi: hex2(f.tfi), data: toHex(f.data) };
    },
  },
  { name: "track2.iso7811.decode", run: (input: unknown) => decodeTrack2Bits(asString(input, "track2.iso7811.decode")) },
];

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}
