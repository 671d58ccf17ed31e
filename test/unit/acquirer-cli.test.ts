import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ChildProcess, spawn } from "child_process";
import { TestTerminal } from "../../cli/acquirer/client";
import { readStateFile } from "../../cli/acquirer/durable";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");
const PAN = "6214830000000009";

/** Starts `posrt acquirer` on a free port; resolves with the process and its port. */
function start(args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [BIN, "acquirer", "--port", "0", "--host", "127.0.0.1", "--quiet", ...args]);
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    proc.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m !== null) resolve({ proc, port: Number(m[1]) });
    });
    proc.on("exit", (code) => reject(new Error(`posrt acquirer exited ${code}: ${out}`)));
  });
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.removeAllListeners("exit");
    proc.on("exit", (code) => resolve(code));
    proc.kill("SIGINT");
  });
}

function ask(port: number, frame: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(frame));
    let buf = Buffer.alloc(0);
    s.on("data", (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(new Uint8Array(buf));
      }
    });
    s.on("error", reject);
  });
}

test("posrt acquirer: serves over TCP, saves --state on SIGINT and resumes from it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-acq-"));
  const state = path.join(dir, "state.json");
  const term = new TestTerminal({ tid: "C0000001", mid: "M00000000000001" });
  let run = await start(["--state", state]);
  term.acceptSignIn(await ask(run.port, term.signIn()));
  const sale = term.read(await ask(run.port, term.sale(PAN, 2500))).msg;
  assert.is(sale.fields["39"], "00");
  assert.is(await stop(run.proc), 0);
  const saved = readStateFile(state);
  assert.is(saved.txns.length, 1);

  run = await start(["--state", state]);
  const refund = term.read(await ask(run.port, term.refund(PAN, 2500, sale.fields["37"], sale.fields["13"])));
  assert.ok(refund.macOk, "keys survived the restart");
  assert.is(refund.msg.fields["39"], "00", "the sale from before the restart is found by its RRN");
  assert.is(await stop(run.proc), 0);
  const after = readStateFile(state);
  assert.is(after.accounts.find((a) => a.pan === PAN)?.balance_minor, after.accounts.find((a) => a.pan === PAN)?.opening_minor);
  fs.rmSync(dir, { recursive: true });
});

test("posrt acquirer: --terminals restricts sign-in; a bad terminals file is a one-line error", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-acq-"));
  const file = path.join(dir, "terminals.json");
  fs.writeFileSync(file, JSON.stringify([{ tid: "C0000002", mid: "M00000000000001" }]));
  const run = await start(["--terminals", file]);
  const stranger = new TestTerminal({ tid: "C0000003", mid: "M00000000000001" });
  assert.is(stranger.read(await ask(run.port, stranger.signIn())).msg.fields["39"], "97");
  const known = new TestTerminal({ tid: "C0000002", mid: "M00000000000001" });
  assert.is(known.acceptSignIn(await ask(run.port, known.signIn())).fields["39"], "00");
  await stop(run.proc);
  fs.writeFileSync(file, JSON.stringify([{ tid: "short" }]));
  const bad = spawn(process.execPath, [BIN, "acquirer", "--port", "0", "--terminals", file]);
  let err = "";
  bad.stderr?.on("data", (b: Buffer) => (err += b.toString()));
  const code = await new Promise((r) => bad.on("exit", r));
  assert.is(code, 1);
  assert.match(err, /terminals file: .* entry 0 needs an 8-character "tid"/);
  assert.is(err.trim().split("\n").length, 1);
  fs.rmSync(dir, { recursive: true });
});

test.run();
