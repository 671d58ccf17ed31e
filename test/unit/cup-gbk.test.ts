// UnionPay hosts put the issuer's name in Chinese (GBK) in fields 44, 59 and 63 of replies:
// such a reply is accepted byte-exact and its sale approved end to end (terminal app against
// the acquirer simulator, in-process), shown decoded by `posrt iso8583 decode`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { AcquirerCore } from "../../cli/acquirer/core";
import { Bytes, fromHex, len, toHex } from "../../src/bytes/index";
import { unpackWire, packIso, unpackIso } from "../../src/iso8583/index";
import { byteTextFromHex, byteTextHex } from "../../src/text/gbk";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalFlash, terminalSession } from "../../src/app/config";
import { iso8583 } from "../../cli/commands/iso8583";

const ROOT = path.resolve(__dirname, "../../../..");
// "CUP" + 中国银行 in GBK; checked against Node's own GB18030 decoder below.
const F63_HEX = "435550D6D0B9FAD2F8D0D0";

test("the GBK bytes used here are what Node's GB18030 decoder reads as CUP中国银行", () => {
  assert.is(new TextDecoder("gb18030").decode(Buffer.from(F63_HEX, "hex")), "CUP中国银行");
});

test("a swiped sale whose 0210 carries GBK in field 63 is approved, with no reversal", () => {
  const core = new AcquirerCore({ seed: 1, approvalFields: { "63": byteTextFromHex(F63_HEX) } });
  const replies: Bytes[] = [];
  const acquirer = (frame: Bytes, t_ms: number): Bytes | undefined => {
    const r = core.respond(frame, t_ms).reply;
    if (r !== undefined) replies.push(r);
    return r;
  };
  const session = terminalSession({ acquirer, flash: terminalFlash(1), seed: 1 });
  const script = fs.readFileSync(path.join(ROOT, "examples", "02-swiped-sale.posrt"), "utf8");
  const r = runScript(session, parseScript(script));
  assert.ok(r.ok, r.error);
  const sale = replies.map((b) => unpackWire("cup", b).msg).find((m) => m.mti === "0210");
  assert.ok(sale !== undefined, "a 0210 was sent");
  assert.is(byteTextHex(sale.fields["63"]), F63_HEX, "field 63 reached the terminal with its GBK bytes");
  assert.equal(session.wire.filter((w) => w.mti === "0210").map((w) => w.rc), ["00"]);
  assert.is(session.wire.filter((w) => w.mti === "0400").length, 0, "no reversal");
});

test("GBK text survives unpack and pack byte-exact; a broken sequence is refused with the field named", () => {
  const bare = "0810" + "0000000000000002" + "0011" + F63_HEX;
  const m = unpackIso("cup", fromHex(bare), 0, len(fromHex(bare)));
  assert.is(m.fields["63"].length, 11);
  assert.is(toHex(packIso("cup", m)), bare);
  const broken = "0810" + "0000000000000002" + "0004" + "435550D6";
  assert.throws(() => unpackIso("cup", fromHex(broken), 0, 10 + 4 + 2), /field 63: byte 0xD6 not allowed in ansg/);
});

async function decode(args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    assert.is(await iso8583.run(["decode", "--frame", "bare", ...args]), 0);
  } finally {
    console.log = log;
  }
  return lines.join("\n");
}

test("posrt iso8583 decode shows GBK decoded, with its bytes (text and --json)", async () => {
  const bare = "0810" + "0000000000000002" + "0011" + F63_HEX;
  const text = await decode([bare]);
  assert.match(text, /63 {2}ansg\.\.\.163 .*"CUP中国银行" \(GBK 435550D6D0B9FAD2F8D0D0\)/);
  assert.match(text, /63\.1 +Card organisation.* "CUP"/);
  assert.match(text, /63\.2\.1 +Issuer reserved \(issuer name\) +"中国银行"/);
  const j = JSON.parse(await decode([bare, "--json"]));
  assert.is(j.fields["63"], "CUP中国银行");
  assert.is(j.gbk_hex["63"], F63_HEX);
  const lines: string[] = [];
  const log = console.log;
  console.log = (x: string) => lines.push(x);
  try {
    assert.is(await iso8583.run(["encode", "--frame", "bare", JSON.stringify(j)]), 0);
  } finally {
    console.log = log;
  }
  assert.is(lines.join(""), bare, "decode --json then encode gives the same bytes back");
});

test.run();
