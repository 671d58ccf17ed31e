// GBK on receipts end to end: under the cup-ecb-gbk profile the acquirer approves with the
// issuer's name in Chinese in field 63; the customer copy prints it through the printer's
// Chinese mode (FS & … FS .), the merchant copy does not carry it, the display shows "?" and says so.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { readProfile } from "../../cli/acquirer/profile-file";
import { len, toHex } from "../../src/bytes/index";
import { terminalFlash, terminalSession } from "../../src/app/config";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { EscPosPrinter } from "../../src/models/escpos-printer";

const ROOT = path.resolve(__dirname, "../../../..");

test("a sale approved with a GBK issuer name: Chinese mode on the customer copy only, ? on the display", () => {
  const profile = readProfile(path.join(ROOT, "profiles/cup-ecb-gbk.json"));
  const s = terminalSession({ acquirer: embeddedAcquirer(1, profile), flash: terminalFlash(1), seed: 1, profile });
  const r = runScript(s, parseScript(fs.readFileSync(path.join(ROOT, "examples/02-swiped-sale.posrt"), "utf8")));
  assert.ok(r.ok, r.error);
  const jobs = s.printed.map((b) => toHex(b));
  const line = "1C26" + Buffer.from("ISSUER ", "ascii").toString("hex").toUpperCase() + "D6D0B9FAD2F8D0D0" + "1C2E0A";
  const customer = s.receipts.findIndex((x) => x.copy === "CUSTOMER COPY");
  const merchant = s.receipts.findIndex((x) => x.copy === "MERCHANT COPY");
  assert.ok(customer >= 0 && merchant >= 0);
  assert.ok(jobs.join("").includes(line), "customer copy carries the GBK line in Chinese mode");
  assert.is(jobs.filter((j) => j.includes(line)).length, 1);
  assert.ok(s.receipts[customer].lines.includes("ISSUER ????"));
  assert.not.ok(s.receipts[merchant].lines.some((l) => l.startsWith("ISSUER")));
  const tear = s.frames.find((f) => f.rows.some((row) => row.startsWith("Issuer ")));
  assert.ok(tear !== undefined);
  assert.ok(tear!.rows.some((row) => row.startsWith("Issuer ????")));
  assert.ok(tear!.rows.some((row) => row.startsWith("(Chinese not shown)")));
});

test("the printer model prints those jobs: the issuer line in full-width GBK characters, byte-exact, no parse error", () => {
  const profile = readProfile(path.join(ROOT, "profiles/cup-ecb-gbk.json"));
  const s = terminalSession({ acquirer: embeddedAcquirer(1, profile), flash: terminalFlash(1), seed: 1, profile });
  assert.ok(runScript(s, parseScript(fs.readFileSync(path.join(ROOT, "examples/02-swiped-sale.posrt"), "utf8"))).ok);
  const p = new EscPosPrinter({});
  for (const job of s.printed) p.receive(job, 0, len(job));
  assert.equal(p.errors(), []);
  const lines = p.receipts().flatMap((r) => r.lines);
  const issuer = lines.filter((l) => l.gbk);
  assert.is(issuer.length, 1, "one GBK line: the customer copy's issuer");
  assert.is(Buffer.from(issuer[0].text, "latin1").toString("hex").toUpperCase(), Buffer.from("ISSUER ").toString("hex").toUpperCase() + "D6D0B9FAD2F8D0D0");
  assert.is(new TextDecoder("gbk").decode(Buffer.from(issuer[0].text, "latin1")), "ISSUER 中国银行");
  assert.ok(p.text().some((l) => l.startsWith("ISSUER ########") && l.endsWith("[GBK D6D0 B9FA D2F8 D0D0]")), p.text().join("\n"));
});

test("under posrt's default profile (no issuer name in 63) no Chinese mode byte is printed", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1), flash: terminalFlash(1), seed: 1 });
  assert.ok(runScript(s, parseScript(fs.readFileSync(path.join(ROOT, "examples/02-swiped-sale.posrt"), "utf8"))).ok);
  assert.not.ok(s.printed.map((b) => toHex(b)).join("").includes("1C26"));
});

test.run();
