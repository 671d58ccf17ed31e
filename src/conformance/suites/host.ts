// Host dialect suites:
// - host.profile: in the text of an acquirer profile (JSON) -> out {"name","mac","mac_form","spec",
//   "tpdu","header","omit_fields","reply_fields"} with reply values as {"hex": bytes}; a bad profile is an error.
// - host.profile.pack: in {"profile": text, "mti", "fields"} -> out the wire frame (hex) the
//   terminal sends under that profile (its TPDU, header, field 22 alignment, omitted fields).
import { Suite, str } from "../suite";
import { toHex } from "../../bytes/index";
import { byteTextHex } from "../../text/gbk";
import { parseProfile, profileCodec } from "../../host/profile";

function profile(input: unknown): unknown {
  if (typeof input !== "string") throw new Error("vector input must be the profile text");
  const p = parseProfile(input);
  const reply: { [k: string]: unknown } = {};
  for (let i = 0; i < p.reply_keys.length; i++) reply[p.reply_keys[i]] = { hex: byteTextHex(p.reply_values[i]) };
  return {
    name: p.name, mac: p.mac, mac_form: p.mac_form, spec: p.spec, tpdu: p.tpdu, header: p.header,
    omit_fields: p.omit_fields, reply_fields: reply,
  };
}

function pack(input: unknown): unknown {
  const fields = (input as { [k: string]: unknown })["fields"];
  if (typeof fields !== "object") throw new Error("vector input needs object \"fields\"");
  const codec = profileCodec(parseProfile(str(input, "profile")));
  return toHex(codec.packWire({ mti: str(input, "mti"), fields: fields as { [n: string]: string } }));
}

export const HOST_SUITES: Suite[] = [
  { name: "host.profile", run: profile },
  { name: "host.profile.pack", run: pack },
];
