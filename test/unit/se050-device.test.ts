// The device firmware with `secure_element=se050` in posrt.cfg: the minified Espruino file in duk
// (as device-bundle.test.ts runs it, on the same mocks), its I2C1 answered by the SE050 model
// (src/models/se050.ts, bundled to ES5 here with the project's bundler). A sale through the SE
// sends the same frames as the software module; without a part answering the boot says so in
// one line and the board sells on software DES.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { AcquirerCore } from "../../cli/acquirer/core";
import { DIST, ROOT } from "../../cli/paths";
import { LUA, spawnLua } from "../../cli/engines";
import { runDeviceInDuk } from "../support/duk-device";
import { CONFIG_FILE, DeviceConfig, configText, parseConfig, secureElementOf } from "../../firmware/device/config";
import { errorText } from "../../src/errors";

const LUA_DEVICE = path.join(DIST, "nodemcu", "posrt.lua");
const LUA_MOCKS = path.join(ROOT, "test/fixtures/nodemcu-mocks.lua");
/** NodeMCU's i2c module with nothing on the bus: no address is acknowledged. */
const LUA_I2C_NACK = "I2C_CALLS = 0 i2c = { TRANSMITTER = 0, RECEIVER = 1, setup = function() end, start = function() end, stop = function() end," +
  " address = function() I2C_CALLS = I2C_CALLS + 1 return false end, write = function() return 0 end, read = function() return '' end }";
const MAX_RUNS = 4;
const MOCK_NOW_MS = 1774000000000;
const CONFIG: DeviceConfig = {
  host: "127.0.0.1", port: 8583, tid: "DEV00001", mid: "DEVMERCHANT0001", merchant: "POSRT DEV BOARD", currency: "156",
  timeout_ms: 30000, reversal_attempts: 3, refund_max_minor: 200000, key_scheme: "003", await_completion: false,
};

/** The SE050 model on a simulated I2C bus, as one ES5 script exposing `__se` (built once). */
function modelBundle(): string {
  const file = path.join(DIST, "es5", "se050-model-device.js");
  const root = path.join(ROOT, "build", "es5");
  const entry = path.join(root, "se050-model-entry.js");
  fs.writeFileSync(entry, [
    'var sim_1 = require("./src/models/sim-bus");',
    'var se_1 = require("./src/models/se050");',
    "var sim = new sim_1.SimBus();",
    "exports.model = new se_1.Se050Model(sim, {});",
    "var buses = {};",
    "exports.i2c = function (a) { if (buses[a] === undefined) buses[a] = sim.bus.i2c({ address: a, hz: 400000 }); return buses[a]; };",
  ].join("\n"));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { bundle } = require(path.join(ROOT, "scripts", "bundle-cjs.js"));
  fs.writeFileSync(file, bundle({ entry, root, aliases: { "#bytes-native": "src/bytes/native-typed.js" }, exposeAs: "__se" }));
  return file;
}

/** Espruino's I2C1 and E.toString over the model (`present`: the part answers; else no acknowledge). */
function i2cMock(present: boolean): string {
  return [
    "var __i2c = { setups: 0, writes: 0 };",
    "var I2C1 = {",
    "  setup: function (o) { __i2c.setups++; __i2c.pins = o.sda + '/' + o.scl; },",
    "  writeTo: function (a, s) { __i2c.writes++; var d = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) d[i] = s.charCodeAt(i) & 255;",
    `    if (!${present} || !__se.i2c(a).write(d, 0, d.length)) throw new Error('I2C: no ACK'); },`,
    "  readFrom: function (a, n) { var d = new Uint8Array(n);",
    `    if (!${present} || !__se.i2c(a).read(d, 0, n)) throw new Error('I2C: no ACK'); return d; }`,
    "};",
    "var E = { toString: function (d) { var s = ''; for (var i = 0; i < d.length; i++) s += String.fromCharCode(d[i]); return s; } };",
  ].join("\n");
}

const SCENARIO = [
  "__mock.run(1000); posrt.signIn(); __mock.run(60000); var __a0 = __se.model.apdus; posrt.sale(1234); __mock.run(60000);",
  "print('SALE_APDUS ' + (__se.model.apdus - __a0));",
  "print('I2C ' + __i2c.setups + ' ' + __i2c.pins + ' ' + __i2c.writes);",
  "for (var i = 0; i < __mock.sent.length; i++) print('SENT ' + i + ' ' + __mock.sent[i]);",
  "__mock.reset(); __boot(); print('REBOOT ' + posrt.status());",
].join("\n");

let MODEL = "";

function runDuk(replies: string[], cfg: DeviceConfig, present: boolean, withSe: boolean): string {
  if (MODEL === "") MODEL = modelBundle();
  const files = { [CONFIG_FILE]: configText(cfg) };
  const parts = [withSe ? fs.readFileSync(MODEL, "utf8") : "var __se = { model: { apdus: 0 } };", i2cMock(present)];
  return runDeviceInDuk("duk-device-se050", replies, files, parts, SCENARIO);
}

function sentFrames(out: string): string[] {
  const frames: string[] = [];
  for (const line of out.split("\n")) if (line.startsWith("SENT ")) frames.push(line.split(" ")[2]);
  return frames;
}

/** Boot, sign-in, sale against the acquirer simulator (one run per exchange, as device-bundle.test.ts). */
function exchange(cfg: DeviceConfig, present: boolean, withSe: boolean): { out: string; acquirer: AcquirerCore } {
  const acquirer = new AcquirerCore({ seed: 7 });
  const replies: string[] = [];
  for (let i = 0; i < MAX_RUNS; i++) {
    const out = runDuk(replies, cfg, present, withSe);
    const frames = sentFrames(out);
    if (frames.length <= replies.length) return { out, acquirer };
    const reply = acquirer.handle(Buffer.from(frames[replies.length], "hex"), MOCK_NOW_MS);
    assert.ok(reply !== undefined, "the acquirer gave no reply to " + frames[replies.length]);
    replies.push(Buffer.from(reply!).toString("hex").toUpperCase());
  }
  return assert.unreachable("the device kept sending new frames") as never;
}

function checkSale(out: string, acquirer: AcquirerCore): void {
  assert.match(out, /sign-in: OK 00 .*signed in/);
  assert.match(out, /sale: OK 00 trace \d{6} /);
  assert.equal(sentFrames(out).map((f) => f.substring(26, 30)), ["0800", "0200"], "sign-in then sale, no reversal");
  assert.match(out, /REBOOT batch 0000\d\d, 1 txn\(s\) 12\.34, 0 reversal\(s\) pending/);
  assert.is(acquirer.ledger().txns.filter((t) => t.tid === "DEV00001" && t.approved).length, 1, "the acquirer booked one approved sale");
}

const SOFT = exchange(CONFIG, false, false);

test("no secure_element line: no security line at boot, the I2C bus is never set up, software DES sells", () => {
  checkSale(SOFT.out, SOFT.acquirer);
  assert.not.match(SOFT.out, /security:/);
  assert.match(SOFT.out, /I2C 0 undefined 0/);
});

test("secure_element=se050 with the SE050 model: the SE is provisioned, the sale's crypto runs in it, same frames as software", () => {
  const r = exchange({ ...CONFIG, secure_element: "se050" }, true, true);
  checkSale(r.out, r.acquirer);
  assert.match(r.out, /security: SE050 on I2C 0x48 \(SDA 21, SCL 22\), master key and seal key written into it now\n/);
  assert.match(r.out, /I2C \d+ 21\/22 \d+/, "I2C1 set up on the configured pins");
  const apdus = /SALE_APDUS (\d+)/.exec(r.out);
  assert.ok(apdus !== null && Number(apdus[1]) >= 3, "the sale's MAC, MAC check and PAN seal went to the SE: " + (apdus === null ? "" : apdus[1]));
  assert.equal(sentFrames(r.out), sentFrames(SOFT.out), "byte for byte the frames of the software module");
  assert.match(r.out, /security: SE050 on I2C 0x48 \(SDA 21, SCL 22\), keys inside the secure element, working keys kept\n/, "after a reboot the SE keeps the keys");
});

test("secure_element=se050 with no part answering: one boot line, software DES, the same sale", () => {
  const r = exchange({ ...CONFIG, secure_element: "se050,sda=4,scl=5,address=0x49" }, false, false);
  checkSale(r.out, r.acquirer);
  const lines = r.out.split("\n").filter((l) => l.indexOf("security:") >= 0);
  assert.equal(lines[0], "security: software DES (no SE050 on I2C 0x49 (SDA 4, SCL 5) answered)");
  assert.equal(sentFrames(r.out), sentFrames(SOFT.out));
});

function runLua(replies: string[], cfg: DeviceConfig): string {
  const p = spawnLua([
    "-e", "REPLIES = {" + replies.map((r) => JSON.stringify(r)).join(",") + "} DEVICE = " + JSON.stringify(LUA_DEVICE) +
      " FILES = { [" + JSON.stringify(CONFIG_FILE) + "] = " + JSON.stringify(configText(cfg)) + " }",
    "-e", "dofile(" + JSON.stringify(LUA_MOCKS) + ")",
    "-e", LUA_I2C_NACK,
    "-e", "dofile(DEVICE)",
    "-e", "mock.run(1000) posrt.signIn() mock.run(60000) posrt.sale(1234) mock.run(60000) print('I2C_CALLS ' .. I2C_CALLS)" +
      " for i, h in ipairs(mock.sent) do print('SENT ' .. (i - 1) .. ' ' .. h) end mock.reset() dofile(DEVICE) print('REBOOT ' .. posrt.status())",
  ]);
  assert.is(p.error, undefined, `cannot run ${LUA.name}`);
  assert.is(p.status, 0, p.stdout + p.stderr);
  return p.stdout;
}

test(`NodeMCU bundle in ${LUA.name}: secure_element=se050 with no part answering: one boot line, software DES, the same frames`, () => {
  const acquirer = new AcquirerCore({ seed: 7 });
  const replies: string[] = [];
  let out = "";
  for (let i = 0; i < MAX_RUNS; i++) {
    out = runLua(replies, { ...CONFIG, secure_element: "se050" });
    const frames = sentFrames(out);
    if (frames.length <= replies.length) break;
    const reply = acquirer.handle(Buffer.from(frames[replies.length], "hex"), MOCK_NOW_MS);
    assert.ok(reply !== undefined);
    replies.push(Buffer.from(reply!).toString("hex").toUpperCase());
  }
  checkSale(out, acquirer);
  assert.match(out, /\nsecurity: software DES \(no SE050 on I2C 0x48 \(SDA 21, SCL 22\) answered\)\n/);
  assert.match(out, /I2C_CALLS [1-9]/, "the bus was asked");
  assert.equal(sentFrames(out), sentFrames(SOFT.out), "the frames of the Espruino file on software DES");
});

test("posrt.cfg: no line by default (record unchanged), the value checked with one clear line", () => {
  assert.not.match(configText(CONFIG), /secure_element/);
  const text = configText({ ...CONFIG, secure_element: "se050,address=72" });
  assert.match(text, /\nsecure_element=se050,address=72\n/);
  assert.equal(secureElementOf(parseConfig(text)), { part: "se050", sda: 21, scl: 22, address: 0x48 });
  const bad = (v: string): string => {
    try {
      configText({ ...CONFIG, secure_element: v });
    } catch (e) {
      return errorText(e);
    }
    return "accepted";
  };
  assert.is(bad("atecc608"), 'config: secure_element "atecc608" unknown (se050, or no line for software DES)');
  assert.is(bad("se050,address=0x80"), 'config: secure_element address "0x80" is not 0..127');
  assert.is(bad("se050,pins=3"), 'config: secure_element: "pins=3" is not sda=N, scl=N or address=N');
});

test.run();
