// Named subfields of the UnionPay private fields, for tools and receipts.
// Field 63 (ans...163, GBK allowed): 63.1 an3 = card organisation code in replies ("CUP",
// "VIS", "MCC", "JCB", "AMX", …) or operator number in requests; then 63.2, read in fixed
// slices, each present only as far as the value reaches: 63.2.1 issuer reserved ans20 (the
// issuer's name, often GBK), 63.2.2 UnionPay reserved ans20, 63.2.3 acquirer reserved ans20,
// 63.2.4 POS terminal reserved ans60. Slices count bytes (one character per byte: a GBK
// character cut at a slice edge stays in its bytes, it is not repaired).
// Field 48 of settlement (31 digits): see parseTotals48 in src/acquirer/protocol.ts. The issuer's
// name alone (what the terminal needs) is src/iso8583/issuer.ts.
import { parseTotals48 } from "../acquirer/protocol";

/** One named subfield: its number ("63.2.1"), name and raw value. */
export interface Subfield {
  no: string;
  name: string;
  value: string;
}

const F63_NOS: readonly string[] = ["63.1", "63.2.1", "63.2.2", "63.2.3", "63.2.4"];
const F63_NAMES: readonly string[] = [
  "Card organisation (reply) / operator (request)", "Issuer reserved (issuer name)", "UnionPay reserved",
  "Acquirer reserved", "POS terminal reserved",
];
const F63_WIDTHS: readonly number[] = [3, 20, 20, 20, 60];
const TOTALS48_DIGITS = 31;

/** Field 63's subfields, as far as the value reaches. */
export function field63Parts(v: string): Subfield[] {
  const out: Subfield[] = [];
  let at = 0;
  for (let i = 0; i < F63_WIDTHS.length && at < v.length; i++) {
    out.push({ no: F63_NOS[i], name: F63_NAMES[i], value: v.substring(at, at + F63_WIDTHS[i]) });
    at += F63_WIDTHS[i];
  }
  return out;
}

/** Most tag-length-value parts read from field 59. */
export const MAX_F59_PARTS = 32;
const F59_TAGS: readonly string[] = ["A4"];
const F59_NAMES: readonly string[] = ["QR payment voucher number (扫码付付款凭证码)"];

function isTagChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/**
 * Field 59's parts when it reads as tag (2 ASCII upper-case letters or digits), length (3 ASCII
 * digits), value, repeated to its very end (the form public UnionPay terminal sources read, e.g.
 * tag A4 with the QR payment voucher); [] when it does not (59 is host-defined: shown whole).
 */
export function field59Parts(v: string): Subfield[] {
  const out: Subfield[] = [];
  let at = 0;
  for (let k = 0; k < MAX_F59_PARTS && at < v.length; k++) {
    if (at + 5 > v.length || !isTagChar(v.charCodeAt(at)) || !isTagChar(v.charCodeAt(at + 1))) return [];
    let n = 0;
    for (let i = 2; i < 5; i++) {
      const d = v.charCodeAt(at + i) - 48;
      if (d < 0 || d > 9) return [];
      n = n * 10 + d;
    }
    if (at + 5 + n > v.length) return [];
    const tag = v.substring(at, at + 2);
    const i = F59_TAGS.indexOf(tag);
    out.push({ no: "59." + tag, name: i >= 0 ? F59_NAMES[i] : "host-defined", value: v.substring(at + 5, at + 5 + n) });
    at += 5 + n;
  }
  return at === v.length ? out : [];
}

/** Field 48's subfields when it holds settlement totals (31 digits); [] otherwise (e.g. batch upload data). */
export function field48Parts(v: string): Subfield[] {
  if (v.length !== TOTALS48_DIGITS) return [];
  const t = parseTotals48(v).totals;
  return [
    { no: "48.1", name: "Debit count", value: String(t.debit_count) },
    { no: "48.2", name: "Debit amount (minor units)", value: String(t.debit_minor) },
    { no: "48.3", name: "Credit count", value: String(t.credit_count) },
    { no: "48.4", name: "Credit amount (minor units)", value: String(t.credit_minor) },
    { no: "48.5", name: "Settlement flag (0 request, 1 balanced, 2 not balanced)", value: v.substring(30, 31) },
  ];
}
