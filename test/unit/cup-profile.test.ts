// Acquirer profiles end to end: every examples/*.posrt script passes under both shipped
// profiles through `posrt terminal --script --profile` (the simulator in-process speaks the
// same dialect), and under cup-ecb-gbk the wire really carries that dialect.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { terminal, embeddedAcquirer } from "../../cli/commands/terminal";
import { readProfile } from "../../cli/acquirer/profile-file";
import { Bytes, toHex } from "../../src/bytes/index";
import { unpackWire } from "../../src/iso8583/index";
import { byteTextHex } from "../../src/text/gbk";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalFlash, terminalSession } from "../../src/app/config";

const ROOT = path.resolve(__dirname, "../../../..");
const EXAMPLES = path.join(ROOT, "examples");
const PROFILES = ["posrt-default.json", "cup-ecb-gbk.json"].map((f) => path.join(ROOT, "profiles", f));
const scripts = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".posrt")).sort();

async function runQuiet(args: string[]): Promise<{ rc: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (s: string) => lines.push(s);
  console.error = (s: string) => lines.push(s);
  try {
    return { rc: await terminal.run(args), out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = err;
  }
}

test("every example script passes with both shipped profiles", async () => {
  assert.ok(scripts.length >= 9);
  for (const prof of PROFILES) {
    for (const s of scripts) {
      const r = await runQuiet(["--script", path.join(EXAMPLES, s), "--profile", prof]);
      assert.is(r.rc, 0, `${path.basename(prof)} ${s}: ${r.out}`);
    }
  }
});

const f64 = (b: Bytes): string => {
  const m = unpackWire("cup-f22r", b).msg.fields["64"];
  return m === undefined ? "" : m;
};

test("under cup-ecb-gbk the wire has its TPDU, header, field 22 right aligned, no 14, ASCII-hex MACs and GBK replies", () => {
  const profile = readProfile(PROFILES[1]);
  const frames: { out: Bytes; back?: Bytes }[] = [];
  const acq = embeddedAcquirer(1, profile);
  const acquirer = (frame: Bytes, t_ms: number): Bytes | undefined => {
    const back = acq(frame, t_ms);
    frames.push({ out: frame, back });
    return back;
  };
  const session = terminalSession({ acquirer, flash: terminalFlash(1), seed: 1, profile });
  const r = runScript(session, parseScript(fs.readFileSync(path.join(EXAMPLES, "02-swiped-sale.posrt"), "utf8")));
  assert.ok(r.ok, r.error);
  const sale = frames.find((f) => unpackWire("cup-f22r", f.out).msg.mti === "0200");
  assert.ok(sale !== undefined && sale.back !== undefined);
  assert.is(toHex(sale.out, 2, 11), "6000050000603200000000");
  const req = unpackWire("cup-f22r", sale.out).msg;
  assert.is(req.fields["14"], undefined, "field 14 left out");
  assert.is(req.fields["22"], "021", "field 22 read back with right alignment");
  assert.throws(() => unpackWire("cup", sale.out), /field 22/, "the same bytes are not left aligned");
  const mac = f64(sale.out);
  assert.match(Buffer.from(mac, "hex").toString("ascii"), /^[0-9A-F]{8}$/, "field 64 is 8 ASCII hex characters");
  const reply = unpackWire("cup-f22r", sale.back).msg;
  assert.is(reply.fields["39"], "00");
  assert.is(byteTextHex(reply.fields["63"]), "435550D6D0B9FAD2F8D0D0");
  assert.match(Buffer.from(f64(sale.back), "hex").toString("ascii"), /^[0-9A-F]{8}$/);
  assert.equal(session.wire.filter((w) => w.mti === "0400").length, 0, "no reversal");
});

test("the MAC algorithm is really selected: an X9.19 terminal against an ECB host gets A0 (bad MAC), no approval", () => {
  const ecbHost = readProfile(PROFILES[1]);
  const x919Terminal = { ...ecbHost, mac: "x919", mac_form: "binary" };
  const session = terminalSession({ acquirer: embeddedAcquirer(1, ecbHost), flash: terminalFlash(1), seed: 1, profile: x919Terminal });
  runScript(session, parseScript(fs.readFileSync(path.join(EXAMPLES, "02-swiped-sale.posrt"), "utf8")));
  const rcs = session.wire.filter((w) => w.mti === "0210").map((w) => w.rc);
  assert.ok(rcs.length > 0 && rcs.every((rc) => rc === "A0"), rcs.join(","));
});

test("a bad profile file is one clear line naming the file", async () => {
  const bad = path.join(ROOT, "build", "bad-profile-cup.json");
  fs.writeFileSync(bad, JSON.stringify({ name: "x", mac: "x99", mac_form: "binary", tpdu: "6000030000", header: "603100000000", field22_align: "left" }));
  try {
    assert.throws(() => readProfile(bad), /bad-profile-cup\.json: mac: unknown MAC algorithm "x99"/);
  } finally {
    fs.unlinkSync(bad);
  }
  assert.throws(() => readProfile(path.join(ROOT, "profiles", "nope.json")), /cannot read/);
});

test.run();
