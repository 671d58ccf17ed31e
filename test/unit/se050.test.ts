// The SE050 path of the SecurityModule: driver (hal/drivers/se050*.ts) against the SE050 model
// (src/models/se050.ts) on the simulated bus, byte for byte against the software module, with
// the link and applet faults.
import { test } from "uvu";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { SecurityModule } from "../../hal/security";
import { terminalSession } from "../../src/app/config";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import * as assert from "uvu/assert";
import { SimBus } from "../../src/models/sim-bus";
import { Se050Model } from "../../src/models/se050";
import { Se050 } from "../../hal/drivers/se050";
import { LINK_RETRIES } from "../../hal/drivers/se050-link";
import { Se050Security, OBJ_TMK } from "../../hal/drivers/se050-security";
import { chooseSecurity } from "../../hal/drivers/security-choice";
import { SoftSecurity, TEST_TMK_HEX } from "../../src/crypto/soft-security";
import { Bytes, fromHex, fromText, len, toHex } from "../../src/bytes/index";
import { KEY_SCHEME_DOUBLE, KEY_SCHEME_DOUBLE_TRACK, KEY_SCHEME_SINGLE, WorkingKeys, encodeWorkingKeys, tdesKey } from "../../src/crypto/index";
import { errorText, isPosrtError } from "../../src/errors";

const PAN = "6214830000000009";
const DOUBLE: WorkingKeys = { scheme: KEY_SCHEME_DOUBLE, pik: fromHex("0123456789ABCDEF1032547698BADCFE"), mak: fromHex("89ABCDEF0123456776543210FEDCBA98") };
const SINGLE: WorkingKeys = { scheme: KEY_SCHEME_SINGLE, pik: fromHex("1032547698BADCFE"), mak: fromHex("0123456789ABCDEF") };
const TRACK: WorkingKeys = { scheme: KEY_SCHEME_DOUBLE_TRACK, pik: DOUBLE.pik, mak: DOUBLE.mak, tdk: fromHex("FEDCBA98765432100123456789ABCDEF") };

function field62(k: WorkingKeys): Bytes {
  return encodeWorkingKeys(tdesKey(fromHex(TEST_TMK_HEX)), k);
}

function rig(mac_algorithm?: string): { sim: SimBus; model: Se050Model; se: Se050; sm: Se050Security } {
  const sim = new SimBus();
  const model = new Se050Model(sim, {});
  const se = new Se050(sim.bus, {});
  assert.ok(se.probe(), "SE050 model answers the probe");
  const sm = new Se050Security({ se: se, mac_algorithm: mac_algorithm });
  sm.provision(fromHex(TEST_TMK_HEX));
  return { sim, model, se, sm };
}

function message(n: number): Bytes {
  let s = "";
  for (let i = 0; i < n; i++) s = s + String.fromCharCode(48 + ((i * 7) % 43));
  return fromText(s);
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isPosrtError(e), "a PosrtError, not a crash: " + String(e));
    return errorText(e);
  }
  return assert.unreachable("no error") as never;
}

/** A sale's crypto through one module: MAC out, MAC check of a reply, PIN block, PAN seal and open. */
function saleCrypto(sm: { mac(d: Bytes): Bytes; verifyMac(d: Bytes, m: Bytes): boolean; encryptPin(p: string, pan: string): Bytes; sealPan(p: string, n?: number): Bytes; openPan(s: Bytes): string }, size: number): string[] {
  const req = message(size);
  const reply = message(size + 13);
  const mac = sm.mac(req);
  const replyMac = sm.mac(reply);
  const sealed = sm.sealPan(PAN, 4242);
  return [toHex(mac), String(sm.verifyMac(reply, replyMac)), String(sm.verifyMac(reply, mac)), toHex(sm.encryptPin("123456", PAN)), toHex(sealed), sm.openPan(sealed)];
}

test("a sale's crypto through driver and model is byte-identical to the software module (x919, single, double, track keys)", () => {
  const schemes = [SINGLE, DOUBLE, TRACK];
  for (let s = 0; s < schemes.length; s++) {
    const soft = new SoftSecurity({});
    soft.installWorkingKeys(field62(schemes[s]));
    const r = rig();
    r.sm.installWorkingKeys(field62(schemes[s]));
    assert.ok(r.sm.hasWorkingKeys());
    for (const size of [0, 1, 8, 57, 200, 300]) {
      assert.equal(saleCrypto(r.sm, size), saleCrypto(soft, size), "scheme " + schemes[s].scheme + ", " + size + " bytes");
    }
    assert.is(r.sm.keyScheme(), soft.keyScheme());
  }
});

test("the UnionPay ECB MAC through the SE equals the software one", () => {
  const soft = new SoftSecurity({ mac_algorithm: "cup-ecb" });
  soft.installWorkingKeys(field62(DOUBLE));
  const r = rig("cup-ecb");
  r.sm.installWorkingKeys(field62(DOUBLE));
  for (const size of [0, 5, 64, 250]) assert.equal(saleCrypto(r.sm, size), saleCrypto(soft, size), size + " bytes");
});

test("MAC input longer than one T=1 block is chained (I-blocks with the M bit) and still matches", () => {
  const soft = new SoftSecurity({});
  soft.installWorkingKeys(field62(DOUBLE));
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const data = message(700);
  assert.is(toHex(r.sm.mac(data)), toHex(soft.mac(data)));
  assert.ok(len(data) > 254);
  assert.is(failure(() => r.sm.mac(message(2000))).indexOf("multi-part") >= 0, true);
});

test("working keys stay in the SE: a check-value mismatch keeps the old keys", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const before = toHex(r.sm.mac(message(40)));
  const bad = field62(SINGLE);
  const h = toHex(bad);
  const b2 = fromHex(h.substring(0, 16) + (h.substring(16, 18) === "00" ? "01" : "00") + h.substring(18));
  assert.match(failure(() => r.sm.installWorkingKeys(b2)), /PIN key check value mismatch/);
  assert.is(toHex(r.sm.mac(message(40))), before, "old keys still in use");
  assert.ok(r.se.exists(OBJ_TMK));
});

test("before sign-in: clear errors, nothing sent", () => {
  const r = rig();
  const sent = r.model.apdus;
  assert.match(failure(() => r.sm.mac(message(10))), /sign in first/);
  assert.match(failure(() => r.sm.encryptPin("1234", PAN)), /sign in first/);
  assert.is(r.model.apdus, sent);
});

test("a CRC error on an answer is retried with R(N(R), CRC error); noise on a host frame gets the frame again", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const good = toHex(r.sm.mac(message(90)));
  r.model.corruptAnswers(1);
  assert.is(toHex(r.sm.mac(message(90))), good);
  assert.is(r.se.link.crcRetries, 1);
  r.model.corruptHostFrames(2);
  assert.is(toHex(r.sm.mac(message(90))), good);
  assert.is(r.model.crcErrors, 2);
  r.model.corruptAnswers(LINK_RETRIES + 1);
  assert.match(failure(() => r.sm.mac(message(90))), /se050: .*CRC/);
  assert.is(toHex(r.sm.mac(message(90))), good, "the next command works again");
});

test("WTX requests are answered and the result still arrives", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const good = toHex(r.sm.mac(message(30)));
  r.model.waitTimeExtension(3);
  assert.is(toHex(r.sm.mac(message(30))), good);
  assert.is(toHex(r.sm.sealPan(PAN, 1)), toHex(new SoftSecurity({}).sealPan(PAN, 1)));
  assert.is(r.model.wtxSent, 3);
  assert.is(r.se.link.wtx, 3);
});

test("a lost host frame is written again after the poll bound", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const good = toHex(r.sm.mac(message(30)));
  r.model.loseHostFrames(1);
  assert.is(toHex(r.sm.mac(message(30))), good);
  assert.is(r.se.link.resends, 1);
});

test("power cut mid-command: a clear error, then resync and reselect; persistent keys survive", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const good = toHex(r.sm.mac(message(30)));
  r.model.cutPowerOnNextCommand();
  assert.match(failure(() => r.sm.mac(message(30))), /se050: /);
  r.model.powerOn();
  assert.is(toHex(r.sm.mac(message(30))), good);
  assert.ok(r.se.link.resyncs >= 2);
});

test("an SE reset between commands (brown-out): R(other error) or a deselected applet; the driver resyncs, reselects and repeats", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  const good = toHex(r.sm.mac(message(30)));
  for (let parity = 0; parity < 2; parity++) {
    const before = r.se.link.resyncs;
    r.model.brownOut();
    assert.is(toHex(r.sm.mac(message(30))), good, "after a brown-out, parity " + parity);
    r.sm.mac(message(3));
    assert.ok(r.se.link.resyncs >= before);
  }
  assert.ok(r.model.resyncs >= 2);
});

test("an error status word is a clear error naming the command and SW", () => {
  const r = rig();
  r.sm.installWorkingKeys(field62(DOUBLE));
  r.model.failNextApdu(0x6985);
  assert.is(failure(() => r.sm.mac(message(30))), "se050: MACOneShot: SW 6985 (conditions not satisfied (e.g. no such object))");
  r.se.remove(0x50531001);
  assert.match(failure(() => r.sm.mac(message(30))), /MACOneShot: SW 6985/);
});

test("boot choice: SE present → SE050 path; absent → software DES with a banner line; none configured → software", () => {
  const sim = new SimBus();
  const model = new Se050Model(sim, {});
  const c = chooseSecurity(sim.bus, { secure_element: "se050", tmk_hex: TEST_TMK_HEX });
  assert.is(c.kind, "se050");
  assert.is(c.banner, "security: SE050 on I2C 0x48, master key provisioned now");
  const again = chooseSecurity(sim.bus, { secure_element: "se050" });
  assert.is(again.banner, "security: SE050 on I2C 0x48, keys inside the secure element");
  model.detach();
  const gone = chooseSecurity(sim.bus, { secure_element: "se050", tmk_hex: TEST_TMK_HEX });
  assert.is(gone.kind, "software");
  assert.is(gone.banner, "security: software DES (no SE050 answered on I2C 0x48)");
  gone.sm.installWorkingKeys(field62(DOUBLE));
  assert.is(len(gone.sm.mac(message(8))), 8);
  const none = chooseSecurity(new SimBus().bus, {});
  assert.is(none.banner, "security: software DES (no secure element configured)");
  const fresh = new SimBus();
  new Se050Model(fresh, {});
  assert.is(chooseSecurity(fresh.bus, { secure_element: "se050" }).banner, "security: SE050 on I2C 0x48, NOT PROVISIONED: inject a master key");
});

test("posrt terminal --security se050-model: a chip sale with PIN gives the same screens, wire, receipts and flash as the software module", () => {
  const run = (security: string): string => {
    const r = spawnSync(process.execPath, ["bin/posrt.js", "terminal", "--script", "examples/03-chip-sale.posrt", "--security", security, "--json"], { encoding: "utf8" });
    assert.is(r.status, 0, security + ": " + r.stderr);
    return r.stdout;
  };
  const soft = run("software");
  assert.ok(soft.indexOf("flash_crc") > 0);
  assert.is(run("se050-model"), soft);
});

test("an SE error at the sale's MAC: the terminal shows the one-line error and sends nothing", () => {
  let model: Se050Model | undefined = undefined;
  const security = (algo: string): SecurityModule => {
    const sim = new SimBus();
    model = new Se050Model(sim, {});
    return chooseSecurity(sim.bus, { secure_element: "se050", tmk_hex: TEST_TMK_HEX, mac_algorithm: algo }).sm;
  };
  const s = terminalSession({ acquirer: embeddedAcquirer(1), seed: 1, security });
  const steps = parseScript(fs.readFileSync("examples/02-swiped-sale.posrt", "utf8"));
  const cut = steps.findIndex((x) => x.arg === "Enter PIN");
  assert.ok(runScript(s, steps.slice(0, cut + 2)).ok, "signed in, PIN typed");
  const sent = s.wire.length;
  // after the PIN: PIN block (1 APDU), PAN seal (3), then the MAC of the 0200
  (model as unknown as Se050Model).failNextApdu(0x6985, 4);
  const r = runScript(s, steps.slice(cut + 2));
  assert.not.ok(r.ok);
  assert.match(r.screen.join(" "), /se050: MACOneShot: SW 6985/);
  assert.is(s.wire.length, sent, "no request left the terminal");
  assert.equal(s.j.pendingReversals(), [], "no reversal armed for a request that never left");
});

test.run();
