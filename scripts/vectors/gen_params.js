#!/usr/bin/env node
// Writes test/vectors/params-download.json: field 62 of the UnionPay chip-parameter and CA-key
// downloads (suite iso8583.field62.parse) and whole downloads (params.download). Field 62
// contents come from public material, element by element as each source splits them (the
// expected TLV lists below are those splits, not the output of posrt's parser):
// - cnblogs.com/merray/articles/4904484.html ("POSP开发笔记"): one CA public key as a download
//   reply carries it (JCB, index 12; its DF03 check value is re-computed here with SHA-1 over
//   RID + index + modulus + exponent and matches), and a CA key list "as UnionPay returned it"
//   to a POS status upload (the first 15 entries of the page);
// - the query request "1" + two digits and the reply status byte ("0" none, "1" last, "2" more)
//   as the public newpos libpay terminal source reads them (DparaTrans.java, read, not copied).
// Status bytes are added where a source shows only the TLVs (named in each case).
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const ascii = (s) => Buffer.from(s, "ascii").toString("hex").toUpperCase();
const tlv = (tag, hex) => {
  const n = hex.length / 2;
  return tag + (n < 0x80 ? "" : "81") + n.toString(16).padStart(2, "0").toUpperCase() + hex;
};
const NAMES = {
  "9F06": "RID / AID", "9F22": "CA public key index", DF05: "CA key expiry (YYYYMMDD)", DF06: "CA key hash algorithm", DF07: "CA key signature algorithm",
  DF02: "CA key modulus", DF04: "CA key exponent", DF03: "CA key check value (SHA-1)", DF01: "Application selection indicator (0 partial match)",
  "9F09": "Application version (terminal)", DF11: "TAC default", DF12: "TAC online", DF13: "TAC denial", "9F1B": "Terminal floor limit",
};
const el = (tag, hex) => ({ tag, name: NAMES[tag], hex });

// cnblogs merray: JCB CA key 12, element by element as the page lists them.
const JCB_MOD = "ADF05CD4C5B490B087C3467B0F3043750438848461288BFEFD6198DD576DC3AD7A7CFA07DBA128C247A8EAB30DC3A30B02FCD7F1C8167965463626FEFF8AB1AA61A4B9AEF09EE12B009842A1ABA01ADB4A2B170668781EC92B60F605FD12B2B2A6F1FE734BE510F60DC5D189E401451B62B4E06851EC20EBFF4522AACC2E9CDC89BC5D8CDE5D633CFD77220FF6BBD4A9B441473CC3C6FEFC8D13E57C3DE97E1269FA19F655215B23563ED1D1860D8681";
const JCB_CHECK = "874B379B7F607DC1CAF87A19E400B6A9E25163E8";
const sha = crypto.createHash("sha1").update(Buffer.from("A000000065" + "12" + JCB_MOD + "03", "hex")).digest("hex").toUpperCase();
if (sha !== JCB_CHECK) throw new Error("the published JCB key 12 does not match its check value");
const JCB_ELEMENTS = [el("9F06", "A000000065"), el("9F22", "12"), el("DF05", "20141231"), el("DF06", "01"), el("DF07", "01"), el("DF02", JCB_MOD), el("DF04", "03"), el("DF03", JCB_CHECK)];
const JCB_TLV = JCB_ELEMENTS.map((e) => tlv(e.tag, e.hex)).join("");

// cnblogs merray: "银联返回的公钥列表案例", (RID, index, expiry) in the page's order.
const LIST = [
  ["A000000065", "09", "20091231"], ["A000000065", "10", "20121231"], ["A000000065", "12", "20141231"], ["A000000065", "14", "20161231"],
  ["A000000333", "01", "20091231"], ["A000000333", "02", "20211231"], ["A000000333", "03", "20241231"], ["A000000333", "04", "20251231"],
  ["A000000003", "01", "20091231"], ["A000000003", "07", "20121231"], ["A000000004", "03", "20091231"], ["A000000003", "08", "20141231"],
  ["A000000004", "04", "20171231"], ["A000000003", "09", "20161231"],
];
const LIST_HEX = LIST.map(([r, i, d]) => tlv("9F06", r) + tlv("9F22", i) + tlv("DF05", d)).join("");
const LIST_ELEMENTS = LIST.flatMap(([r, i, d]) => [el("9F06", r), el("9F22", i), el("DF05", d)]);

const MERRAY = "cnblogs.com/merray/articles/4904484.html";
const field62 = [
  { name: `0810 370 reply: JCB CA key 12 as published at ${MERRAY} (status byte "1" added)`, in: { mti: "0810", net: "370", hex: ascii("1") + JCB_TLV }, out: { kind: "data", status: "1", tlv: JCB_ELEMENTS } },
  { name: `0830 372 reply: the CA key list UnionPay returned, first 14 entries as published at ${MERRAY} (status "1" added)`, in: { mti: "0830", net: "372", hex: ascii("1") + LIST_HEX }, out: { kind: "list", status: "1", tlv: LIST_ELEMENTS } },
  { name: "0820 372 query: ASCII 1 + 00 (nothing held yet), as in the newpos libpay source", in: { mti: "0820", net: "372", hex: ascii("100") }, out: { kind: "query", from: 0 } },
  { name: "0820 382 query from entry 12", in: { mti: "0820", net: "382", hex: ascii("112") }, out: { kind: "query", from: 12 } },
  { name: "0800 370 request naming JCB key 12 (9F06 + 9F22)", in: { mti: "0800", net: "370", hex: tlv("9F06", "A000000065") + tlv("9F22", "12") }, out: { kind: "item", tlv: [el("9F06", "A000000065"), el("9F22", "12")] } },
  { name: "0830 382 reply: no parameters (status 0)", in: { mti: "0830", net: "382", hex: ascii("0") }, out: { kind: "list", status: "0" } },
  { name: "0810 003 sign-in: working keys, not TLV", in: { mti: "0810", net: "003", hex: "00".repeat(40) }, out: { kind: "keys" } },
  { name: "a query that is not 1 + two digits is refused", in: { mti: "0820", net: "372", hex: ascii("1A0") }, error: true },
  { name: "a reply status byte outside 0..3 is refused", in: { mti: "0830", net: "372", hex: "39" }, error: true },
  { name: "a cut TLV in a download reply is refused", in: { mti: "0810", net: "370", hex: ascii("1") + JCB_TLV.slice(0, 40) }, error: true },
];

// Whole downloads: requests the terminal must send (by the protocol above) for scripted replies.
const key = (r, i) => tlv("9F06", r) + tlv("9F22", i);
const entry = (r, i, d) => key(r, i) + tlv("DF05", d);
const AID_A = tlv("9F06", "A000000333010101") + tlv("DF01", "00") + tlv("9F09", "0020") + tlv("DF11", "D84000A800") + tlv("DF12", "D84004F800") + tlv("DF13", "0010000000") + tlv("9F1B", "00000000");
const download = [
  {
    name: `CA keys in two list pieces (status 2 then 1), one key sent (JCB 12 from ${MERRAY}), one missing, end`,
    in: { kind: "keys", replies: [
      { rc: "00", f62: ascii("2") + entry("A000000065", "12", "20141231") },
      { rc: "00", f62: ascii("1") + entry("A000000333", "02", "20211231") },
      { rc: "00", f62: ascii("1") + JCB_TLV },
      { rc: "00", f62: ascii("0") },
      { rc: "00" },
    ], cut: true },
    out: {
      requests: [
        { mti: "0820", net: "372", f62: ascii("100") }, { mti: "0820", net: "372", f62: ascii("101") },
        { mti: "0800", net: "370", f62: key("A000000065", "12") }, { mti: "0800", net: "370", f62: key("A000000333", "02") }, { mti: "0800", net: "371", f62: "" },
      ],
      done: true, stored: 1, first: JCB_TLV, after_cut: { complete: true, interrupted: false, interrupted_kind: 0, keys: 1, aids: 0 },
    },
  },
  {
    name: "power cut before the end reply: the AIDs stored so far are never taken as complete",
    in: { kind: "aids", replies: [{ rc: "00", f62: ascii("1") + tlv("9F06", "A000000333010101") }, { rc: "00", f62: ascii("1") + AID_A }], cut: true },
    out: {
      requests: [{ mti: "0820", net: "382", f62: ascii("100") }, { mti: "0800", net: "380", f62: tlv("9F06", "A000000333010101") }],
      done: false, stored: 0, after_cut: { complete: false, interrupted: true, interrupted_kind: 2, keys: 0, aids: 0 },
    },
  },
  {
    name: "a reply for another key than the one asked is refused (nothing committed)",
    in: { kind: "keys", replies: [{ rc: "00", f62: ascii("1") + entry("A000000333", "02", "20211231") }, { rc: "00", f62: ascii("1") + JCB_TLV }], cut: true },
    out: {
      requests: [{ mti: "0820", net: "372", f62: ascii("100") }, { mti: "0800", net: "370", f62: key("A000000333", "02") }],
      error: "download: reply names 9F06 A000000065, asked A000000333", done: false, stored: 0,
      after_cut: { complete: false, interrupted: true, interrupted_kind: 1, keys: 0, aids: 0 },
    },
  },
  // A tampered key: one hex digit of the published modulus changed, its published DF03 kept.
  ...[["a CA key whose modulus was tampered with (JCB 12 from " + MERRAY + ", one hex digit of DF02 changed, DF03 kept): refused, not stored, nothing committed",
    JCB_TLV.replace(JCB_MOD, JCB_MOD.slice(0, 100) + (JCB_MOD[100] === "0" ? "1" : "0") + JCB_MOD.slice(101)), "check value (DF03) does not match"],
  ["a CA key sent without its check value DF03 is refused (JCB 12 from " + MERRAY + ", DF03 cut off)", JCB_TLV.slice(0, JCB_TLV.indexOf("DF0314")), "has no check value (DF03)"]].map(([name, f62, why]) => ({
    name,
    in: { kind: "keys", replies: [{ rc: "00", f62: ascii("1") + entry("A000000065", "12", "20141231") }, { rc: "00", f62: ascii("1") + f62 }, { rc: "00" }], cut: true },
    out: {
      requests: [{ mti: "0820", net: "372", f62: ascii("100") }, { mti: "0800", net: "370", f62: key("A000000065", "12") }],
      error: "download: CA key A000000065/12" + (why.startsWith("check") ? ": " : " ") + why + "; not stored", done: false, stored: 0,
      after_cut: { complete: false, interrupted: true, interrupted_kind: 1, keys: 0, aids: 0 },
    },
  })),
  {
    name: "the host refuses the query (39 = 03)",
    in: { kind: "aids", replies: [{ rc: "03" }] },
    out: { requests: [{ mti: "0820", net: "382", f62: ascii("100") }], error: "download: the host answered 03", done: false, stored: 0 },
  },
];

// GBK receipt lines: ESC @, ESC t 0, then FS & (1C 26) line FS . (1C 2E) LF, written out here byte by byte.
const gb = new TextDecoder("gb18030", { fatal: true });
const BOC = Buffer.from("ISSUER ", "ascii").toString("hex").toUpperCase() + "D6D0B9FAD2F8D0D0";
if (gb.decode(Buffer.from(BOC, "hex")) !== "ISSUER 中国银行") throw new Error("GBK check");
const INIT = "1B401B7400";
const gbkCases = [
  { name: "ISSUER 中国银行 (GBK): Chinese mode around the line; the display shows ? per character", in: { hex: BOC, columns: 32 }, out: { job: INIT + "1C26" + BOC + "1C2E0A", shown: "ISSUER ????", hidden: true } },
  { name: "cut at 10 columns: a GBK character that does not fit whole becomes ?", in: { hex: BOC, columns: 10 }, out: { job: INIT + "1C26" + BOC.slice(0, 7 * 2) + "D6D0" + "3F" + "1C2E0A", shown: "ISSUER ????", hidden: true } },
  { name: "a lone lead byte is printed as ?", in: { hex: "41D6", columns: 32 }, out: { job: INIT + "1C26" + "413F" + "1C2E0A", shown: "A?", hidden: true } },
  { name: "ASCII only: no Chinese mode", in: { hex: ascii("ISSUER CUP"), columns: 32 }, out: { job: INIT + ascii("ISSUER CUP") + "0A", shown: "ISSUER CUP", hidden: false } },
];

// Field 59 as tag (2 chars) + length (3 digits) + value: the form a public Android UnionPay
// terminal source (found by code search; the search tool does not name its repository) reads in
// the QR sale reply: it skips 5 bytes ("A4" and a 3-digit length) before the payment voucher.
const f59 = (tag, v) => ascii(tag + String(v.length / 2).padStart(3, "0")) + v;
const f59Cases = [
  { name: "A4 QR payment voucher (form read by a public terminal source; value made up)", in: { hex: f59("A4", ascii("6223000012345678")) }, out: { parts: 1, "59.A4": ascii("6223000012345678") } },
  { name: "two parts, the second with GBK text", in: { hex: f59("A2", ascii("V1")) + f59("B1", "D6D0B9FA") }, out: { parts: 2, "59.A2": ascii("V1"), "59.B1": "D6D0B9FA" } },
  { name: "not in that form (length runs past the end): shown whole", in: { hex: ascii("A4099SHORT") }, out: { parts: 0 } },
  { name: "free text: shown whole", in: { hex: ascii("hello world") }, out: { parts: 0 } },
];

const out = [{ suite: "iso8583.field59.parse", cases: f59Cases }, { suite: "iso8583.field62.parse", cases: field62 }, { suite: "params.download", cases: download }, { suite: "escpos.encode.gbk", cases: gbkCases }];
const file = path.join(__dirname, "..", "..", "test", "vectors", "params-download.json");
fs.writeFileSync(file, "[\n" + out.map((s) => JSON.stringify(s)).join(",\n") + "\n]\n");
console.log(`wrote ${file}: ${field62.length} + ${download.length} cases`);
