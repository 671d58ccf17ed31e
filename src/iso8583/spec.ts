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

/** One field: format, length type, max length (digits/characters/bytes), BCD alignment, name. */
export interface FieldDef {
  readonly no: number;
  readonly fmt: number;
  readonly lt: number;
  readonly max: number;
  readonly align: number;
  readonly name: string;
}

/** A named spec: its definitions, dense by field number 0..MAX_FIELD. */
export interface IsoSpec {
  readonly name: string;
  readonly byNo: readonly FieldDef[];
}

function def(no: number, fmt: number, lt: number, max: number, name: string, align?: number): FieldDef {
  return { no: no, fmt: fmt, lt: lt, max: max, align: align === undefined ? Align.Left : align, name: name };
}

// UnionPay POS fields 2..64 (sale, void, refund, reversal, settlement, batch upload, sign-in).
const CUP_DEFS: readonly FieldDef[] = [
  def(2, Fmt.N, Len.LL, 19, "Primary account number"),
  def(3, Fmt.N, Len.Fixed, 6, "Processing code"),
  def(4, Fmt.N, Len.Fixed, 12, "Amount, transaction"),
  def(11, Fmt.N, Len.Fixed, 6, "System trace audit number"),
  def(12, Fmt.N, Len.Fixed, 6, "Time, local transaction (hhmmss)"),
  def(13, Fmt.N, Len.Fixed, 4, "Date, local transaction (MMDD)"),
  def(14, Fmt.N, Len.Fixed, 4, "Date, expiration (YYMM)"),
  def(15, Fmt.N, Len.Fixed, 4, "Date, settlement (MMDD)"),
  def(22, Fmt.N, Len.Fixed, 3, "POS entry mode"),
  def(23, Fmt.N, Len.Fixed, 3, "Card sequence number", Align.Right),
  def(25, Fmt.N, Len.Fixed, 2, "POS condition code"),
  def(26, Fmt.N, Len.Fixed, 2, "POS PIN capture code"),
  def(32, Fmt.N, Len.LL, 11, "Acquiring institution id"),
  def(35, Fmt.Z, Len.LL, 37, "Track 2 data"),
  def(36, Fmt.Z, Len.LLL, 104, "Track 3 data"),
  def(37, Fmt.AN, Len.Fixed, 12, "Retrieval reference number"),
  def(38, Fmt.AN, Len.Fixed, 6, "Authorization id response"),
  def(39, Fmt.AN, Len.Fixed, 2, "Response code"),
  def(41, Fmt.ANS, Len.Fixed, 8, "Card acceptor terminal id"),
  def(42, Fmt.ANS, Len.Fixed, 15, "Card acceptor id (merchant)"),
  def(44, Fmt.ANSG, Len.LL, 25, "Additional response data"),
  def(48, Fmt.N, Len.LLL, 322, "Additional data (totals, batch upload)"),
  def(49, Fmt.AN, Len.Fixed, 3, "Currency code, transaction"),
  def(52, Fmt.B, Len.Fixed, 8, "PIN block"),
  def(53, Fmt.N, Len.Fixed, 16, "Security related control info"),
  def(54, Fmt.AN, Len.LLL, 20, "Balance amount"),
  def(55, Fmt.B, Len.LLL, 255, "ICC system related data (TLV)"),
  def(58, Fmt.ANS, Len.LLL, 100, "PBOC electronic cash data"),
  def(59, Fmt.ANSG, Len.LLL, 600, "Additional private data"),
  def(60, Fmt.N, Len.LLL, 17, "Reserved private: type, batch, network code"),
  def(61, Fmt.N, Len.LLL, 29, "Original message: batch, trace, date"),
  def(62, Fmt.B, Len.LLL, 512, "Reserved private: working keys"),
  def(63, Fmt.ANSG, Len.LLL, 163, "Reserved private: card org / operator"),
  def(64, Fmt.B, Len.Fixed, 8, "Message authentication code"),
  def(70, Fmt.N, Len.Fixed, 3, "Network management info code", Align.Right),
  def(90, Fmt.N, Len.Fixed, 42, "Original data elements"),
  def(100, Fmt.N, Len.LL, 11, "Receiving institution id"),
  def(102, Fmt.ANS, Len.LL, 28, "Account id 1"),
  def(128, Fmt.B, Len.Fixed, 8, "Message authentication code (secondary)"),
];

/** Stands for every number a spec does not define (one shared object: RAM matters on Espruino). */
const UNDEFINED_FIELD = def(0, Fmt.None, Len.Fixed, 0, "undefined");

function dense(defs: readonly FieldDef[]): FieldDef[] {
  const out: FieldDef[] = [];
  for (let no = 0; no <= MAX_FIELD; no++) out.push(UNDEFINED_FIELD);
  for (let i = 0; i < defs.length; i++) out[defs[i].no] = defs[i];
  return out;
}

/** Every spec by name. */
export const SPECS: readonly IsoSpec[] = [{ name: "cup", byNo: dense(CUP_DEFS) }];

/**
 * `cup-f22r`: the cup spec with field 22 (POS entry mode) right aligned ("051" -> 00 51), as
 * some hosts want it (an acquirer profile's "field22_align": "right"). Built on first use only
 * (one more dense table costs RAM on Espruino); at most MAX_SPEC_VARIANTS are ever built.
 */
export const SPEC_CUP_F22R = "cup-f22r";
export const MAX_SPEC_VARIANTS = 1;
const VARIANTS: IsoSpec[] = [];

function variant(name: string): IsoSpec | undefined {
  for (let i = 0; i < VARIANTS.length; i++) if (VARIANTS[i].name === name) return VARIANTS[i];
  if (name !== SPEC_CUP_F22R || VARIANTS.length >= MAX_SPEC_VARIANTS) return undefined;
  const byNo = dense(CUP_DEFS);
  byNo[22] = def(22, Fmt.N, Len.Fixed, 3, "POS entry mode", Align.Right);
  const sp: IsoSpec = { name: name, byNo: byNo };
  VARIANTS.push(sp);
  return sp;
}

/** Field keys "0".."128", so code never formats a number on the hot path. */
export const FIELD_KEYS: readonly string[] = fieldKeys();

function fieldKeys(): string[] {
  const out: string[] = [];
  for (let no = 0; no <= MAX_FIELD; no++) out.push(String(no));
  return out;
}

/** The spec named `name` ("cup", "cup-f22r"); anything else is an error. */
export function specByName(name: string): IsoSpec {
  for (let i = 0; i < SPECS.length; i++) if (SPECS[i].name === name) return SPECS[i];
  const v = variant(name);
  if (v !== undefined) return v;
  return fail("iso8583", "unknown spec \"" + name + "\"");
}

/** Definition of field `no` in `spec`, or undefined when the spec does not define it. */
export function fieldDef(spec: string, no: number): FieldDef | undefined {
  const sp = specByName(spec);
  if (no < 2 || no > MAX_FIELD || no !== Math.floor(no)) return undefined;
  const d = sp.byNo[no];
  return d.fmt === Fmt.None ? undefined : d;
}

