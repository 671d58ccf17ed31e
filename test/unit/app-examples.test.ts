// examples/*.posrt — a day at a shop — each run through `posrt terminal --script --json`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import { terminal } from "../../cli/commands/terminal";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../../..");
const EXAMPLES = path.join(ROOT, "examples");

interface Out {
  receipts: { copy: string; lines: string[] }[];
  wire: { dir: string; mti: string; stan: string; rc: string }[];
  audit: { kind: string; reason: string; outcome: string; amount_minor: number }[];
  status: { ok: boolean };
}

/** `posrt terminal --script FILE --json`, run in-process (its stdout captured). */
async function run(name: string): Promise<Out> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  let rc = -1;
  try {
    rc = await terminal.run(["--script", path.join(EXAMPLES, name), "--json"]);
  } finally {
    console.log = log;
  }
  const out = JSON.parse(lines.join("\n")) as Out;
  assert.is(rc, out.status.ok ? 0 : 1);
  return out;
}

const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".posrt")).sort();

test("there are the nine examples of a day at a shop", () => {
  assert.ok(files.length >= 9, files.join(", "));
});

const checks: { [f: string]: (o: Out) => void } = {
  "04-wrong-pin.posrt": (o) => {
    const rcs = o.wire.filter((w) => w.dir === "in" && w.mti === "0210").map((w) => w.rc);
    assert.equal(rcs, ["55", "00", "55", "55", "55", "75"]);
  },
  "06-timeout-reversal.posrt": (o) => {
    assert.ok(o.wire.some((w) => w.mti === "0400" && w.rc === "98"), "a 0400 with 39=98 went out");
    assert.ok(o.wire.some((w) => w.mti === "0410" && w.rc === "00"), "the acquirer confirmed it");
    assert.equal(o.audit.filter((a) => a.kind === "reversal" && a.reason === "98").map((a) => a.outcome), ["queued", "done: reversed"]);
  },
  "08-refund-after-settlement.posrt": (o) => {
    const refund = o.wire.find((w) => w.mti === "0230");
    assert.is(refund?.rc, "00");
    assert.ok(o.receipts.some((r) => r.lines.some((l) => l === "AMOUNT CNY -30.00")), "refund receipt of 30.00");
  },
  "09-settlement-report.posrt": (o) => {
    const rep = o.receipts.find((r) => r.copy === "SETTLEMENT");
    assert.ok(rep !== undefined, "settlement report printed");
    const text = (rep as { lines: string[] }).lines.join("\n");
    assert.match(text, /CANCELLATIONS 4/);
    assert.match(text, /98: done: reversed/);
    assert.match(text, /VOID T000002 10\.00/);
    assert.match(text, /REFUND T000005 5\.00/);
    assert.match(text, /REVERSAL T000006 30\.98/);
  },
};

for (const f of files) {
  test(`example ${f} runs green`, async () => {
    const o = await run(f);
    assert.ok(o.status.ok);
    if (checks[f] !== undefined) checks[f](o);
  });
}

test("--acquirer HOST:PORT: a sale against posrt acquirer on 127.0.0.1", async () => {
  const { spawn } = await import("child_process");
  const port = 9401;
  const srv = spawn(process.execPath, [path.join(ROOT, "bin/posrt.js"), "acquirer", "--port", String(port), "--host", "127.0.0.1", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await new Promise<void>((ok, bad) => {
      const t = setTimeout(() => bad(new Error("acquirer did not start")), 20000);
      const check = () => {
        const s = require("net").connect({ host: "127.0.0.1", port }, () => { s.destroy(); clearTimeout(t); ok(); });
        s.on("error", () => setTimeout(check, 200));
      };
      check();
    });
    const lines: string[] = [];
    const log = console.log;
    console.log = (x: string) => lines.push(x);
    let rc = -1;
    try {
      rc = await terminal.run(["--script", path.join(EXAMPLES, "02-swiped-sale.posrt"), "--acquirer", "127.0.0.1:" + port, "--json"]);
    } finally {
      console.log = log;
    }
    const o = JSON.parse(lines.join("\n")) as Out;
    assert.is(rc, 0);
    const wire = o.wire.map((w) => w.dir + " " + w.mti + " " + w.rc);
    // sign-in, then the CA key and chip parameter downloads posrt acquirer asks for (13 exchanges, docs/unionpay-hosts.md), then the sale
    assert.equal([...wire.slice(0, 2), ...wire.slice(-2)], ["out 0800 ", "in 0810 00", "out 0200 ", "in 0210 00"]);
    assert.is(wire.length, 4 + 2 * 13);
  } finally {
    srv.kill();
  }
});

test.run();
