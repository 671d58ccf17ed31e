// ISO 8583 field-spec tables. A spec is a frozen table of field definitions,
// looked up by field number through a dense array (no holes: undefined numbers
// hold a placeholder with fmt FMT_NONE).
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
// - `b`: raw bytes, values are upper-case hex; fixed lengths (52, 64) are 8 bytes.
// Unpack accepts a pad nibble of 0 or F (some hosts pad with F); pack always writes 0.
// Fields 65..128 are not used by CUP POS terminals; a few ISO 8583:1987 defaults are
// defined so a secondary-bitmap message can be carried and decoded (MAC then in 128).

import { fail } from "../errors";

export const FMT_NONE = 0;
export const FMT_N = 1;
export const FMT_Z = 2;
export const FMT_AN = 3;
export const FMT_ANS = 4;
export const FMT_B = 5;
/** Format names by FMT_* code, for tools. */
export const FORMAT_NAMES: readonly string[] = ["-", "n", "z", "an", "ans", "b"];

export const LEN_FIXED = 0;
export const LEN_LL = 2;
export const LEN_LLL = 3;

export const ALIGN_LEFT = 0;
export const ALIGN_RIGHT = 1;

/** Highest field number a spec may define (secondary bitmap). */
export const MAX_FIELD = 128;

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
  return { no: no, fmt: fmt, lt: lt, max: max, align: align === undefined ? ALIGN_LEFT : align, name: name };
}

// UnionPay POS fields 2..64 (sale, void, refund, reversal, settlement, batch upload, sign-in).
const CUP_DEFS: readonly FieldDef[] = [
  def(2, FMT_N, LEN_LL, 19, "Primary account number"),
  def(3, FMT_N, LEN_FIXED, 6, "Processing code"),
  def(4, FMT_N, LEN_FIXED, 12, "Amount, transaction"),
  def(11, FMT_N, LEN_FIXED, 6, "System trace audit number"),
  def(12, FMT_N, LEN_FIXED, 6, "Time, local transaction (hhmmss)"),
  def(13, FMT_N, LEN_FIXED, 4, "Date, local transaction (MMDD)"),
  def(14, FMT_N, LEN_FIXED, 4, "Date, expiration (YYMM)"),
  def(15, FMT_N, LEN_FIXED, 4, "Date, settlement (MMDD)"),
  def(22, FMT_N, LEN_FIXED, 3, "POS entry mode"),
  def(23, FMT_N, LEN_FIXED, 3, "Card sequence number", ALIGN_RIGHT),
  def(25, FMT_N, LEN_FIXED, 2, "POS condition code"),
  def(26, FMT_N, LEN_FIXED, 2, "POS PIN capture code"),
  def(32, FMT_N, LEN_LL, 11, "Acquiring institution id"),
  def(35, FMT_Z, LEN_LL, 37, "Track 2 data"),
  def(36, FMT_Z, LEN_LLL, 104, "Track 3 data"),
  def(37, FMT_AN, LEN_FIXED, 12, "Retrieval reference number"),
  def(38, FMT_AN, LEN_FIXED, 6, "Authorization id response"),
  def(39, FMT_AN, LEN_FIXED, 2, "Response code"),
  def(41, FMT_ANS, LEN_FIXED, 8, "Card acceptor terminal id"),
  def(42, FMT_ANS, LEN_FIXED, 15, "Card acceptor id (merchant)"),
  def(44, FMT_ANS, LEN_LL, 25, "Additional response data"),
  def(48, FMT_N, LEN_LLL, 322, "Additional data (totals, batch upload)"),
  def(49, FMT_AN, LEN_FIXED, 3, "Currency code, transaction"),
  def(52, FMT_B, LEN_FIXED, 8, "PIN block"),
  def(53, FMT_N, LEN_FIXED, 16, "Security related control info"),
  def(54, FMT_AN, LEN_LLL, 20, "Balance amount"),
  def(55, FMT_B, LEN_LLL, 255, "ICC system related data (TLV)"),
  def(58, FMT_ANS, LEN_LLL, 100, "PBOC electronic cash data"),
  def(59, FMT_ANS, LEN_LLL, 600, "Additional private data"),
  def(60, FMT_N, LEN_LLL, 17, "Reserved private: type, batch, network code"),
  def(61, FMT_N, LEN_LLL, 29, "Original message: batch, trace, date"),
  def(62, FMT_B, LEN_LLL, 512, "Reserved private: working keys"),
  def(63, FMT_ANS, LEN_LLL, 163, "Reserved private: card org / operator"),
  def(64, FMT_B, LEN_FIXED, 8, "Message authentication code"),
  def(70, FMT_N, LEN_FIXED, 3, "Network management info code", ALIGN_RIGHT),
  def(90, FMT_N, LEN_FIXED, 42, "Original data elements"),
  def(100, FMT_N, LEN_LL, 11, "Receiving institution id"),
  def(102, FMT_ANS, LEN_LL, 28, "Account id 1"),
  def(128, FMT_B, LEN_FIXED, 8, "Message authentication code (secondary)"),
];

function dense(defs: readonly FieldDef[]): FieldDef[] {
  const out: FieldDef[] = [];
  for (let no = 0; no <= MAX_FIELD; no++) out.push(def(no, FMT_NONE, LEN_FIXED, 0, "undefined"));
  for (let i = 0; i < defs.length; i++) out[defs[i].no] = defs[i];
  return out;
}

/** Every spec by name. */
export const SPECS: readonly IsoSpec[] = [{ name: "cup", byNo: dense(CUP_DEFS) }];

/** Field keys "0".."128", so code never formats a number on the hot path. */
export const FIELD_KEYS: readonly string[] = fieldKeys();

function fieldKeys(): string[] {
  const out: string[] = [];
  for (let no = 0; no <= MAX_FIELD; no++) out.push(String(no));
  return out;
}

/** The spec named `name` ("cup"); anything else is an error. */
export function specByName(name: string): IsoSpec {
  for (let i = 0; i < SPECS.length; i++) if (SPECS[i].name === name) return SPECS[i];
  return fail("iso8583", "unknown spec \"" + name + "\"");
}

/** Definition of field `no` in `spec`, or undefined when the spec does not define it. */
export function fieldDef(spec: string, no: number): FieldDef | undefined {
  const sp = specByName(spec);
  if (no < 2 || no > MAX_FIELD || no !== Math.floor(no)) return undefined;
  const d = sp.byNo[no];
  return d.fmt === FMT_NONE ? undefined : d;
}

