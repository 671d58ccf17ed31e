import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as fs from "fs";
import * as os from "os";
import { parseConfig } from "../../firmware/device/config";

const BIN = path.resolve(__dirname, "../../../../bin/posrt.js");

function posrt(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

test("flash --dry-run prints the espruino upload command", () => {
  const r = posrt("flash", "--target", "espruino", "--port", "/dev/ttyUSB9", "--dry-run");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /espruino-cli\.js --board .*board\.json -p \/dev\/ttyUSB9 .*posrt\.js -e 'save\(\)'/);
});

test("flash without a device fails with a clear message, no stack trace", () => {
  const r = posrt("flash", "--target", "espruino", "--port", "/dev/nonexistent-posrt");
  assert.is(r.status, 1);
  assert.match(r.stderr, /no device at \/dev\/nonexistent-posrt/);
  assert.not.match(r.stderr, /at .*\.js:\d+/);
});

const CONFIG = {
  host: "127.0.0.1", port: 8583, tid: "SHOP0001", mid: "123456789012345", merchant: "CORNER SHOP", currency: "156",
  timeout_ms: 30000, reversal_attempts: 3, refund_max_minor: 200000, key_scheme: "003", await_completion: false,
};

function configFile(c: object): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "posrt-cfg-")), "board.json");
  fs.writeFileSync(f, JSON.stringify(c));
  return f;
}

test("flash --config --dry-run also prints the command that writes the CRC-checked configuration", () => {
  const r = posrt("flash", "--target", "espruino", "--port", "/dev/ttyUSB9", "--config", configFile(CONFIG), "--dry-run");
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.is(lines.length, 2);
  const m = /-e 'require\("Storage"\)\.write\("posrt\.cfg",(".*")\)'$/.exec(lines[1]);
  assert.ok(m !== null, lines[1]);
  const record = parseConfig(JSON.parse(m![1]) as string);
  assert.is(record.tid, "SHOP0001");
  assert.is(record.host, "127.0.0.1");
});

test("flash --config with a bad field: one clear line, nothing printed to run", () => {
  const r = posrt("flash", "--target", "espruino", "--port", "/dev/ttyUSB9", "--config", configFile({ ...CONFIG, tid: "SHORT" }), "--dry-run");
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /tid must be 8 characters/);
  assert.is(r.stderr.trim().split("\n").length, 1);
});

test("flash rejects an unknown target with usage", () => {
  const r = posrt("flash", "--target", "arduino", "--port", "/dev/x");
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown target "arduino"/);
});

test.run();
