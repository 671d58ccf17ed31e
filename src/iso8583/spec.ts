// ISO 8583 field-spec tables. A spec is a frozen table of field definitions,
// looked up by field number through a dense array (no holes: undefined numbers
// hold a placeholder with fmt Fmt.None).
//
// The `cup` spec follows the UnionPay (CUP) POS terminal convention:
// - MTI: 4 digits, 2 bytes BCD. Bitmap: 8 bytes binary, bit 1 announces a second
//   8-byte bitmap (fields 65..128).
// - `n` fields: packed BCD, two digits a byte. Odd fixed lengths are left aligned
//   (pad nibble 0 on the right, e.g. field 22 "051" -> 05 10) except field 23
//   (card sequence number), which the CUP spec right aligns ("001" -> 00 01).
//   LLVAR/LLLVAR `n` fields (2, 32, 48, 60, 61) are left aligned, right-padded with 0.
// - `z` (tracks 2/3, fields 35/36): BCD nibbles where the field separator is nibble D,
//   left aligned, pad 0. Values are digit strings with "D" (pack also accepts "=" and "d").
// - LLVAR / LLLVAR lengths: BCD, 1 byte (LL, 2 digits) or 2 bytes (LLL, 0LLL). The length
//   counts digits for n/z, characters for an/ans, bytes for b.
// - `an`/`ans`: ASCII, one byte a character (an: letters, digits, space; ans: printable ASCII).
// - `ansg` (fields 44, 59, 63): ans that may also hold GBK / GB18030 Chinese text (issuer names);
//   kept byte-exact, one character per byte (see src/text/gbk.ts); lengths count bytes.
// - `b`: raw bytes, values are upper-case hex; fixed lengths (52, 64) are 8 bytes.
// Unpack accepts a pad nibble of 0 or F (some hosts pad with F); pack always writes 0.
// Fields 65..128 are not used by CUP POS terminals; a few ISO 8583:1987 defaults are
// defined so a secondary-bitmap message can be carried and decoded (MAC then in 128).

import { fail } from "../errors";

/** Field formats (const enums compile to plain numbers: no runtime table, smallest code). */
export const enum Fmt { None = 0, N = 1, Z = 2, AN = 3, ANS = 4, B = 5, ANSG = 6 }
/** Format names by Fmt code, for tools. */
export const FORMAT_NAMES: readonly string[] = ["-", "n", "z", "an", "ans", "b", "ansg"];

/** True for the text formats (an, ans, ans with GBK). */
export function isTextFmt(fmt: number): boolean {
  return fmt === Fmt.AN || fmt === Fmt.ANS || fmt === Fmt.ANSG;
}
/** Length types: fixed, or a BCD length prefix of 2 (LL, 1 byte) or 3 digits (LLL, 2 bytes). */
export const enum Len { Fixed = 0, LL = 2, LLL = 3 }
/** Where the pad nibble of an odd digit count goes: Left aligned pads on the right. */
export const enum Align { Left = 0, Right = 1 }

/** Highest field number a spec may define (secondary bitmap). */
export const enum Field { Max = 128, PrimaryMax = 64 }
export const MAX_FIELD = Field.Max;

/** One field as packing needs it: number, format, length type, max length (digits/characters/bytes), BCD alignment. */
export interface FieldFormat {
  readonly no: number;
  readonly fmt: number;
  readonly lt: number;
  readonly max: number;
  readonly align: number;
}

/** One field with its name, for tools (`fieldDef`). */
export interface FieldDef extends FieldFormat {
  readonly name: string;
}

/**
 * A named spec. `table` holds the fields 0..MAX_FIELD as records of REC_CHARS digits: format,
 * length type, max length (3 digits), alignment; "000000" where the spec defines no field. One
 * string instead of an array of objects: on Espruino ~65 variables instead of ~900 (an object
 * costs a variable per property, an array one per element; a string one per ~12 characters),
 * and a lookup reads six characters instead of walking a list.
 */
export interface IsoSpec {
  readonly name: string;
  readonly table: string;
}

export const REC_CHARS = 6;

// UnionPay POS fields 2..64 (sale, void, refund, reversal, settlement, batch upload, sign-in):
// number (3 digits), format (Fmt), length type (Len), max length (3 digits), alignment (Align).
const CUP_DEFS =
  "002" + "12019" + "0" + "003" + "10006" + "0" + "004" + "10012" + "0" + "011" + "10006" + "0" +
  "012" + "10006" + "0" + "013" + "10004" + "0" + "014" + "10004" + "0" + "015" + "10004" + "0" +
  "022" + "10003" + "0" + "023" + "10003" + "1" + "025" + "10002" + "0" + "026" + "10002" + "0" +
  "032" + "12011" + "0" + "035" + "22037" + "0" + "036" + "23104" + "0" + "037" + "30012" + "0" +
  "038" + "30006" + "0" + "039" + "30002" + "0" + "041" + "40008" + "0" + "042" + "40015" + "0" +
  "044" + "62025" + "0" + "048" + "13322" + "0" + "049" + "30003" + "0" + "052" + "50008" + "0" +
  "053" + "10016" + "0" + "054" + "33020" + "0" + "055" + "53255" + "0" + "058" + "43100" + "0" +
  "059" + "63600" + "0" + "060" + "13017" + "0" + "061" + "13029" + "0" + "062" + "53512" + "0" +
  "063" + "63163" + "0" + "064" + "50008" + "0" + "070" + "10003" + "1" + "090" + "10042" + "0" +
  "100" + "12011" + "0" + "102" + "42028" + "0" + "128" + "50008" + "0";
const DEF_CHARS = 9;

/** Field names, for tools only: evaluated when called, so the text stays in flash on a device. */
function fieldNames(): string {
  return "|2 Primary account number|3 Processing code|4 Amount, transaction|11 System trace audit number" +
    "|12 Time, local transaction (hhmmss)|13 Date, local transaction (MMDD)|14 Date, expiration (YYMM)" +
    "|15 Date, settlement (MMDD)|22 POS entry mode|23 Card sequence number|25 POS condition code" +
    "|26 POS PIN capture code|32 Acquiring institution id|35 Track 2 data|36 Track 3 data" +
    "|37 Retrieval reference number|38 Authorization id response|39 Response code|41 Card acceptor terminal id" +
    "|42 Card acceptor id (merchant)|44 Additional response data|48 Additional data (totals, batch upload)" +
    "|49 Currency code, transaction|52 PIN block|53 Security related control info|54 Balance amount" +
    "|55 ICC system related data (TLV)|58 PBOC electronic cash data|59 Additional private data" +
    "|60 Reserved private: type, batch, network code|61 Original message: batch, trace, date" +
    "|62 Reserved private: working keys|63 Reserved private: card org / operator|64 Message authentication code" +
    "|70 Network management info code|90 Original data elements|100 Receiving institution id|102 Account id 1" +
    "|128 Message authentication code (secondary)|";
}

/** The name of field `no` ("" when the spec defines none). */
export function fieldName(no: number): string {
  const names = fieldNames();
  const at = names.indexOf("|" + fieldKey(no) + " ");
  if (at < 0) return "";
  return names.substring(at + fieldKey(no).length + 2, names.indexOf("|", at + 1));
}

/** The number written as three decimal digits at `s[at..]` (not Number(): Espruino reads "041" as octal). */
function digits3(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 100 + (s.charCodeAt(at + 1) - 48) * 10 + s.charCodeAt(at + 2) - 48;
}

/** The dense record table of `defs` (records of DEF_CHARS: number, then the REC_CHARS record). */
function dense(defs: string): string {
  const parts: string[] = [];
  let at = 0;
  for (let no = 0; no <= MAX_FIELD; no++) {
    if (at < defs.length && digits3(defs, at) === no) {
      parts.push(defs.substring(at + 3, at + DEF_CHARS));
      at += DEF_CHARS;
    } else parts.push("000000");
  }
  return parts.join("");
}

/** Every spec by name. */
export const SPECS: readonly IsoSpec[] = [{ name: "cup", table: dense(CUP_DEFS) }];

/**
 * `cup-f22r`: the cup spec with field 22 (POS entry mode) right aligned ("051" -> 00 51), as
 * some hosts want it (an acquirer profile's "field22_align": "right"). Built on first use only
 * (one more table costs RAM on Espruino); at most MAX_SPEC_VARIANTS are ever built.
 */
export const SPEC_CUP_F22R = "cup-f22r";
export const MAX_SPEC_VARIANTS = 1;
const VARIANTS: IsoSpec[] = [];

function variant(name: string): IsoSpec | undefined {
  for (let i = 0; i < VARIANTS.length; i++) if (VARIANTS[i].name === name) return VARIANTS[i];
  if (name !== SPEC_CUP_F22R || VARIANTS.length >= MAX_SPEC_VARIANTS) return undefined;
  const t = SPECS[0].table;
  const at = 22 * REC_CHARS + REC_CHARS - 1;
  const sp: IsoSpec = { name: name, table: t.substring(0, at) + "1" + t.substring(at + 1) };
  VARIANTS.push(sp);
  return sp;
}

/** The object key of field `no` ("0".."128"), built from digits (never a float's text in Lua). */
export function fieldKey(no: number): string {
  if (no < 10) return String.fromCharCode(48 + no);
  if (no < 100) return String.fromCharCode(48 + Math.floor(no / 10), 48 + (no % 10));
  return String.fromCharCode(48 + Math.floor(no / 100), 48 + (Math.floor(no / 10) % 10), 48 + (no % 10));
}

/** The spec named `name` ("cup", "cup-f22r"); anything else is an error. */
export function specByName(name: string): IsoSpec {
  for (let i = 0; i < SPECS.length; i++) if (SPECS[i].name === name) return SPECS[i];
  const v = variant(name);
  if (v !== undefined) return v;
  return fail("iso8583", "unknown spec \"" + name + "\"");
}

/** The format of field `no` (1..MAX_FIELD) in `sp`; fmt Fmt.None when the spec does not define it. */
export function fieldAt(sp: IsoSpec, no: number): FieldFormat {
  const t = sp.table;
  const at = no * REC_CHARS;
  return { no: no, fmt: t.charCodeAt(at) - 48, lt: t.charCodeAt(at + 1) - 48, max: digits3(t, at + 2), align: t.charCodeAt(at + 5) - 48 };
}

/** Definition of field `no` in `spec`, or undefined when the spec does not define it. */
export function fieldDef(spec: string, no: number): FieldDef | undefined {
  const sp = specByName(spec);
  if (no < 2 || no > MAX_FIELD || no !== Math.floor(no)) return undefined;
  const d = fieldAt(sp, no);
  if (d.fmt === Fmt.None) return undefined;
  return { no: d.no, fmt: d.fmt, lt: d.lt, max: d.max, align: d.align, name: fieldName(no) };
}

