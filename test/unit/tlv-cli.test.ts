import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { formatTlvTree } from "../../cli/commands/tlv";
import { fromHex, len } from "../../src/bytes/index";
import { decodeTlv } from "../../src/codec/tlv";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");

function posrt(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

test("formatTlvTree names EMV tags, shows lengths, text and nesting", () => {
  const b = fromHex("6F0F8408A000000333010101A5035001419F0206000000001250");
  const lines = formatTlvTree(decodeTlv(b, 0, len(b)), 2);
  assert.is(lines.length, 5);
  assert.match(lines[0], /^  6F\s+File Control Information \(FCI\) Template\s+template, 2 elements$/);
  assert.match(lines[1], /^    84\s+Dedicated File \(DF\) Name\s+8  A000000333010101$/);
  assert.match(lines[3], /^      50\s+Application Label\s+1  41  "A"$/);
  assert.match(lines[4], /^  9F02\s+Amount, Authorised \(Numeric\)\s+6  000000001250$/);
});

test("posrt tlv decode --json prints the vector shape; bad input is one line, exit 1", () => {
  const cut = posrt("tlv", "decode", "7003" + "9f2701", "--json");
  assert.is(cut.status, 1);
  const good = posrt("tlv", "decode", "70049F270180", "--json");
  assert.is(good.status, 0);
  assert.equal(JSON.parse(good.stdout), [{ tag: "70", children: [{ tag: "9F27", value: "80" }] }]);
  assert.is(cut.stderr.trim().split("\n").length, 1);
  assert.match(cut.stderr, /value of tag 9F27 at offset 2 needs 1 bytes, 0 left/);
  const bad = posrt("tlv", "decode", "XY");
  assert.is(bad.status, 1);
  assert.is(bad.stderr.trim(), "posrt tlv: hex: bad character at 0");
});

test.run();
