import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "child_process";
import * as path from "path";

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

test("flash rejects an unknown target with usage", () => {
  const r = posrt("flash", "--target", "arduino", "--port", "/dev/x");
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown target "arduino"/);
});

test.run();
