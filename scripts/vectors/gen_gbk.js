#!/usr/bin/env node
// Writes test/vectors/iso8583-gbk.json: ISO 8583 (cup) frames with GBK / GB18030 text in
// fields 44, 59 and 63. Frames are built here byte by byte with Node's Buffer (independent of
// posrt's packer); every GBK string is checked with Node's own GB18030 decoder (ICU) before use.
// These are constructed messages, not captures of real traffic.
"use strict";
const fs = require("fs");
const path = require("path");

const gbk = new TextDecoder("gb18030", { fatal: true });
/** GBK bytes (hex) that must decode to `text` with Node's GB18030 decoder. */
function g(hex, text) {
  const got = gbk.decode(Buffer.from(hex, "hex"));
  if (got !== text) throw new Error(`${hex} decodes to ${got}, not ${text}`);
  return hex.toUpperCase();
}
const BOC = g("d6d0b9fad2f8d0d0", "中国银行");
const ICBC = g("b9a4c9ccd2f8d0d0", "工商银行");
const CUP = g("d2f8c1aa", "银联");
const GB4 = g("81308130", "\u0080"); // a GB18030 four-byte sequence
const ascii = (s) => Buffer.from(s, "ascii").toString("hex").toUpperCase();
const bcd = (digits) => digits;
const ll = (n) => String(n).padStart(2, "0");
const lll = (n) => String(n).padStart(4, "0");

/** A bare message from [no, wireHex] pairs, ascending. */
function bare(mti, parts) {
  const bm = Buffer.alloc(8);
  for (const [no] of parts) bm[(no - 1) >> 3] |= 0x80 >> ((no - 1) & 7);
  return mti + bm.toString("hex").toUpperCase() + parts.map((p) => p[1]).join("");
}
function wire(b) {
  const body = "6000000003" + "603100000000" + b;
  return (body.length / 2).toString(16).padStart(4, "0").toUpperCase() + body;
}

// 0210 sale approval as a UnionPay host sends it, issuer name in Chinese in 63 and 44.
const f63 = ascii("CUP") + BOC;
const f44 = ascii("01") + ICBC;
const f59 = ascii("A3") + CUP + GB4;
const reply = [
  [3, bcd("000000")], [4, bcd("000000010000")], [11, bcd("000074")], [12, bcd("101530")], [13, bcd("1203")],
  [25, bcd("00")], [32, ll(8) + "48021000"], [37, ascii("120310153074")], [38, ascii("A1B2C3")], [39, ascii("00")],
  [41, ascii("20261126")], [42, ascii("898310048160001")], [44, ll(f44.length / 2) + f44], [49, ascii("156")],
  [59, lll(f59.length / 2) + f59], [60, lll(14) + "22000001000500"], [63, lll(f63.length / 2) + f63],
];
const replyFields = {
  "3": "000000", "4": "000000010000", "11": "000074", "12": "101530", "13": "1203", "25": "00", "32": "48021000",
  "37": "120310153074", "38": "A1B2C3", "39": "00", "41": "20261126", "42": "898310048160001",
  "44": { hex: f44 }, "49": "156", "59": { hex: f59 }, "60": "22000001000500", "63": { hex: f63 },
};
const replyBare = bare("0210", reply);

const cases = {
  unpack: [
    { name: "0210 approval, GBK issuer names in 44, 59, 63 (constructed, GBK checked with Node's GB18030 decoder) bare",
      in: { spec: "cup", frame: "bare", hex: replyBare }, out: { mti: "0210", fields: replyFields } },
    { name: "0210 approval, GBK issuer names in 44, 59, 63 (constructed) wire",
      in: { spec: "cup", frame: "wire", hex: wire(replyBare) },
      out: { mti: "0210", fields: replyFields, tpdu: "6000000003", header: "603100000000" } },
    { name: "GBK lead byte without its trail byte at the end of field 63 is rejected",
      in: { spec: "cup", frame: "bare", hex: bare("0810", [[63, lll(4) + ascii("CUP") + "D6"]]) }, error: true },
    { name: "GBK lead byte followed by a control byte in field 63 is rejected",
      in: { spec: "cup", frame: "bare", hex: bare("0810", [[63, lll(4) + "D60A" + ascii("AB")]]) }, error: true },
    { name: "byte 0x80 alone in field 63 is rejected (not a GBK lead byte)",
      in: { spec: "cup", frame: "bare", hex: bare("0810", [[63, lll(3) + "80" + ascii("AB")]]) }, error: true },
    { name: "GBK bytes in field 42 (plain ans) are rejected",
      in: { spec: "cup", frame: "bare", hex: bare("0810", [[42, ascii("8983100481") + BOC.slice(0, 10)]]) }, error: true },
    { name: "a truncated GB18030 four-byte sequence in field 59 is rejected",
      in: { spec: "cup", frame: "bare", hex: bare("0810", [[59, lll(3) + "813081"]]) }, error: true },
  ],
  pack: [
    { name: "0210 approval with GBK in 44, 59, 63 packs byte-exact (bare)",
      in: { spec: "cup", frame: "bare", mti: "0210", fields: replyFields }, out: replyBare },
    { name: "0210 approval with GBK in 44, 59, 63 packs byte-exact (wire)",
      in: { spec: "cup", frame: "wire", mti: "0210", fields: replyFields, tpdu: "6000000003", header: "603100000000" },
      out: wire(replyBare) },
    { name: "pack refuses a lone GBK lead byte in field 63",
      in: { spec: "cup", frame: "bare", mti: "0810", fields: { "63": { hex: ascii("CUP") + "D6" } } }, error: true },
    { name: "pack refuses GBK bytes in field 41 (plain ans)",
      in: { spec: "cup", frame: "bare", mti: "0810", fields: { "41": { hex: ascii("2026") + BOC.slice(0, 8) } } }, error: true },
  ],
};
const mac = {
  name: "MAC input of the GBK reply covers the GBK bytes as sent (bare message, MAC field zeroed)",
  in: { spec: "cup", mti: "0210", fields: { ...replyFields, "64": "0000000000000000" } },
};
const withMac = bare("0210", [...reply, [64, "0000000000000000"]]);
mac.out = withMac.slice(0, withMac.length - 16);

// Field 63 subfields (63.1 an3, 63.2.1..63.2.3 ans20, 63.2.4 ans60; slices in bytes).
const sp = (t, n) => t.padEnd(n, " ");
const issuer = BOC + ascii(" ".repeat(12)); // 中国银行 in a 20-byte slice
const all63 = ascii("CUP") + issuer + ascii(sp("UNIONPAY", 20)) + ascii(sp("ACQ", 20)) + ascii("T1");
const f63cases = [
  { name: "request: operator number only", in: "001", out: [{ no: "63.1", value: "001" }] },
  { name: "reply: card organisation and a GBK issuer name (20-byte slice, space padded)", in: { hex: ascii("CUP") + issuer },
    out: [{ no: "63.1", value: "CUP" }, { no: "63.2.1", value: { hex: issuer } }] },
  { name: "reply with all four 63.2 slices, the last one short", in: { hex: all63 },
    out: [{ no: "63.1", value: "CUP" }, { no: "63.2.1", value: { hex: issuer } }, { no: "63.2.2", value: sp("UNIONPAY", 20) },
      { no: "63.2.3", value: sp("ACQ", 20) }, { no: "63.2.4", value: "T1" }] },
  { name: "issuer slice cut short", in: "CUPBANK", out: [{ no: "63.1", value: "CUP" }, { no: "63.2.1", value: "BANK" }] },
];

const out = [
  { suite: "iso8583.unpack", cases: cases.unpack },
  { suite: "iso8583.pack", cases: cases.pack },
  { suite: "iso8583.mac_input", cases: [mac] },
  { suite: "iso8583.field63.parse", cases: f63cases },
];
const file = path.join(__dirname, "..", "..", "test", "vectors", "iso8583-gbk.json");
fs.writeFileSync(file, "[\n" + out.map((s) => JSON.stringify(s)).join(",\n") + "\n]\n");
console.log("wrote " + file);
