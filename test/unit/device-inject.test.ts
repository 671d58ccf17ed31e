// Key injection end to end on the NodeMCU firmware under the Lua host (always available): a KEK
// in clear once, the TMK under it (a wrong check value stores nothing), then a sale whose
// working keys come under that TMK from an acquirer that knows it; an acquirer with another
// TMK is refused at sign-in. No clear key in any file of the board's flash.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "child_process";
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

/**
 * A stand-in NodeMCU on a pseudo-terminal (python3's pty): echoes the line it gets as the Lua
 * REPL does, runs it under lua5.3 with a posrt.inject that answers "loaded" for a clear TMK and
 * a refusal otherwise, and writes lua's output back with CR LF.
 */
const FAKE_NODEMCU = `
import os, pty, subprocess, sys, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
buf = b""
while not buf.endswith(b"\\r\\n"):
    buf += os.read(m, 1024)
line = buf[:-2].decode()
os.write(m, ("> " + line + "\\r\\n").encode())
stub = 'posrt = { inject = function(k, h, c, f) if f == "clear" then return "loaded" end return "REFUSED: wrong check value" end }\\n'
out = subprocess.run(["lua5.3", "-e", stub + line], capture_output=True, text=True)
os.write(m, ("stdin:1: " + out.stderr if out.stderr else out.stdout).replace("\\n", "\\r\\n").encode())
time.sleep(2)
`;

/** Runs posrt keys inject --port against the stand-in board; its exit status and output. */
async function injectOverPty(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const board = spawn("python3", ["-c", FAKE_NODEMCU]);
  const tty = await new Promise<string>((resolve, reject) => {
    board.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
    board.once("error", reject);
  });
  const p = spawn(process.execPath, [BIN, "keys", "inject", "--port", tty, "--board", "nodemcu", ...args]);
  let stdout = "";
  let stderr = "";
  p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => p.on("exit", resolve));
  board.kill();
  return { status, stdout, stderr };
}

test("keys inject --port to a NodeMCU reads the board's answer line (pseudo-terminal stand-in, real lua5.3 parses the line)", async () => {
  const have = (cmd: string) => spawnSync(cmd, ["-v"], { encoding: "utf8" }).error === undefined;
  if (!have("python3") || !have("lua5.3")) {
    console.log("  NOT RUN: keys inject --port needs python3 (pty) and lua5.3 for its stand-in board here");
    return;
  }
  const kcv = posrt("keys", "kcv", "--hex", TMK).stdout.trim();
  const ok = await injectOverPty(["--key", "tmk", "--form", "clear", "--hex", TMK, "--kcv", kcv]);
  assert.is(ok.status, 0, ok.stderr);
  assert.is(ok.stdout.trim(), `tmk loaded, check value ${kcv}`);
  const wrapped = posrt("keys", "wrap", "--kek", KEK, "--hex", TMK).stdout.trim().split(" ")[0];
  const no = await injectOverPty(["--key", "tmk", "--form", "kek", "--hex", wrapped, "--kcv", "ABCDEF"]);
  assert.is(no.status, 1);
  assert.is(no.stderr.trim(), "posrt keys inject: the board refused the tmk: REFUSED: wrong check value");
});

test.run();
