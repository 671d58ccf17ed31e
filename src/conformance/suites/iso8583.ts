// ISO 8583 suites. Shapes (hex upper-case on output, either case on input):
// - iso8583.unpack: in {"spec","frame":"bare"|"wire","hex"} -> out {"mti","fields"};
//   a wire frame's out also carries "tpdu" (10 hex) and "header" (12 hex).
// - iso8583.pack: in {"spec","frame","mti","fields"} (+ "tpdu","header" for wire) -> out hex,
//   the whole frame (a wire frame with its 2-byte length, TPDU and header).
// - iso8583.mac_input: in {"spec","mti","fields"} -> out hex of the bytes the MAC covers.
// - iso8583.field60.parse: in digit string -> out subfields object; .build: the reverse.
// - iso8583.field61.parse / .build: likewise for field 61.
// - GBK text (fields 44, 59, 63 hold bytes above 0x7E): such a value is written in vectors
//   as {"hex": "..."} (its bytes), on input and output, so JSON stays ASCII on every runtime.
// - iso8583.unpack.robust: in {"spec","frame","hex"} (mutated frames) -> out the outcome:
//   {"outcome":"rejected"} or {"outcome":"accepted","mti","fields","repacks"} (see robust()).
import { Suite, str } from "../suite";
import { fromHex, len, toHex } from "../../bytes/index";
import { isPosrtError } from "../../errors";
import { byteTextFromHex, byteTextHex, hasHighByte } from "../../text/gbk";
import { field63Parts } from "../../iso8583/subfields";
import {
  IsoFields, IsoMessage, buildField60, fieldNumbers, buildField61, macInput, packIso, packWire, parseField60, parseField61,
  unpackIso, unpackWire,
} from "../../iso8583/index";

function message(input: unknown): IsoMessage {
  const fields = (input as { [k: string]: unknown })["fields"];
  if (typeof fields !== "object") throw new Error("vector input needs object \"fields\"");
  const src = fields as { [k: string]: unknown };
  const out: IsoFields = {};
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const v = src[keys[i]];
    out[keys[i]] = typeof v === "object" ? byteTextFromHex(str(v, "hex")) : v as string;
  }
  return { mti: str(input, "mti"), fields: out };
}

/** Fields for a vector: a value with bytes above 0x7E becomes {"hex": its bytes}. */
function shown(fields: IsoFields): unknown {
  const out: { [k: string]: unknown } = {};
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) {
    const v = fields[keys[i]];
    out[keys[i]] = hasHighByte(v) ? { hex: byteTextHex(v) } : v;
  }
  return out;
}

function isWire(input: unknown): boolean {
  const frame = str(input, "frame");
  if (frame !== "wire" && frame !== "bare") throw new Error("frame must be wire or bare");
  return frame === "wire";
}

function unpack(input: unknown): unknown {
  const b = fromHex(str(input, "hex"));
  if (!isWire(input)) {
    const m = unpackIso(str(input, "spec"), b, 0, len(b));
    return { mti: m.mti, fields: shown(m.fields) };
  }
  const w = unpackWire(str(input, "spec"), b);
  return { mti: w.msg.mti, fields: shown(w.msg.fields), tpdu: w.header.tpdu, header: w.header.header };
}

function pack(input: unknown): unknown {
  const m = message(input);
  if (!isWire(input)) return toHex(packIso(str(input, "spec"), m));
  return toHex(packWire(str(input, "spec"), m, { tpdu: str(input, "tpdu"), header: str(input, "header") }));
}

function sameMessage(a: IsoMessage, b: IsoMessage): boolean {
  const na = fieldNumbers(a);
  const nb = fieldNumbers(b);
  if (a.mti !== b.mti || na.length !== nb.length) return false;
  for (let i = 0; i < na.length; i++) {
    if (na[i] !== nb[i] || a.fields[String(na[i])] !== b.fields[String(na[i])]) return false;
  }
  return true;
}

/**
 * The outcome of decoding a mutated frame: {"outcome":"rejected"} for a clear error, else
 * {"outcome":"accepted","mti","fields","repacks"} (+ "tpdu","header" for wire frames), where
 * `repacks` says whether the message re-packs and decodes to the same fields. Every runtime
 * must reach the same outcome with the same fields; a crash fails.
 */
function robust(input: unknown): unknown {
  const spec = str(input, "spec");
  const wire = isWire(input);
  let m: IsoMessage;
  let tpdu = "";
  let header = "";
  try {
    const b = fromHex(str(input, "hex"));
    if (wire) {
      const w = unpackWire(spec, b);
      m = w.msg;
      tpdu = w.header.tpdu;
      header = w.header.header;
    } else m = unpackIso(spec, b, 0, len(b));
  } catch (e) {
    if (isPosrtError(e)) return { outcome: "rejected" };
    throw e;
  }
  const again = packIso(spec, m);
  const repacks = sameMessage(unpackIso(spec, again, 0, len(again)), m);
  if (!wire) return { outcome: "accepted", mti: m.mti, fields: shown(m.fields), repacks: repacks };
  return { outcome: "accepted", mti: m.mti, fields: shown(m.fields), repacks: repacks, tpdu: tpdu, header: header };
}

function asString(input: unknown): string {
  if (typeof input !== "string") throw new Error("vector input must be a string");
  return input;
}

/** Field 63 subfields: in a value (text, or {"hex"} for GBK) -> out [{"no","value"}] (GBK values as {"hex"}). */
function f63(input: unknown): unknown {
  const v = typeof input === "object" ? byteTextFromHex(str(input, "hex")) : asString(input);
  const parts = field63Parts(v);
  const out: unknown[] = [];
  for (let i = 0; i < parts.length; i++) out.push({ no: parts[i].no, value: hasHighByte(parts[i].value) ? { hex: byteTextHex(parts[i].value) } : parts[i].value });
  return out;
}

export const ISO8583_SUITES: Suite[] = [
  { name: "iso8583.field63.parse", run: f63 },
  { name: "iso8583.unpack", run: unpack },
  { name: "iso8583.pack", run: pack },
  { name: "iso8583.unpack.robust", run: robust },
  { name: "iso8583.mac_input", run: (input: unknown) => toHex(macInput(str(input, "spec"), message(input))) },
  { name: "iso8583.field60.parse", run: (input: unknown) => parseField60(asString(input)) },
  { name: "iso8583.field60.build", run: (input: unknown) => buildField60(input as never) },
  { name: "iso8583.field61.parse", run: (input: unknown) => parseField61(asString(input)) },
  { name: "iso8583.field61.build", run: (input: unknown) => buildField61(input as never) },
];
