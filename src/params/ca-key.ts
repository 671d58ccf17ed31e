// The check value of a downloaded CA public key (DF03): SHA-1 over RID ‖ CA public key index ‖
// modulus ‖ exponent (EMV 4.3 Book 2, table 23 "Certification Authority Public Key Check Sum";
// the order is quoted on public pages, see docs/unionpay-hosts.md). A key whose DF03 is
// missing or does not match is not stored: a corrupted or tampered modulus would make every
// later offline data authentication with that key fail or, worse, succeed for the wrong party.
import { concat, fromHex, toHex } from "../bytes/index";
import { sha1 } from "../crypto/sha1";
import { NamedTlv, valueOf } from "./field62";

/** Hex digits of the check value (20 bytes). */
export const CA_CHECK_HEX = 40;

/** Why the CA key `list` (its TLVs) fails its check value, "" when it matches. */
export function caKeyCheckProblem(list: NamedTlv[]): string {
  const rid = valueOf(list, "9F06");
  const index = valueOf(list, "9F22");
  const modulus = valueOf(list, "DF02");
  const exponent = valueOf(list, "DF04");
  const check = valueOf(list, "DF03");
  const name = "CA key " + String(rid) + "/" + String(index);
  if (rid === undefined || index === undefined || modulus === undefined || exponent === undefined) return name + " lacks its RID, index, modulus or exponent";
  if (check === undefined) return name + " has no check value (DF03)";
  if (check.length !== CA_CHECK_HEX) return name + ": check value (DF03) is " + Math.floor(check.length / 2) + " bytes, not 20";
  const got = toHex(sha1(concat([fromHex(rid), fromHex(index), fromHex(modulus), fromHex(exponent)])));
  if (got !== check.toUpperCase()) return name + ": check value (DF03) does not match";
  return "";
}
