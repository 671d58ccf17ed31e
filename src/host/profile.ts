// Acquirer profiles: what differs between hosts, in one JSON file shared by the terminal
// configuration and the acquirer simulator, so an integrator matches a host without code.
// {
//   "name": "cup-ecb-gbk",            profile name (letters, digits, - and _; 1..32)
//   "mac": "cup-ecb",                  field 64 algorithm: "x919" or "cup-ecb"
//   "mac_form": "ascii-hex",           how field 64 carries it: "binary" (x919: 8 bytes) or
//                                      "ascii-hex" (cup-ecb: 4 bytes as 8 hex characters)
//   "tpdu": "6000030000",              10 hex digits
//   "header": "603100000000",          12 hex digits
//   "field22_align": "left",           POS entry mode 3 digits in 2 BCD bytes: "left" (05 10) or "right" (00 51)
//   "omit_fields": ["14"],             optional request fields this host does not want (from OMITTABLE_FIELDS)
//   "reply_fields": {"63": {"gbk_hex": "435550D6D0B9FAD2F8D0D0"}}
//                                      fields the host adds to approvals (the simulator sends them);
//                                      text, or {"gbk_hex": bytes} for GBK text in 44, 59, 63
// }
// Every key is required except omit_fields and reply_fields; unknown keys are an error.
import { errorText, fail } from "../errors";
import { packIso } from "../iso8583/index";
import { J_ARR, J_OBJ, J_STR, JVal, parseJson } from "../conformance/json";
import { checkMacAlgorithm, MAC_CUP_ECB, MAC_X919 } from "../crypto/mac";
import { byteTextFromHex } from "../text/gbk";
import { SPEC_CUP_F22R, fieldDef, isTextFmt } from "../iso8583/spec";
import { CUP_CODEC, CUP_SPEC, cupCodec } from "./cup";
import { HostCodec, HostMessage } from "./codec";
import { Bytes } from "../bytes/types";

export interface AcquirerProfile {
  name: string;
  mac: string;
  mac_form: string;
  tpdu: string;
  header: string;
  field22_align: string;
  /** The ISO 8583 spec this profile implies ("cup" or "cup-f22r"). */
  spec: string;
  omit_fields: string[];
  /** Field numbers of reply_fields, ascending, and their values (one character per byte). */
  reply_keys: string[];
  reply_values: string[];
}

/** Request fields a profile may leave out (optional in UnionPay POS requests). */
export const OMITTABLE_FIELDS: readonly string[] = ["14", "23", "26"];
/** Most reply fields a profile may add. */
export const MAX_REPLY_FIELDS = 8;
const KEYS: readonly string[] = ["name", "mac", "mac_form", "tpdu", "header", "field22_align", "omit_fields", "reply_fields"];
const WHERE = "profile";

function text(v: JVal | undefined, key: string): string {
  if (v === undefined) return fail(WHERE, "missing \"" + key + "\"");
  if (v.k !== J_STR) return fail(WHERE, "\"" + key + "\" must be a string");
  return v.s as string;
}

function hexOf(v: JVal | undefined, key: string, digits: number): string {
  const s = text(v, key);
  let ok = s.length === digits;
  for (let i = 0; i < s.length && ok; i++) {
    const c = s.charCodeAt(i);
    ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  }
  if (!ok) fail(WHERE, "\"" + key + "\" must be " + digits + " hex digits, got \"" + s + "\"");
  return s.toUpperCase();
}

function member(o: JVal, key: string): JVal | undefined {
  const at = (o.keys as string[]).indexOf(key);
  return at < 0 ? undefined : (o.items as JVal[])[at];
}

function omitList(v: JVal | undefined): string[] {
  if (v === undefined) return [];
  if (v.k !== J_ARR) return fail(WHERE, "\"omit_fields\" must be an array of field numbers");
  const out: string[] = [];
  const items = v.items as JVal[];
  for (let i = 0; i < items.length; i++) {
    const f = text(items[i], "omit_fields");
    if (OMITTABLE_FIELDS.indexOf(f) < 0) fail(WHERE, "field " + f + " cannot be omitted (only " + OMITTABLE_FIELDS.join(", ") + ")");
    out.push(f);
  }
  return out;
}

/** The value of one reply field: its text, or {"gbk_hex": bytes} for GBK text. */
function replyValue(no: string, v: JVal): string {
  if (v.k === J_STR) return v.s as string;
  const h = v.k === J_OBJ ? member(v, "gbk_hex") : undefined;
  if (h === undefined) return fail(WHERE, "reply field " + no + " must be text or {\"gbk_hex\": HEX}");
  return byteTextFromHex(text(h, "gbk_hex"));
}

function replyFields(v: JVal | undefined, p: AcquirerProfile): void {
  if (v === undefined) return;
  if (v.k !== J_OBJ) fail(WHERE, "\"reply_fields\" must be an object {\"63\": ...}");
  const keys = v.keys as string[];
  if (keys.length > MAX_REPLY_FIELDS) fail(WHERE, "more than " + MAX_REPLY_FIELDS + " reply fields");
  for (let i = 0; i < keys.length; i++) {
    const d = fieldDef(CUP_SPEC, Number(keys[i]));
    if (d === undefined || String(d.no) !== keys[i] || !isTextFmt(d.fmt)) fail(WHERE, "reply field \"" + keys[i] + "\" must be a text field of the cup spec");
    const value = replyValue(keys[i], (v.items as JVal[])[i]);
    const one: { [n: string]: string } = {};
    one[keys[i]] = value;
    try {
      packIso(CUP_SPEC, { mti: "0810", fields: one });
    } catch (e) {
      fail(WHERE, "reply field " + keys[i] + ": " + errorText(e));
    }
    p.reply_keys.push(keys[i]);
    p.reply_values.push(value);
  }
}

/** Parses and checks a profile; errors name the key. */
export function parseProfile(json: string): AcquirerProfile {
  const o = parseJson(json);
  if (o.k !== J_OBJ) fail(WHERE, "must be a JSON object");
  const keys = o.keys as string[];
  for (let i = 0; i < keys.length; i++) if (KEYS.indexOf(keys[i]) < 0) fail(WHERE, "unknown key \"" + keys[i] + "\"");
  const name = text(member(o, "name"), "name");
  if (name.length < 1 || name.length > 32) fail(WHERE, "\"name\" must be 1..32 characters");
  const mac = text(member(o, "mac"), "mac");
  checkMacAlgorithm(mac);
  const form = text(member(o, "mac_form"), "mac_form");
  const want = mac === MAC_CUP_ECB ? "ascii-hex" : "binary";
  if (form !== want) fail(WHERE, "\"mac_form\" of " + mac + " is \"" + want + "\", got \"" + form + "\"");
  const align = text(member(o, "field22_align"), "field22_align");
  if (align !== "left" && align !== "right") fail(WHERE, "\"field22_align\" must be \"left\" or \"right\"");
  const p: AcquirerProfile = {
    name: name, mac: mac, mac_form: form, tpdu: hexOf(member(o, "tpdu"), "tpdu", 10), header: hexOf(member(o, "header"), "header", 12),
    field22_align: align, spec: align === "right" ? SPEC_CUP_F22R : CUP_SPEC, omit_fields: omitList(member(o, "omit_fields")),
    reply_keys: [], reply_values: [],
  };
  replyFields(member(o, "reply_fields"), p);
  return p;
}

/** `msg` without the fields the profile omits (the same object when it omits none). */
function trimmed(p: AcquirerProfile, msg: HostMessage): HostMessage {
  if (p.omit_fields.length === 0) return msg;
  let any = false;
  for (let i = 0; i < p.omit_fields.length; i++) if (msg.fields[p.omit_fields[i]] !== undefined) any = true;
  if (!any) return msg;
  const f: { [n: string]: string } = {};
  const keys = Object.keys(msg.fields);
  for (let i = 0; i < keys.length; i++) if (p.omit_fields.indexOf(keys[i]) < 0) f[keys[i]] = msg.fields[keys[i]];
  return { mti: msg.mti, fields: f };
}

/** The terminal's host codec for a profile: its spec, TPDU and header; omitted fields never go on the wire. */
export function profileCodec(p: AcquirerProfile): HostCodec {
  const c = cupCodec(p.tpdu, p.header, p.spec);
  return {
    packWire: (msg: HostMessage): Bytes => c.packWire(trimmed(p, msg)),
    unpackWire: c.unpackWire,
    packBare: c.packBare,
    unpackBare: c.unpackBare,
    macInput: (msg: HostMessage): Bytes => c.macInput(trimmed(p, msg)),
    headerOf: c.headerOf,
  };
}

/** What a terminal takes from its profile: the host codec and the field 64 MAC algorithm. */
export interface ProfileHost {
  codec: HostCodec;
  mac_algorithm: string;
}

/** The host codec and MAC algorithm of profile `p` (posrt's default: CUP_CODEC and X9.19 when undefined);
 * `posrt terminal --profile` and the device firmware both build their host side with it. */
export function profileHost(p: AcquirerProfile | undefined): ProfileHost {
  if (p === undefined) return { codec: CUP_CODEC, mac_algorithm: MAC_X919 };
  return { codec: profileCodec(p), mac_algorithm: p.mac };
}
