// posrt iso8583 decode|encode: ISO 8583 messages for integrators, field by field.
import { Command } from "./command";
import { Parsed, UsageError, flagBool, flagChoice, flagString, parseArgs, readInput } from "../args";
import { fromHex, len, toHex, Bytes } from "../../src/bytes/index";
import { errorText, fail, isPosrtError } from "../../src/errors";
import { decodeTlv } from "../../src/codec/tlv";
import { formatTlvTree } from "./tlv";
import { IsoMessage, WireHeader, fieldDef, fieldNumbers, packIso, packWire, unpackIso, unpackWire } from "../../src/iso8583/index";
import { Len, Fmt, FORMAT_NAMES, FieldDef } from "../../src/iso8583/spec";
import { byteTextFromHex, byteTextHex, hasHighByte } from "../../src/text/gbk";
import { Subfield, field48Parts, field59Parts, field63Parts } from "../../src/iso8583/subfields";
import { field62Lines, field62View, requirementText } from "./iso8583-f62";

const USAGE = `usage: posrt iso8583 decode [--spec cup] [--frame wire|bare] HEX|-|@FILE [--json]
       posrt iso8583 encode [--spec cup] [--frame wire|bare] [--tpdu HEX] [--header HEX] JSON|-|@FILE

decode  shows a message field by field (number, format, name, value; field 55 as hex
        TLV bytes). HEX may contain spaces. --json prints {"mti","fields"} (plus "tpdu" and
        "header" for a wire frame), the shape of the iso8583.unpack vectors.
        GBK (GB18030) text in fields 44, 59, 63 is shown decoded; its bytes follow as hex
        (text) or in "gbk_hex": {"63": "..."} (--json), the exact bytes sent.
        Fields 48 (settlement totals) and 63 (63.1 card organisation / operator, 63.2.1
        issuer, 63.2.2 UnionPay, 63.2.3 acquirer, 63.2.4 terminal reserved) are also shown
        by subfield in the text form. Field 59 is host-defined: shown by part when it reads
        as tag (2 characters), length (3 digits), value to its end (e.g. A4, the QR payment
        voucher), else whole.
        Field 62 of the chip-parameter and CA-key downloads (0820/0830 60.3 372/382,
        0800/0810 370/380) is shown as its status and named TLV list ("field62" with --json);
        a wire frame's header shows the host's processing requirement (4 CA keys, 5 chip
        parameters; see docs/unionpay-hosts.md).
encode  packs {"mti","fields"} JSON and prints the hex; "gbk_hex" (as decode prints it)
        gives the exact bytes of GBK fields. A wire
        frame takes --tpdu (default 6000030000) and --header (default 603100000000).
The default frame is wire: 2-byte length, 5-byte TPDU, 6-byte header, then the message.
Data: the argument itself, - for stdin or @FILE (at most 16 MiB).
Malformed input: one line naming the field and offset, exit code 1.`;

/** GBK / GB18030 text of an ansg field (one character per byte) as Unicode, by Node's full GB18030 table. */
export function gbkText(value: string): string {
  return new TextDecoder("gb18030").decode(Buffer.from(byteTextHex(value), "hex"));
}

/** The value of field `no` as people read it: GBK text decoded; and its raw hex when it held GBK. */
function readable(d: FieldDef, value: string): { text: string; hex?: string } {
  if (d.fmt !== Fmt.ANSG || !hasHighByte(value)) return { text: value };
  return { text: gbkText(value), hex: byteTextHex(value) };
}

/** Named subfields of 48 (settlement totals) and 63 (card organisation, reserved slices). */
function subfields(no: number, value: string): Subfield[] {
  if (no === 63) return field63Parts(value);
  if (no === 48) return field48Parts(value);
  if (no === 59) return field59Parts(value);
  return [];
}

/** A subfield value as people read it: GBK decoded, trailing spaces kept visible by the quotes. */
function subText(v: string): string {
  return hasHighByte(v) ? gbkText(v) : v;
}

const DEFAULT_HEADER: WireHeader = { tpdu: "6000030000", header: "603100000000" };

/** "n6", "n..19", "b...255": the ISO notation for a field's format and length. */
export function formatNotation(d: FieldDef): string {
  const dots = d.lt === Len.LL ? ".." : d.lt === Len.LLL ? "..." : "";
  return FORMAT_NAMES[d.fmt] + dots + d.max;
}

function frameOf(p: Parsed): string {
  return flagChoice(p, "--frame", ["wire", "bare"], "wire");
}

/** Field 55 (ICC data) is BER-TLV: shown as a tree under the field's line. */
const TLV_FIELD = 55;
const TLV_INDENT = 7;

/** Text lines for one field; field 55 expanded as TLV (or its hex and why, when it is not TLV). */
function fieldLines(spec: string, no: number, value: string, msg: IsoMessage): string[] {
  const d = fieldDef(spec, no) as FieldDef;
  const r = readable(d, value);
  const shown = d.fmt === Fmt.B ? `${value} (${value.length / 2} bytes)` : r.hex === undefined ? JSON.stringify(value) : `${JSON.stringify(r.text)} (GBK ${r.hex})`;
  const lines = [`  ${String(no).padStart(3)}  ${formatNotation(d).padEnd(8)} ${d.name.padEnd(44)} ${shown}`];
  for (const sf of subfields(no, value)) lines.push(`${" ".repeat(TLV_INDENT)}${sf.no.padEnd(7)} ${sf.name.padEnd(46)} ${JSON.stringify(subText(sf.value))}`);
  if (no === 62) lines.push(...field62Lines(msg, TLV_INDENT));
  if (no !== TLV_FIELD) return lines;
  try {
    const b = fromHex(value);
    lines.push(...formatTlvTree(decodeTlv(b, 0, len(b)), TLV_INDENT));
  } catch (e) {
    if (!isPosrtError(e)) throw e;
    lines.push(`${" ".repeat(TLV_INDENT)}(not valid BER-TLV: ${errorText(e)})`);
  }
  return lines;
}

function printMessage(spec: string, msg: IsoMessage, frame: string, bytes: Bytes, h?: WireHeader): void {
  const what = frame === "wire" ? `wire frame, ${len(bytes)} bytes (TPDU ${h?.tpdu}, header ${h?.header}; processing requirement ${requirementText(h?.header ?? "")})` : `bare message, ${len(bytes)} bytes`;
  console.log(`${what}, spec ${spec}`);
  console.log(`  MTI  ${msg.mti}`);
  for (const no of fieldNumbers(msg)) for (const line of fieldLines(spec, no, msg.fields[String(no)], msg)) console.log(line);
}

function decode(p: Parsed): number {
  const spec = flagString(p, "--spec", "cup");
  const frame = frameOf(p);
  const hex = p.positional.slice(1).map((a) => readInput(a, "HEX")).join("").replace(/\s+/g, "");
  if (hex === "") throw new UsageError("decode needs the message as HEX");
  const bytes = fromHex(hex);
  let msg: IsoMessage;
  let h: WireHeader | undefined;
  if (frame === "wire") {
    const w = unpackWire(spec, bytes);
    msg = w.msg;
    h = w.header;
  } else msg = unpackIso(spec, bytes, 0, len(bytes));
  if (flagBool(p, "--json")) {
    const fields: { [k: string]: string } = {};
    const gbk: { [k: string]: string } = {};
    for (const no of fieldNumbers(msg)) {
      const r = readable(fieldDef(spec, no) as FieldDef, msg.fields[String(no)]);
      fields[String(no)] = r.text;
      if (r.hex !== undefined) gbk[String(no)] = r.hex;
    }
    const out: { [k: string]: unknown } = { mti: msg.mti, fields };
    if (Object.keys(gbk).length > 0) out.gbk_hex = gbk;
    const f62 = field62View(msg);
    if (f62 !== undefined) out.field62 = f62;
    if (h !== undefined) Object.assign(out, h);
    console.log(JSON.stringify(out, null, 2));
  } else printMessage(spec, msg, frame, bytes, h);
  return 0;
}

function readJson(arg: string | undefined): IsoMessage {
  if (arg === undefined) throw new UsageError("encode needs JSON (or - for stdin)");
  const text = readInput(arg, "JSON");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return fail("iso8583", "bad JSON: " + (e as Error).message);
  }
  const o = v as { mti?: unknown; fields?: unknown };
  if (typeof o !== "object" || o === null || typeof o.mti !== "string" || typeof o.fields !== "object" || o.fields === null) {
    return fail("iso8583", "JSON must be {\"mti\": \"0200\", \"fields\": {\"2\": \"...\", ...}}");
  }
  const fields = { ...(o.fields as IsoMessage["fields"]) };
  const raw = (v as { gbk_hex?: unknown }).gbk_hex;
  if (raw !== undefined) {
    if (typeof raw !== "object" || raw === null) return fail("iso8583", "\"gbk_hex\" must be an object {\"63\": \"HEX\"}");
    for (const [k, h] of Object.entries(raw)) {
      if (typeof h !== "string") return fail("iso8583", `gbk_hex "${k}" must be a hex string`);
      fields[k] = byteTextFromHex(h);
    }
  }
  return { mti: o.mti, fields };
}

function encode(p: Parsed): number {
  const spec = flagString(p, "--spec", "cup");
  const msg = readJson(p.positional[1]);
  if (frameOf(p) === "bare") console.log(toHex(packIso(spec, msg)));
  else {
    const h = { tpdu: flagString(p, "--tpdu", DEFAULT_HEADER.tpdu), header: flagString(p, "--header", DEFAULT_HEADER.header) };
    console.log(toHex(packWire(spec, msg, h)));
  }
  return 0;
}

export const iso8583: Command = {
  name: "iso8583",
  summary: "decode or encode ISO 8583 messages (cup spec: UnionPay POS), field by field",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--spec", "--frame", "--tpdu", "--header"], booleans: ["--json"] });
    const sub = p.positional[0];
    if (sub === "decode") return decode(p);
    if (sub === "encode") return encode(p);
    throw new UsageError(sub === undefined ? "needs decode or encode" : `unknown subcommand "${sub}"`);
  },
};
