#!/usr/bin/env node
// Writes test/vectors/host-profile.json: the shipped acquirer profiles (profiles/*.json) parsed,
// bad profiles refused, and a 0200 packed under each profile. Expected frames are built here
// byte by byte with Buffer (independent of posrt's packer).
"use strict";
const fs = require("fs");
const path = require("path");
const ROOT = path.join(__dirname, "..", "..");
const read = (f) => fs.readFileSync(path.join(ROOT, "profiles", f), "utf8");
const def = read("posrt-default.json");
const ecb = read("cup-ecb-gbk.json");
const ascii = (s) => Buffer.from(s, "ascii").toString("hex").toUpperCase();

function bare(mti, parts) {
  const bm = Buffer.alloc(8);
  for (const [no] of parts) bm[(no - 1) >> 3] |= 0x80 >> ((no - 1) & 7);
  return mti + bm.toString("hex").toUpperCase() + parts.map((p) => p[1]).join("");
}
function wire(tpdu, header, b) {
  const body = tpdu + header + b;
  return (body.length / 2).toString(16).padStart(4, "0").toUpperCase() + body;
}
const fields = { "3": "000000", "4": "000000001234", "11": "000001", "14": "2512", "22": "021", "25": "00",
  "41": "20261126", "42": "898310048160001", "49": "156", "60": "22000001" };
const parts = (f22, with14) => [
  [3, "000000"], [4, "000000001234"], [11, "000001"], ...(with14 ? [[14, "2512"]] : []), [22, f22], [25, "00"],
  [41, ascii("20261126")], [42, ascii("898310048160001")], [49, ascii("156")], [60, "0008" + "22000001"],
];
const bad = (name, text) => ({ name, in: text, error: true });
const swap = (text, from, to) => { if (!text.includes(from)) throw new Error(from); return text.replace(from, to); };

const out = [
  { suite: "host.profile", cases: [
    { name: "profiles/posrt-default.json", in: def, out: { name: "posrt-default", mac: "x919", mac_form: "binary", spec: "cup",
      tpdu: "6000030000", header: "603100000000", omit_fields: [], reply_fields: {} } },
    { name: "profiles/cup-ecb-gbk.json (GBK 63 = CUP中国银行, 44 = 01工商银行)", in: ecb, out: { name: "cup-ecb-gbk", mac: "cup-ecb", mac_form: "ascii-hex",
      spec: "cup-f22r", tpdu: "6000050000", header: "603200000000", omit_fields: ["14"],
      reply_fields: { "63": { hex: "435550D6D0B9FAD2F8D0D0" }, "44": { hex: "3031B9A4C9CCD2F8D0D0" } } } },
    bad("unknown MAC algorithm", swap(def, '"x919"', '"x99"')),
    bad("mac_form that does not fit the algorithm", swap(ecb, '"ascii-hex"', '"binary"')),
    bad("unknown key", swap(def, '"name"', '"nmae"')),
    bad("missing tpdu", swap(def, '"tpdu": "6000030000",', "")),
    bad("TPDU not 10 hex digits", swap(def, '"6000030000"', '"60000300"')),
    bad("field 22 alignment neither left nor right", swap(def, '"left"', '"centre"')),
    bad("a mandatory field cannot be omitted", swap(ecb, '["14"]', '["4"]')),
    bad("reply field that is not a text field", swap(ecb, '"44": {', '"4": {')),
    bad("reply field with a broken GBK sequence", swap(ecb, "435550D6D0B9FAD2F8D0D0", "435550D6")),
    bad("not JSON", "{name"),
  ] },
  { suite: "host.profile.pack", cases: [
    { name: "0200 under posrt-default: TPDU 6000030000, header 603100000000, 22 left aligned, 14 sent",
      in: { profile: def, mti: "0200", fields }, out: wire("6000030000", "603100000000", bare("0200", parts("0210", true))) },
    { name: "0200 under cup-ecb-gbk: TPDU 6000050000, header 603200000000, 22 right aligned, 14 left out",
      in: { profile: ecb, mti: "0200", fields }, out: wire("6000050000", "603200000000", bare("0200", parts("0021", false))) },
  ] },
];
fs.writeFileSync(path.join(ROOT, "test", "vectors", "host-profile.json"), "[\n" + out.map((s) => JSON.stringify(s)).join(",\n") + "\n]\n");
console.log("wrote test/vectors/host-profile.json");
