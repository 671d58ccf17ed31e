// Interactive `posrt terminal` on a real pseudo-terminal (util-linux `script`, part of every
// Debian system): keys typed one by one, a ":" script line, Ctrl-C; the image is saved 0600.
// Without a terminal it is a usage error (exit 2), not a silent exit 0.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const BIN = path.join(ROOT, "bin", "posrt.js");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-tty-"));
const WAIT_MS = 30000;

test("without a terminal: exit 2 and one line that names the way out", () => {
  const r = spawnSync(process.execPath, [BIN, "terminal"], { input: "", encoding: "utf8" });
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.is(r.stderr.trimEnd().split("\n").length, 1);
  assert.match(r.stderr, /interactive mode needs a terminal; use --script FILE/);
});

test("on a terminal: sign on with typed keys, a script line, Ctrl-C saves the image 0600", async () => {
  const found = spawnSync("script", ["--version"], { encoding: "utf8" });
  assert.ok(found.status === 0, "util-linux `script` is needed for this test (Debian: bsdutils)");
  const image = path.join(TMP, "tty.img");
  const cmd = `"${process.execPath}" "${BIN}" terminal --image "${image}"`;
  const child = spawn("script", ["-qfec", cmd, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
  // each step waits for the screen it needs (robust under load), then types
  const waitFor = async (text: string, from: number): Promise<number> => {
    const t0 = Date.now();
    while (out.indexOf(text, from) < 0) {
      if (Date.now() - t0 > WAIT_MS) throw new Error(`no "${text}" on the screen after ${WAIT_MS} ms; last output: ${out.slice(-600)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return out.indexOf(text, from) + text.length;
  };
  const type = (s: string) => child.stdin.write(s);
  try {
    let at = await waitFor("Operator no.", 0);
    type("01\r");
    at = await waitFor("Password", at);
    type("0000\r");
    at = await waitFor("Op 01", at);
    type(":expect enter: menu\r");
    type(":expect no such text\r");
    at = await waitFor('expect: "no such text" did not show', at); // a note; the session goes on
    assert.not.match(out.slice(0, at), /expect: "enter: menu" did not show/);
    type("\x03");
    const code = await closed;
    assert.is(code, 0, out.slice(-600));
  } finally {
    child.kill();
  }
  assert.ok(fs.existsSync(image), "the image is saved on Ctrl-C");
  assert.is(fs.statSync(image).mode & 0o777, 0o600);
  // the saved journal opens again: the operator's sign-on is not a transaction, the image is a journal
  const dump = spawnSync(process.execPath, [BIN, "journal", "dump", image], { encoding: "utf8" });
  assert.is(dump.status, 0, dump.stderr);
});

test.run();
