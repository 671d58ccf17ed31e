// Key injection end to end on the NodeMCU firmware under the Lua host (always available): a KEK
// in clear once, the TMK under it (a wrong check value stores nothing), then a sale whose
// working keys come under that TMK from an acquirer that knows it; an acquirer with another
// TMK is refused at sign-in. No clear key in any file of the board's flash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const BIN = path.resolve(__dirname, "../../../../bin/posrt.js");
const EXAMPLES = path.resolve(__dirname, "../../../../examples");
const KEK = "F0E1D2C3B4A5968778695A4B3C2D1E0F";
const TMK = "00112233445566778899AABBCCDDEEFF";

function posrt(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
}

test("keys inject --target lua: KEK in clear, TMK under it checked by KCV, a sale under the injected keys", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-inject-"));
  try {
    const kekKcv = posrt("keys", "kcv", "--hex", KEK).stdout.trim();
    assert.match(kekKcv, /^[0-9A-F]{6}$/);
    const wrap = posrt("keys", "wrap", "--kek", KEK, "--hex", TMK).stdout.trim().split(" ");
    assert.is(wrap.length, 2);
    const inj = (...a: string[]) => posrt("keys", "inject", "--target", "lua", "--flash-dir", dir, ...a);
    const r1 = inj("--key", "kek", "--form", "clear", "--hex", KEK, "--kcv", kekKcv);
    assert.is(r1.status, 0, r1.stderr + r1.stdout);
    const bad = inj("--key", "tmk", "--form", "kek", "--hex", wrap[0], "--kcv", "000000");
    assert.is(bad.status, 1);
    assert.match(bad.stderr, /check value mismatch/);
    const r2 = inj("--key", "tmk", "--form", "kek", "--hex", wrap[0], "--kcv", wrap[1]);
    assert.is(r2.status, 0, r2.stderr + r2.stdout);
    const sale = posrt("device", "run", "--target", "lua", "--flash-dir", dir, "--acquirer-tmk", TMK, "--script", path.join(EXAMPLES, "02-swiped-sale.posrt"));
    assert.is(sale.status, 0, sale.stdout.slice(-800));
    assert.match(sale.stdout, new RegExp("keys: TMK KCV " + wrap[1]));
    assert.not.match(sale.stdout, /TEST KEYS/);
    const other = posrt("device", "run", "--target", "lua", "--flash-dir", dir, "--script", path.join(EXAMPLES, "02-swiped-sale.posrt"));
    assert.is(other.status, 1);
    assert.match(other.stdout, /working keys rejected: .*check value mismatch/, "an acquirer with the TEST TMK is refused");
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), "latin1").toUpperCase();
      for (const k of [KEK, TMK]) {
        assert.not.ok(text.includes(k) || text.includes(k.slice(0, 16)), `${f} holds a clear key in hex`);
        assert.not.ok(text.includes(Buffer.from(k, "hex").toString("latin1").toUpperCase()), `${f} holds a clear key as bytes`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("keys inject refuses a clear key whose check value does not match before sending anything", () => {
  const r = posrt("keys", "inject", "--target", "lua", "--flash-dir", "/nonexistent-posrt", "--key", "tmk", "--form", "clear", "--hex", TMK, "--kcv", "ABCDEF");
  assert.is(r.status, 1);
  assert.match(r.stderr, /does not match the key/);
  assert.is(r.stderr.trim().split("\n").length, 1);
});

test("keys inject --port --dry-run prints one shell line for each board kind", () => {
  const kcv = posrt("keys", "kcv", "--hex", TMK).stdout.trim();
  const e = posrt("keys", "inject", "--port", "/dev/ttyUSB9", "--board", "espruino", "--dry-run", "--key", "tmk", "--form", "clear", "--hex", TMK, "--kcv", kcv);
  assert.is(e.status, 0, e.stderr);
  assert.match(e.stdout, /espruino-cli\.js --board .* -p \/dev\/ttyUSB9 -e 'posrt\.inject\("tmk",/);
  const n = posrt("keys", "inject", "--port", "/dev/ttyUSB9", "--board", "nodemcu", "--dry-run", "--key", "tmk", "--form", "clear", "--hex", TMK, "--kcv", kcv);
  assert.is(n.status, 0, n.stderr);
  const sh = spawnSync("sh", ["-n", "-c", n.stdout], { encoding: "utf8" });
  assert.is(sh.status, 0, "the printed line is valid shell: " + sh.stderr);
});

test.run();
