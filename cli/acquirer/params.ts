// The acquirer simulator's chip-card parameter and CA-public-key downloads (see
// docs/unionpay-hosts.md for the exchanges and their public sources). The host keeps one set
// (AIDs with their options, CA public keys); a terminal that has not acknowledged the set's
// current version (its "end" message, 60.3 = 371 or 381) is asked to download it through the
// processing-requirement digit of the reply header ("4" CA keys first, then "5" parameters).
import * as crypto from "crypto";
import { IsoFields } from "../../src/iso8583/index";
import { NET_KEY_END, NET_KEY_LOAD, NET_KEY_QUERY, NET_PARAM_END, NET_PARAM_LOAD, NET_PARAM_QUERY, queryFrom, tlvList, valueOf } from "../../src/params/field62";
import { fromHex } from "../../src/bytes/index";
import { TerminalState } from "./types";

/** List entries per query reply (so a list takes several exchanges, as on real hosts). */
export const LIST_PAGE = 2;

/** A CA key the host serves; `check`, when set, is sent as DF03 instead of the computed SHA-1 (tests: a tampered key). */
export interface CaKey { rid: string; index: string; expiry: string; modulus: string; exponent: string; check?: string }
export interface AidParams { aid: string; tlv: string }

/** What the host serves: CA keys and AID parameter sets (TLV hex), with a version of each. */
export interface ParamSet {
  keys: CaKey[];
  aids: AidParams[];
  keysVer: string;
  aidsVer: string;
}

function tlv(tag: string, hex: string): string {
  const n = hex.length / 2;
  const l = n < 0x80 ? n.toString(16).padStart(2, "0") : "81" + n.toString(16).padStart(2, "0");
  return tag + l.toUpperCase() + hex;
}

/** A CA key's TLVs as the 0810 reply carries them: RID, index, expiry, algorithms, modulus, exponent, SHA-1 check value. */
export function keyTlv(k: CaKey): string {
  const check = k.check ?? crypto.createHash("sha1").update(Buffer.from(k.rid + k.index + k.modulus + k.exponent, "hex")).digest("hex").toUpperCase();
  return tlv("9F06", k.rid) + tlv("9F22", k.index) + tlv("DF05", k.expiry) + tlv("DF06", "01") + tlv("DF07", "01") + tlv("DF02", k.modulus) + tlv("DF04", k.exponent) + tlv("DF03", check);
}

/** A pseudo-random odd modulus of `n` bytes with its top bit set (a test key: nobody holds its private half). */
function testModulus(seed: string, n: number): string {
  let out = "";
  for (let i = 0; out.length < n * 2; i++) out += crypto.createHash("sha256").update(seed + ":" + i).digest("hex");
  const b = Buffer.from(out.substring(0, n * 2), "hex");
  b[0] |= 0x80;
  b[n - 1] |= 0x01;
  return b.toString("hex").toUpperCase();
}

function aid(aidHex: string, asi: string, floor: string): AidParams {
  const t = tlv("9F06", aidHex) + tlv("DF01", asi) + tlv("9F09", "0020") + tlv("DF11", "D84000A800") + tlv("DF12", "D84004F800") + tlv("DF13", "0010000000")
    + tlv("9F1B", floor) + tlv("DF15", "00000000") + tlv("DF16", "99") + tlv("DF17", "99") + tlv("DF14", "9F3704") + tlv("DF18", "01");
  return { aid: aidHex, tlv: t };
}

function version(parts: string[]): string {
  return crypto.createHash("sha1").update(parts.join("|")).digest("hex").substring(0, 8).toUpperCase();
}

/** The set `posrt acquirer` serves by default: four AIDs (UnionPay debit, credit, quasi-credit; Visa) and three CA keys. */
export function testParamSet(): ParamSet {
  const keys: CaKey[] = [
    { rid: "A000000333", index: "80", expiry: "20301231", modulus: testModulus("posrt test CA key 80", 128), exponent: "03" },
    { rid: "A000000333", index: "81", expiry: "20301231", modulus: testModulus("posrt test CA key 81", 248), exponent: "010001" },
    // JCB's CA public key 12 as published at cnblogs.com/merray/articles/4904484.html (its DF03 check value there matches).
    {
      rid: "A000000065", index: "12", expiry: "20141231", exponent: "03",
      modulus: "ADF05CD4C5B490B087C3467B0F3043750438848461288BFEFD6198DD576DC3AD7A7CFA07DBA128C247A8EAB30DC3A30B02FCD7F1C8167965463626FEFF8AB1AA61A4B9AEF09EE12B009842A1ABA01ADB4A2B170668781EC92B60F605FD12B2B2A6F1FE734BE510F60DC5D189E401451B62B4E06851EC20EBFF4522AACC2E9CDC89BC5D8CDE5D633CFD77220FF6BBD4A9B441473CC3C6FEFC8D13E57C3DE97E1269FA19F655215B23563ED1D1860D8681",
    },
  ];
  const aids = [aid("A000000333010101", "00", "00000000"), aid("A000000333010102", "00", "00000000"), aid("A000000333010103", "00", "00000000"), aid("A0000000031010", "00", "00000000")];
  return { keys, aids, keysVer: version(keys.map(keyTlv)), aidsVer: version(aids.map((a) => a.tlv)) };
}

/** The set a --params flag names: "test" or "none". */
export function paramsFlag(v: string): ParamSet | undefined {
  return v === "test" ? testParamSet() : undefined;
}

/** The processing requirement a reply to `term` carries: "4" keys out of date, "5" parameters, "0" none. */
export function requirement(set: ParamSet | undefined, term: TerminalState | undefined): string {
  if (set === undefined || term === undefined) return "0";
  if (term.keys_ver !== set.keysVer) return "4";
  if (term.params_ver !== set.aidsVer) return "5";
  return "0";
}

/** `header` (12 hex digits) with its processing-requirement digit set to `req`. */
export function withRequirement(header: string, req: string): string {
  return header.length === 12 ? header.substring(0, 5) + req + header.substring(6) : header;
}

/** The 39 and 62 of the reply to one download request (60.3 `net`, field 62 hex `f62`); updates the terminal's acknowledged versions. */
export function downloadReply(set: ParamSet, term: TerminalState, net: string, f62: string | undefined): { rc: string; fields: IsoFields; note: string } {
  const ascii = (s: string) => Buffer.from(s, "ascii").toString("hex").toUpperCase();
  if (net === NET_KEY_QUERY || net === NET_PARAM_QUERY) {
    const from = queryFrom(fromHex(f62 ?? ""));
    const all = net === NET_KEY_QUERY ? set.keys.map((k) => tlv("9F06", k.rid) + tlv("9F22", k.index) + tlv("DF05", k.expiry)) : set.aids.map((a) => tlv("9F06", a.aid));
    const page = all.slice(from, from + LIST_PAGE);
    const status = page.length === 0 ? "0" : from + page.length < all.length ? "2" : "1";
    return { rc: "00", fields: { "62": ascii(status) + page.join("") }, note: `list ${net} from ${from}: ${page.length} of ${all.length}` };
  }
  if (net === NET_KEY_LOAD || net === NET_PARAM_LOAD) {
    const asked = tlvList(fromHex(f62 ?? ""), 0);
    const rid = valueOf(asked, "9F06");
    const hit = net === NET_KEY_LOAD ? set.keys.find((k) => k.rid === rid && k.index === valueOf(asked, "9F22")) : set.aids.find((a) => a.aid === rid);
    if (hit === undefined) return { rc: "00", fields: { "62": ascii("0") }, note: `download ${net}: ${rid} not in the set` };
    return { rc: "00", fields: { "62": ascii("1") + ("modulus" in hit ? keyTlv(hit) : hit.tlv) }, note: `download ${net}: ${rid}` };
  }
  if (net === NET_KEY_END) term.keys_ver = set.keysVer;
  if (net === NET_PARAM_END) term.params_ver = set.aidsVer;
  return { rc: "00", fields: {}, note: `download end ${net}` };
}
