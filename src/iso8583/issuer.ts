// The issuer's name in a reply's field 63 (63.2.1, after the 3-byte 63.1; GBK allowed), on its
// own so the terminal carries it without the named-subfield tables of subfields.ts (tools only).

/** Bytes of 63.1 before the issuer's name, and the name's width (63.2.1, ans20). */
const F63_1_BYTES = 3;
const ISSUER_BYTES = 20;

/** The issuer's name (63.2.1) of a reply's field 63, trailing spaces dropped; "" when absent. */
export function issuerName(f63: string | undefined): string {
  if (f63 === undefined || f63.length <= F63_1_BYTES) return "";
  const v = f63.substring(F63_1_BYTES, F63_1_BYTES + ISSUER_BYTES);
  let end = v.length;
  for (let i = 0; i < ISSUER_BYTES && end > 0 && v.charCodeAt(end - 1) === 32; i++) end--;
  return v.substring(0, end);
}
