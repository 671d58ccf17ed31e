// Chip parameter and CA-key downloads end to end: a sign-in against `posrt acquirer` (TCP,
// 127.0.0.1) followed by the downloads it asks for, stored in the terminal's parameter region,
// shown by `posrt journal dump`; a power cut in the middle of a download is never taken as
// complete and the next sign-in starts it again; a changed set is asked for again.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { terminal } from "../../cli/commands/terminal";
import { AcquirerCore } from "../../cli/acquirer/core";
import { ParamSet, testParamSet, keyTlv } from "../../cli/acquirer/params";
import { Bytes, toHex } from "../../src/bytes/index";
import { paramsFlash, terminalFlash, terminalSession } from "../../src/app/config";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { KIND_AID, KIND_KEY } from "../../src/params/store";
import { packWire } from "../../src/iso8583/index";
import { SIGN_ON as SIGN_ON_OPERATOR } from "../support/app-scripts";

const ROOT = path.resolve(__dirname, "../../../..");
const POSRT = path.join(ROOT, "bin/posrt.js");
const PORT = 47201;
const SIGN_ON = SIGN_ON_OPERATOR + "\nkey enter\nkey 9\nexpect ADMIN\n";
const SIGN_IN = SIGN_ON + "key 1\nexpect Signed in with the\n";

function quiet<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log;
  const err = console.error;
  console.log = () => undefined;
  console.error = () => undefined;
  return f().finally(() => {
    console.log = log;
    console.error = err;
  });
}

function dump(image: string): any {
  const r = spawnSync(process.execPath, [POSRT, "journal", "dump", image, "--json"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function session(acq: AcquirerCore) {
  const pf = paramsFlash(1);
  const s = terminalSession({ acquirer: (f: Bytes, t: number) => acq.respond(f, t).reply, flash: terminalFlash(1), seed: 1, paramsFlash: pf });
  return { s, pf };
}

test("sign-in against posrt acquirer, then its CA key and parameter downloads, stored and shown by posrt journal dump", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-cup-dl-"));
  const image = path.join(dir, "t.img");
  const script = path.join(dir, "signin.posrt");
  fs.writeFileSync(script, SIGN_IN);
  const srv = spawn(process.execPath, [POSRT, "acquirer", "--port", String(PORT), "--host", "127.0.0.1", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise<void>((ok, bad) => {
      const t = setTimeout(() => bad(new Error("acquirer did not start")), 20000);
      const check = () => {
        const c = require("net").connect({ host: "127.0.0.1", port: PORT }, () => { c.destroy(); clearTimeout(t); ok(); });
        c.on("error", () => setTimeout(check, 200));
      };
      check();
    });
    const rc = await quiet(() => terminal.run(["--script", script, "--acquirer", "127.0.0.1:" + PORT, "--image", image]));
    assert.is(rc, 0);
    assert.is(fs.statSync(image + ".params").mode & 0o777, 0o600);
    const d = dump(image).params;
    assert.ok(d.complete);
    assert.is(d.interrupted, false);
    const set = testParamSet();
    assert.is(d.ca_keys.length, set.keys.length);
    assert.is(d.aids.length, set.aids.length);
    assert.equal(d.ca_keys.map((k: any) => k["9F06 RID / AID"] + "/" + k["9F22 CA public key index"]), set.keys.map((k) => k.rid + "/" + k.index));
    assert.equal(d.aids.map((a: any) => a["9F06 RID / AID"]), set.aids.map((a) => a.aid));
    assert.is(d.ca_keys[2]["DF03 CA key check value (SHA-1)"], "874B379B7F607DC1CAF87A19E400B6A9E25163E8");
    const text = spawnSync(process.execPath, [POSRT, "journal", "dump", image], { encoding: "utf8" }).stdout;
    assert.match(text, /CA public keys: 3/);
    assert.match(text, /AIDs: 4/);
    // Signed in again: the acquirer's set has not changed, nothing is downloaded again.
    const again = await quiet(() => terminal.run(["--script", script, "--acquirer", "127.0.0.1:" + PORT, "--image", image, "--json"]));
    assert.is(again, 0);
    assert.is(dump(image).params.generation, d.generation);
  } finally {
    srv.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a power cut at every flash write of a download: never complete, restarted at the next sign-in", () => {
  let cuts = 0;
  for (let n = 1; n < 40; n++) {
    const acq = new AcquirerCore({ seed: 1, params: testParamSet() });
    const { s, pf } = session(acq);
    assert.ok(runScript(s, parseScript(SIGN_ON)).ok);
    pf.cut_at = pf.ops + n - 1;
    s.key("1");
    s.advance(5000);
    if (!s.dead()) break;
    cuts++;
    s.powerCut();
    const st = s.params!;
    assert.ok(st.items(KIND_KEY).length === 0 || st.items(KIND_KEY).length === 3, `cut ${n}: keys all or nothing`);
    assert.ok(st.items(KIND_AID).length === 0 || st.items(KIND_AID).length === 4, `cut ${n}: AIDs all or nothing`);
    const r = runScript(s, parseScript("key cancel\nkey cancel\n" + SIGN_IN.replace("expect POWER ON\nkey enter\n", "key enter\n")));
    assert.ok(r.ok, `cut ${n}: ${r.error} ${r.screen.join("|")}`);
    assert.ok(s.params!.current() !== undefined, `cut ${n}: complete after the next sign-in`);
    assert.is(s.params!.items(KIND_KEY).length, 3, `cut ${n}`);
    assert.is(s.params!.items(KIND_AID).length, 4, `cut ${n}`);
    assert.is(s.params!.interrupted(), false);
  }
  assert.ok(cuts >= 15, `only ${cuts} cuts landed inside the download`);
});

test("a changed set is asked for again at the next sign-in; the other kind is kept", () => {
  const acq = new AcquirerCore({ seed: 1, params: testParamSet() });
  const { s } = session(acq);
  assert.ok(runScript(s, parseScript(SIGN_IN)).ok);
  const gen = s.params!.current()!.gen;
  const set = acq.params as ParamSet;
  set.keys.push({ rid: "A000000333", index: "82", expiry: "20351231", modulus: "C1".repeat(144), exponent: "03" });
  set.keysVer = "CHANGED1";
  const before = s.wire.length;
  const r = runScript(s, parseScript("key enter\nexpect enter: menu\nkey enter\nkey 9\nexpect ADMIN\nkey 1\nexpect Signed in with the\n"));
  assert.ok(r.ok, r.error + " " + r.screen.join("|"));
  const mtis = s.wire.slice(before).map((w) => w.mti);
  assert.equal(mtis.filter((m) => m === "0820").length, 2);
  assert.is(s.params!.current()!.gen, gen + 1);
  assert.is(s.params!.items(KIND_KEY).length, 4);
  assert.is(toHex(s.params!.items(KIND_KEY)[3]), keyTlv(set.keys[3]));
  assert.is(s.params!.items(KIND_AID).length, 4);
});

test("a CA key whose check value does not match is refused: nothing stored, reported, downloaded again at the next sign-in", () => {
  const acq = new AcquirerCore({ seed: 1, params: testParamSet() });
  const { s } = session(acq);
  const set = acq.params as ParamSet;
  const good = set.keys[1].modulus;
  set.keys[1].check = keyTlv(set.keys[1]).slice(-40);
  set.keys[1].modulus = (good.charAt(0) === "C" ? "D" : "C") + good.substring(1);
  const r = runScript(s, parseScript(SIGN_IN.replace("expect Signed in with the\n", "expect A000000333/81: check\n")));
  assert.ok(r.ok, r.error + " " + r.screen.join("|"));
  assert.match(r.screen.join(" "), /CA key +download stopped: +download: CA key +A000000333\/81: check/);
  assert.is(s.params!.current(), undefined, "nothing committed");
  assert.is(s.params!.items(KIND_KEY).length, 0);
  assert.ok(s.params!.interrupted());
  assert.is(s.params!.interruptedKind(), KIND_KEY);
  // The host repairs its set: the next sign-in downloads the keys (and then the parameters).
  set.keys[1].modulus = good;
  set.keys[1].check = undefined;
  const again = runScript(s, parseScript("key enter\nexpect enter: menu\nkey enter\nkey 9\nexpect ADMIN\nkey 1\nexpect Signed in with the\n"));
  assert.ok(again.ok, again.error + " " + again.screen.join("|"));
  assert.is(s.params!.items(KIND_KEY).length, 3);
  assert.is(s.params!.items(KIND_AID).length, 4);
  assert.is(s.params!.interrupted(), false);
});

test("posrt iso8583 decode names field 62 of a download and the header's processing requirement", () => {
  const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, "test/vectors/params-download.json"), "utf8"));
  const list = vectors.find((v: any) => v.suite === "iso8583.field62.parse").cases[1].in.hex as string;
  const frame = packWire("cup", { mti: "0830", fields: { "39": "00", "41": "POS00001", "42": "POSRTSHOP000001", "60": "00000001372", "62": list } }, { tpdu: "6000000003", header: "603105000000" });
  const r = spawnSync(process.execPath, [POSRT, "iso8583", "decode", toHex(frame)], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /processing requirement 5 \(download chip parameters\)/);
  assert.match(r.stdout, /list, status 1 \(last piece\)/);
  assert.match(r.stdout, /9F22 +CA public key index +12/);
  const j = JSON.parse(spawnSync(process.execPath, [POSRT, "iso8583", "decode", toHex(frame), "--json"], { encoding: "utf8" }).stdout);
  assert.is(j.field62.tlv.length, 14 * 3);
  assert.is(j.field62.tlv[0].name, "RID / AID");
});

test.run();
