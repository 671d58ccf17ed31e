// The device builds, run as they ship: the minified Espruino file in duk (strict ES5) and the
// Lua bundle in lua5.3, each on mocks of its platform (test/fixtures/*-mocks.*). The mocked
// socket's replies come from the acquirer simulator in Node: the firmware runs once per
// exchange, each run answering one more of the frames the previous run sent (the firmware is
// deterministic on the mocks' virtual clock, so every run sends the same frames).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { AcquirerCore } from "../../cli/acquirer/core";
import { DIST, ROOT } from "../../cli/paths";
import { ES5, LUA, spawnLua } from "../../cli/engines";
import { runDeviceInDuk } from "../support/duk-device";
import { CONFIG_FILE, DeviceConfig, configText } from "../../firmware/device/config";


const LUA_DEVICE = path.join(DIST, "nodemcu", "posrt.lua");
const LUA_MOCKS = path.join(ROOT, "test/fixtures/nodemcu-mocks.lua");
/** Exchanges in the scenario (sign-in, sale) plus one spare run. */
const MAX_RUNS = 4;
const MOCK_NOW_MS = 1774000000000;
/** The configuration `posrt flash --config` would write (the mocked socket ignores the address). */
const CONFIG: DeviceConfig = {
  host: "127.0.0.1", port: 8583, tid: "DEV00001", mid: "DEVMERCHANT0001", merchant: "POSRT DEV BOARD", currency: "156",
  timeout_ms: 30000, reversal_attempts: 3, refund_max_minor: 200000, key_scheme: "003", await_completion: false,
};
const FILES: Record<string, string> = { [CONFIG_FILE]: configText(CONFIG) };

/** The scenario both devices run, as console calls: boot, sign in, sell 12.34, reboot, status. */
const ES5_SCENARIO = [
  "__mock.run(1000); posrt.signIn(); __mock.run(60000); posrt.sale(1234); __mock.run(60000);",
  "print('STATUS ' + posrt.status());",
  "for (var i = 0; i < __mock.sent.length; i++) print('SENT ' + i + ' ' + __mock.sent[i]);",
  "print('FLASH ' + __mock.flash.programs + ' ' + __mock.flash.erases);",
  "print('PIECES ' + __mock.pieceReads);",
  "__mock.reset(); __boot(); print('REBOOT ' + posrt.status());",
].join("\n");

const LUA_SCENARIO = [
  "mock.run(1000) posrt.signIn() mock.run(60000) posrt.sale(1234) mock.run(60000)",
  "print('STATUS ' .. posrt.status())",
  "for i, h in ipairs(mock.sent) do print('SENT ' .. (i - 1) .. ' ' .. h) end",
  "print('FLASH ' .. mock.flash.programs .. ' ' .. mock.flash.erases)",
  "mock.reset() dofile(DEVICE) print('REBOOT ' .. posrt.status())",
].join("\n");

function runDuk(replies: string[], files = FILES): string {
  return runDeviceInDuk("duk-device", replies, files, [], ES5_SCENARIO);
}

function runLua(replies: string[]): string {
  const p = spawnLua([
    "-e", "REPLIES = {" + replies.map((r) => JSON.stringify(r)).join(",") + "} DEVICE = " + JSON.stringify(LUA_DEVICE) +
      " FILES = { [" + JSON.stringify(CONFIG_FILE) + "] = " + JSON.stringify(FILES[CONFIG_FILE]) + " }",
    "-e", "dofile(" + JSON.stringify(LUA_MOCKS) + ")",
    "-e", "dofile(DEVICE)",
    "-e", LUA_SCENARIO,
  ] );
  assert.is(p.error, undefined, `cannot run ${LUA.name}`);
  assert.is(p.status, 0, p.stdout + p.stderr);
  return p.stdout;
}

function sentFrames(out: string): string[] {
  const frames: string[] = [];
  for (const line of out.split("\n")) if (line.startsWith("SENT ")) frames.push(line.split(" ")[2]);
  return frames;
}

/** Runs the scenario until every frame the device sent has the acquirer's answer. */
function exchange(run: (replies: string[]) => string): { out: string; acquirer: AcquirerCore } {
  const acquirer = new AcquirerCore({ seed: 7 });
  const replies: string[] = [];
  for (let i = 0; i < MAX_RUNS; i++) {
    const out = run(replies);
    const frames = sentFrames(out);
    if (frames.length <= replies.length) return { out, acquirer };
    const reply = acquirer.handle(Buffer.from(frames[replies.length], "hex"), MOCK_NOW_MS);
    assert.ok(reply !== undefined, "the acquirer gave no reply to " + frames[replies.length]);
    replies.push(Buffer.from(reply!).toString("hex").toUpperCase());
  }
  return assert.unreachable("the device kept sending new frames: " + run(replies)) as never;
}

function checkScenario(out: string, acquirer: AcquirerCore): void {
  assert.match(out, /posrt \S+ ready: batch 000001, 0 txn\(s\)/, "boots and opens the journal on the mocked flash");
  assert.match(out, /sign-in: OK 00 .*signed in/);
  assert.match(out, /sale: OK 00 trace \d{6} /);
  assert.match(out, /\| CARD 621483\*+0009/, "the receipt went to the console printer, PAN masked");
  assert.equal(sentFrames(out).map((f) => f.substring(26, 30)), ["0800", "0200"], "sign-in then sale, no reversal");
  const flash = /FLASH (\d+) (\d+)/.exec(out);
  assert.ok(flash !== null && Number(flash[1]) > 2, "the journal was written to flash");
  assert.match(out, /REBOOT batch 0000\d\d, 1 txn\(s\) 12\.34, 0 reversal\(s\) pending/, "after a reboot the journal still holds the sale");
  const booked = acquirer.ledger().txns.filter((t) => t.tid === "DEV00001" && t.approved);
  assert.is(booked.length, 1, "the acquirer booked one approved sale");
}

test(`Espruino file in ${ES5.name}: boots on mocked Flash/net, signs in and sells through the acquirer sim`, () => {
  const r = exchange(runDuk);
  checkScenario(r.out, r.acquirer);
});

/** The device file as Storage holds it: bytes one to one (the index's offsets count bytes). */
const DEVICE_BYTES = fs.readFileSync(path.join(DIST, "espruino", "posrt.js"), "latin1");
/** Modules in the device file (its index: `/*PM` + 8-character hash, 15 characters per module). */
const DEVICE_MODULES = (DEVICE_BYTES.indexOf("*" + "/") - 12) / 15;

function pieceReads(out: string): number {
  const m = /PIECES (\d+)/.exec(out);
  assert.ok(m !== null, out);
  return Number(m![1]);
}

for (const name of ["posrt.js", ".bootcde"]) {
  test(`Espruino file in ${ES5.name}, run from Storage as ${name}: modules are made from their code in Storage (scripts/storage-modules.js), same frames and books`, () => {
    const plain = exchange(runDuk);
    const stored = exchange((replies) => runDuk(replies, { ...FILES, [name]: DEVICE_BYTES }));
    checkScenario(stored.out, stored.acquirer);
    assert.equal(sentFrames(stored.out), sentFrames(plain.out), "the same bytes on the wire");
    // two reads per module loaded (its index entry, its body), transient ones again in later tasks
    assert.ok(pieceReads(stored.out) > 2 * DEVICE_MODULES, `${pieceReads(stored.out)} Storage reads for ${DEVICE_MODULES} modules`);
    assert.ok(pieceReads(plain.out) === 0, "without the file in Storage the table is used");
  });
}

test(`Espruino file in ${ES5.name}: a Storage file of another build (its mark differs) is not read for modules`, () => {
  const stale = DEVICE_BYTES.slice(0, 4) + "00000000" + DEVICE_BYTES.slice(12);
  const r = exchange((replies) => runDuk(replies, { ...FILES, "posrt.js": stale }));
  checkScenario(r.out, r.acquirer);
  assert.is(pieceReads(r.out), 1, "only the mark of posrt.js is read (there is no .bootcde)");
});

test(`Espruino file in ${ES5.name}: a silent acquirer gets the sign-in request and the device says why it failed`, () => {
  const out = runDuk([]);
  const frames = sentFrames(out);
  assert.ok(frames.length >= 1 && frames[0].substring(26, 30) === "0800", out);
  assert.match(out, /sign-in: NOT OK .*no reply/);
});

test(`Espruino file in ${ES5.name}: without a configuration in flash the boot says so and nothing is sent`, () => {
  const out = runDuk([], {});
  assert.match(out, /boot failed: config: no configuration in flash \(posrt flash --config FILE\)/);
  assert.equal(sentFrames(out), []);
});

test(`Espruino file in ${ES5.name}: a configuration with a bad CRC is refused`, () => {
  const text = FILES[CONFIG_FILE].replace("tid=DEV00001", "tid=DEV00002");
  const out = runDuk([], { [CONFIG_FILE]: text });
  assert.match(out, /configuration refused: config: CRC mismatch/);
  assert.equal(sentFrames(out), []);
});

test(`Lua bundle in ${LUA.name}: boots on mocked NodeMCU modules, signs in and sells through the acquirer sim`, () => {
  const r = exchange(runLua);
  checkScenario(r.out, r.acquirer);
});

test.run();
