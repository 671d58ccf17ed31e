// Subfields of cup fields 60 and 61 (UnionPay POS "reserved private" fields, n digits).
// 60: 60.1 message type code n2, 60.2 batch number n6, 60.3 network management code n3,
//     60.4 terminal read capability n1, 60.5 IC card condition code n1,
//     60.6 partial approval / balance flag n1, 60.7 account type n3 (n..17 in all).
// 61: 61.1 original batch n6, 61.2 original trace (STAN) n6, 61.3 original date MMDD n4.
// A later subfield may only be present when every earlier one is.
import { fail } from "../errors";
import { isDigits } from "../text/digits";

/** One subfield: the key in the object form, its digit count, its label. */
export interface SubfieldDef { readonly key: string; readonly digits: number; readonly label: string }

export const FIELD60: readonly SubfieldDef[] = [
  { key: "typeCode", digits: 2, label: "60.1 message type code" },
  { key: "batch", digits: 6, label: "60.2 batch number" },
  { key: "netCode", digits: 3, label: "60.3 network management code" },
  { key: "readCap", digits: 1, label: "60.4 terminal read capability" },
  { key: "icCond", digits: 1, label: "60.5 IC card condition code" },
  { key: "partial", digits: 1, label: "60.6 partial approval flag" },
  { key: "account", digits: 3, label: "60.7 account type" },
];

export const FIELD61: readonly SubfieldDef[] = [
  { key: "batch", digits: 6, label: "61.1 original batch number" },
  { key: "trace", digits: 6, label: "61.2 original trace number" },
  { key: "date", digits: 4, label: "61.3 original date (MMDD)" },
];

/** 60.1 message type codes (CUP POS). */
export const TYPE_CODE = { signIn: "00", balance: "01", sale: "22", voidSale: "23", refund: "25", settlement: "00" };
/**
 * 60.3 network management codes: sign-in with single-length keys (001), double-length (003),
 * double-length plus track key (004); settlement and batch upload (201); batch-upload end
 * when totals did not balance (202) or did (207).
 */
export const NET_CODE = {
  none: "000", signInSingle: "001", signInDouble: "003", signInTrack: "004", settlement: "201",
  batchUpload: "201", batchEndUnbalanced: "202", batchEndBalanced: "207",
};

export interface Field60 {
  typeCode: string;
  batch: string;
  netCode?: string;
  readCap?: string;
  icCond?: string;
  partial?: string;
  account?: string;
}

export interface Field61 { batch: string; trace: string; date?: string }

type Loose = { [key: string]: string | undefined };

function subFail(no: string, msg: string): never {
  return fail("iso8583", "field " + no + ": " + msg);
}

/** Joins subfields in order; the first `required` must be present, none after a gap. */
function build(no: string, defs: readonly SubfieldDef[], required: number, obj: Loose): string {
  let s = "";
  let gapAt = -1;
  for (let i = 0; i < defs.length; i++) {
    const v = obj[defs[i].key];
    if (v === undefined) {
      if (i < required) subFail(no, defs[i].label + " is required");
      if (gapAt < 0) gapAt = i;
      continue;
    }
    if (gapAt >= 0) subFail(no, defs[i].label + " given without " + defs[gapAt].label);
    if (typeof v !== "string" || v.length !== defs[i].digits || !isDigits(v)) subFail(no, defs[i].label + " must be " + defs[i].digits + " digits");
    s += v;
  }
  return s;
}

/** Splits a digit string into subfields; it must end on a subfield boundary. */
function parse(no: string, defs: readonly SubfieldDef[], required: number, s: string): Loose {
  if (!isDigits(s)) subFail(no, "not a digit string");
  const out: Loose = {};
  let at = 0;
  for (let i = 0; i < defs.length && at < s.length; i++) {
    if (at + defs[i].digits > s.length) subFail(no, defs[i].label + " truncated at digit " + at);
    out[defs[i].key] = s.substring(at, at + defs[i].digits);
    at += defs[i].digits;
  }
  if (at < s.length) subFail(no, (s.length - at) + " digits past the last subfield");
  for (let i = 0; i < required; i++) if (out[defs[i].key] === undefined) subFail(no, defs[i].label + " missing");
  return out;
}

/** Field 60 from its subfields, e.g. { typeCode: "22", batch: "000001", netCode: "000" } -> "22000001000". */
export function buildField60(f: Field60): string {
  return build("60", FIELD60, 2, f as unknown as Loose);
}

/** Subfields of a field 60 value (at least 60.1 and 60.2). */
export function parseField60(s: string): Field60 {
  return parse("60", FIELD60, 2, s) as unknown as Field60;
}

/** Field 61 (original transaction) from its subfields. */
export function buildField61(f: Field61): string {
  return build("61", FIELD61, 2, f as unknown as Loose);
}

/** Subfields of a field 61 value (at least 61.1 and 61.2). */
export function parseField61(s: string): Field61 {
  return parse("61", FIELD61, 2, s) as unknown as Field61;
}
