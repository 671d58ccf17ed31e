// Issue 11, acquirer points 7 and 8: `posrt acquirer --state` loses nothing it answered when it
// is killed with SIGKILL (a replay afterwards is 94), and no file the commands write (acquirer
// state, its log and key file, sim traces, the acquirer's wire log) holds a test PAN in ASCII or
// BCD, a PIN block or a key; every such file has mode 0600.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { ChildProcess, spawn, spawnSync } from "child_process";
import { TestTerminal } from "../../cli/acquirer/client";
import { readStateFile } from "../../cli/acquirer/durable";
import { CARD_PANS } from "../../cli/sim/run";
import { TEST_CARDS, buildTotals48 } from "../../src/acquirer/protocol";
import { decodeWorkingKeys, tdesKey } from "../../src/crypto/index";
import { fromHex, toHex } from "../../src/bytes/index";
import { TEST_TMK_HEX } from "../../hal/emulator/security";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");
const PAN = "6214830000000009";
const SALES = 30;
/** The sim's fixed PIN block. */
const SIM_PIN_BLOCK = "0A1B2C3D4E5F6071";

/** Every acquirer started, so that a failing test leaves none running. */
const children: ChildProcess[] = [];

function start(args: string[]): Promise<{ proc: ChildProcess; port: number; out: () => string }> {
  const proc = spawn(process.execPath, [BIN, "acquirer", "--port", "0", "--host", "127.0.0.1", ...args], { env: { ...process.env, POSRT_STATE_KEY: "" } });
  children.push(proc);
  let out = "";
  return new Promise((resolve, reject) => {
    proc.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    proc.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /listening on port (\d+)/.exec(out);
      if (m !== null) resolve({ proc, port: Number(m[1]), out: () => out });
    });
    proc.on("exit", (code) => reject(new Error(`posrt acquirer exited ${code}: ${out}`)));
  });
}

function exited(proc: ChildProcess): Promise<number | null> {
  proc.removeAllListeners("exit");
  return new Promise((resolve) => proc.on("exit", (code) => resolve(code)));
}

/** One connection, one request in flight. */
class Wire {
  private buf = Buffer.alloc(0);
  private waiting: ((b: Uint8Array) => void) | undefined;
  constructor(readonly sock: net.Socket) {
    sock.on("data", (b: Buffer) => {
      this.buf = Buffer.concat([this.buf, b]);
      if (this.buf.length >= 2 && this.buf.length >= 2 + this.buf.readUInt16BE(0) && this.waiting !== undefined) {
        const n = 2 + this.buf.readUInt16BE(0);
        const frame = new Uint8Array(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        const w = this.waiting;
        this.waiting = undefined;
        w(frame);
      }
    });
  }
  static open(port: number): Promise<Wire> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new Wire(s)));
      s.once("error", reject);
    });
  }
  ask(frame: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.sock.write(frame);
    });
  }
}

/** Every occurrence of `needles` (ASCII, and BCD / binary for hex-digit strings) in the files under `dir`. */
function scan(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const pats: { what: string; b: Buffer }[] = [];
  for (const n of needles) {
    pats.push({ what: n + " ASCII", b: Buffer.from(n) }, { what: n + " ascii lower", b: Buffer.from(n.toLowerCase()) });
    if (/^[0-9A-F]+$/i.test(n) && n.length % 2 === 0) pats.push({ what: n + " BCD/binary", b: Buffer.from(n, "hex") });
  }
  for (const name of fs.readdirSync(dir)) {
    const data = fs.readFileSync(path.join(dir, name));
    for (const p of pats) if (data.indexOf(p.b) >= 0) hits.push(`${name}: ${p.what}`);
  }
  return hits;
}

function modes(dir: string): string[] {
  return fs.readdirSync(dir).map((n) => `${n} ${(fs.statSync(path.join(dir, n)).mode & 0o777).toString(8)}`);
}

test("kill -9 after answered approvals: nothing answered is lost, a replay is 94, files sealed and 0600", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-durable-"));
  const state = path.join(dir, "state.json");
  const wireLog = path.join(dir, "wire.jsonl");
  let run = await start(["--state", state, "--wire-log", wireLog, "--quiet"]);
  const term = new TestTerminal({ tid: "D0000001", mid: "M00000000000001" });
  let wire = await Wire.open(run.port);
  const signIn = await wire.ask(term.signIn());
  term.acceptSignIn(signIn);
  const keys = decodeWorkingKeys(tdesKey(fromHex(TEST_TMK_HEX)), fromHex(term.read(signIn).msg.fields["62"]));
  const pinBlock = toHex(term.sm.encryptPin("1234", PAN)); // the debit test card's TEST PIN
  const sales: { frame: Uint8Array; amount: number; rrn: string; date: string }[] = [];
  for (let i = 0; i < SALES; i++) {
    const amount = 1000 + 100 * i + 1; // cents .01: no magic amount
    const frame = term.frame("0200", { ...term.saleFields(PAN, amount), "35": PAN + "D30121010000", "52": pinBlock, "22": "021" });
    const m = term.read(await wire.ask(frame)).msg;
    assert.is(m.fields["39"], "00", `sale ${i}`);
    sales.push({ frame, amount, rrn: m.fields["37"], date: m.fields["13"] });
  }
  const killed = exited(run.proc);
  run.proc.kill("SIGKILL"); // right after the last reply arrived
  assert.is(await killed, null);
  wire.sock.destroy();

  run = await start(["--state", state, "--quiet"]);
  assert.match(run.out(), new RegExp(`${SALES + 1} logged requests replayed`));
  wire = await Wire.open(run.port);
  for (const s of sales.slice(-10)) {
    const r = term.read(await wire.ask(s.frame));
    assert.ok(r.macOk, "the working keys survived too");
    assert.is(r.msg.fields["39"], "94", "a replayed approval is a duplicate");
  }
  const total = sales.reduce((a, s) => a + s.amount, 0);
  const settle = term.read(await wire.ask(term.settlement(buildTotals48({ debit_count: SALES, debit_minor: total, credit_count: 0, credit_minor: 0 }, "0")))).msg;
  assert.is(settle.fields["39"], "00", "the books hold every answered sale: totals balance");
  const refund = term.read(await wire.ask(term.refund(PAN, 100, sales[SALES - 1].rrn, sales[SALES - 1].date))).msg;
  assert.is(refund.fields["39"], "00", "the last sale before the kill is found by its RRN");
  const stopped = exited(run.proc);
  run.proc.kill("SIGINT");
  assert.is(await stopped, 0);
  wire.sock.destroy();
  const books = readStateFile(state);
  assert.is(books.txns.filter((t) => t.kind === "sale" && t.approved).length, SALES);
  const acct = books.accounts.find((a) => a.pan === PAN);
  assert.is((acct?.opening_minor ?? 0) - (acct?.balance_minor ?? 0), total - 100);

  for (const m of modes(dir)) assert.match(m, / 600$/, m);
  const secrets = [...new Set([...CARD_PANS, ...TEST_CARDS.map((c) => c.pan)])];
  secrets.push(pinBlock, TEST_TMK_HEX, toHex(keys.pik), toHex(keys.mak));
  assert.equal(scan(dir, secrets), [], "no clear PAN, PIN block or key in " + fs.readdirSync(dir).join(", "));
  assert.ok(fs.readFileSync(wireLog, "utf8").includes("621483******0009"), "the wire log holds the masked PAN");
  fs.rmSync(dir, { recursive: true });
});

test("posrt sim --trace: no clear PAN (ASCII or BCD), track, PIN block or key; mode 0600", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-trace-"));
  const trace = path.join(dir, "trace.jsonl");
  fs.writeFileSync(trace, "old\n", { mode: 0o644 }); // an existing world-readable file is tightened too
  const r = spawnSync(process.execPath, [BIN, "sim", "--seed", "11", "--ops", "120", "--faults", "all", "--trace", trace], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const lines = fs.readFileSync(trace, "utf8").trim().split("\n");
  assert.ok(lines.length > 200, `${lines.length} trace lines`);
  assert.ok(lines.some((l) => l.includes('"frame":{"mti":"0210"')), "replies are listed, redacted");
  const secrets = [...new Set([...CARD_PANS, ...TEST_CARDS.map((c) => c.pan)]), SIM_PIN_BLOCK, TEST_TMK_HEX];
  assert.equal(scan(dir, secrets), []);
  assert.equal(modes(dir), ["trace.jsonl 600"]);
  fs.rmSync(dir, { recursive: true });
});

test.after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

test.run();
