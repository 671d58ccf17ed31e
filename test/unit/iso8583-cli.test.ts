import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "child_process";
import * as path from "path";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");
// Hand-built 0800 sign-in (the same frame as the "hand-built 0800 sign-in wire frame" vector).
const SIGN_IN = "003C6000030000603100000000080000200000" + "00C00012000001323032363131323638393833313030343831363030303100110000000100300003303031";

function posrt(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

test("posrt iso8583 decode shows each field with number, format, name and value", () => {
  const r = posrt("iso8583", "decode", SIGN_IN);
  assert.is(r.status, 0);
  assert.match(r.stdout, /TPDU 6000030000, header 603100000000/);
  assert.match(r.stdout, /^\s+11\s+n6\s+System trace audit number\s+"000001"$/m);
  assert.match(r.stdout, /^\s+60\s+n\.\.\.17\s+.*"00000001003"$/m);
});

test("posrt iso8583 decode --json prints the vector shape", () => {
  const r = posrt("iso8583", "decode", "--json", SIGN_IN);
  assert.is(r.status, 0);
  assert.equal(JSON.parse(r.stdout), {
    mti: "0800", tpdu: "6000030000", header: "603100000000",
    fields: { "11": "000001", "41": "20261126", "42": "898310048160001", "60": "00000001003", "63": "001" },
  });
});

test("field 55 is expanded as TLV", () => {
  const r = posrt("iso8583", "decode", "--frame", "bare", "0200" + "0000000000000200" + "0007" + "9F2701809C0100");
  assert.is(r.status, 0);
  assert.match(r.stdout, /^\s+9F27\s+Cryptogram Information Data\s+1\s+80$/m);
  assert.match(r.stdout, /^\s+9C\s+Transaction Type\s+1\s+00$/m);
});

test("malformed input: one line naming field and offset, exit 1", () => {
  const r = posrt("iso8583", "decode", "--frame", "bare", "0200" + "1000000000000000" + "00000001A000");
  assert.is(r.status, 1);
  assert.is(r.stderr.trim(), "posrt iso8583: field 4: bad BCD nibble A at offset 14");
  assert.is(r.stdout, "");
});

test("posrt iso8583 encode packs JSON and decode reads it back", () => {
  const json = JSON.stringify({ mti: "0800", fields: { "11": "000001", "41": "20261126", "42": "898310048160001", "60": "00000001003", "63": "001" } });
  const r = posrt("iso8583", "encode", json);
  assert.is(r.status, 0);
  assert.is(r.stdout.trim(), SIGN_IN);
  const bad = posrt("iso8583", "encode", "--frame", "bare", JSON.stringify({ mti: "0800", fields: { "11": "1" } }));
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /field 11: needs exactly 6 digits, got 1/);
});

test.run();
