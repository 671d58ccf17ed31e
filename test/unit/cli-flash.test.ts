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

/** The words of a printed command line, as a shell splits them (sh -c 'printf "%s\n" ...'). */
function shellWords(line: string): string[] {
  const r = spawnSync("sh", ["-c", "for w in " + line + "; do printf '%s\\n' \"$w\"; done"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.replace(/\n$/, "").split("\n");
}

test("flash --dry-run prints the espruino command: posrt.js into Storage, a boot file that evaluates it from there", () => {
  const r = posrt("flash", "--target", "espruino", "--port", "/dev/ttyUSB9", "--dry-run");
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim().split("\n").length, 1);
  assert.match(r.stdout, /espruino-cli\.js --board .*board\.json -p \/dev\/ttyUSB9 --storage posrt\.js:\S*posrt\.js --storage \.bootcde:\S*posrt-boot\.js -e 'load\(\)'/);
  const words = shellWords(r.stdout.trim());
  const boot = words[words.indexOf("--storage", words.indexOf("--storage") + 1) + 1].split(":")[1];
  assert.is(fs.readFileSync(boot, "utf8").trim(), 'eval(require("Storage").read("posrt.js"));');
});

test("flash --dry-run prints the nodemcu command: the bytecode and an init.lua that runs it", () => {
  const r = posrt("flash", "--target", "nodemcu", "--port", "/dev/ttyUSB9", "--dry-run");
  assert.is(r.status, 0, r.stderr);
  const words = shellWords(r.stdout.trim());
  assert.equal(words.slice(0, 4), ["nodemcu-uploader", "--port", "/dev/ttyUSB9", "upload"]);
  assert.match(words[4], /posrt\.luac:posrt\.luac$/);
  assert.match(words[5], /init\.lua:init\.lua$/);
  assert.is(fs.readFileSync(words[5].split(":")[0], "utf8").trim(), 'dofile("posrt.luac")');
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

test("flash --config --dry-run also writes the CRC-checked configuration record (both targets)", () => {
  for (const target of ["espruino", "nodemcu"]) {
    const r = posrt("flash", "--target", target, "--port", "/dev/ttyUSB9", "--config", configFile(CONFIG), "--dry-run");
    assert.is(r.status, 0, r.stderr);
    const words = shellWords(r.stdout.trim());
    const cfg = words.find((w) => /posrt\.cfg/.test(w))!;
    assert.ok(cfg !== undefined, r.stdout);
    const file = target === "espruino" ? cfg.split(":")[1] : cfg.split(":")[0];
    const record = parseConfig(fs.readFileSync(file, "utf8"));
    assert.is(record.tid, "SHOP0001");
    assert.is(record.host, "127.0.0.1");
  }
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
