// The terminal acts on storage damage: multi-byte damage in committed records of an approved
// sale → at power-up the fault screen (only enter goes on), one "storage" audit record naming
// the place, no 0400 for that sale, and the advisor (menu 5, `posrt journal lookup`) says ask
// the acquirer. A clean power-up shows no fault screen.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalSession } from "../../src/app/config";
import { Session } from "../../src/app/session";
import { ACT_ASK, advise, findOriginal } from "../../src/app/advisor";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { lookup } from "../../cli/commands/app-journal";
import { openJournal, walkRecords } from "../../src/journal/recover";
import { REC_TXN_DELTA } from "../../src/journal/format";
import { saveNorImage } from "../../hal/emulator/nor-file";
import { READY } from "../support/app-scripts";


function sale(amount: string): string {
  return `\nkey enter\nkey 1\nkeys ${amount}\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nexpect enter: menu`;
}

function run(s: Session, script: string): void {
  const r = runScript(s, parseScript(script));
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}`);
}

/** Two approved sales (25.00 at trace 2, 10.00 at trace 3); then 4 bytes of damage in the first sale's "approved" record (which also disarmed its reversal: one record for both). */
function damagedTerminal(): { s: Session; places: string[] } {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  run(s, READY + sale("2500") + sale("1000"));
  assert.is(s.receipts.filter((r) => r.copy === "MERCHANT COPY").length, 2, "both sales shown approved");
  const probe = openJournal(s.o.flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80, read_only: true });
  const first: { sector: number; offset: number }[] = [];
  walkRecords(probe, (r) => {
    if (r.type === REC_TXN_DELTA && first.length < 1) first.push({ sector: r.sector, offset: r.offset });
  });
  assert.is(first.length, 1);
  for (const r of first) s.o.flash.damage(r.sector * 4096 + r.offset + 3, 4);
  return { s, places: first.map((r) => `sector ${r.sector} offset ${r.offset}`) };
}

test("damaged sale: fault screen at power-up before sign-on, only enter goes on, audited once, no 0400, advisor asks the acquirer", () => {
  const { s, places } = damagedTerminal();
  const sentBefore = s.wire.length;
  s.powerCut();
  const rows = s.screen().join("\n");
  assert.match(rows, /STORAGE FAULT/);
  assert.match(rows, /1 record\(s\) lost, 1/);
  assert.match(rows, /outcome\(s\) unknown/);
  assert.match(rows, /Settle with batch/);
  assert.match(rows, /call service/);
  s.advance(10000);
  s.key("cancel");
  s.key("1");
  assert.ok(s.shows("STORAGE FAULT"), "no time-out and no other key leaves the fault screen");
  const audit = s.auditEntries().filter((e) => e.kind === "storage");
  assert.is(audit.length, 1);
  assert.match(audit[0].reason, new RegExp(`^${places[0]}: `));
  assert.match(audit[0].outcome, /1 record\(s\) lost, 1 outcome\(s\) unknown/);
  assert.ok(s.j.outcomeUnknown(s.j.batch(), 2), "the first sale's outcome is unknown");
  assert.is(s.j.pendingReversals().length, 1, "its reversal is still armed (the disarm was lost)");
  const o = findOriginal(s.j, undefined, "trace", "2")!;
  const adv = advise(o);
  assert.is(adv.action, ACT_ASK);
  assert.is(adv.state, "outcome unknown after storage damage");
  assert.is(advise(findOriginal(s.j, undefined, "trace", "3")!).action, "void", "the undamaged sale can still be voided");
  run(s, "key enter\nexpect POWER ON\nkey enter\nkeys 01\nkey enter\nkeys 0000\nkey enter\nexpect enter: menu\nkey enter\nkey 5\nkey 1\nkeys 2\nkey enter\nexpect outcome unknown\nexpect Can: ask the\nkey cancel");
  s.advance(120000);
  const after = s.wire.slice(sentBefore).filter((w) => w.dir === "out").map((w) => w.mti + "/" + w.stan);
  assert.ok(after.every((m) => !m.startsWith("0400")), `sent after power-up: ${after.join(",")}`);
  s.powerCut();
  assert.ok(s.shows("STORAGE FAULT"), "the damage is still there at the next power-up");
  assert.is(s.auditEntries().filter((e) => e.kind === "storage").length, 1, "the same finding is audited once");
});

test("posrt journal lookup on the damaged image: outcome unknown, ask the acquirer", async () => {
  const { s } = damagedTerminal();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "posrt-damage-")), "t.img");
  saveNorImage(s.o.flash, file);
  const out: string[] = [];
  const log = console.log;
  console.log = (x: string) => { out.push(x); };
  let code = -1;
  try {
    code = await lookup([file, "--trace", "2", "--json"]);
  } finally {
    console.log = log;
  }
  assert.is(code, 0);
  const a = JSON.parse(out[0]);
  assert.is(a.action, ACT_ASK);
  assert.is(a.state, "outcome unknown after storage damage");
  assert.is(a.reason, "never guess: settlement with batch upload decides");
});

test("clean power-up: no fault screen, no storage audit, straight to the power-on summary", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  run(s, READY + sale("2500"));
  s.powerCut();
  assert.ok(s.shows("POSRT  POWER ON"));
  assert.not.ok(s.shows("STORAGE FAULT"));
  assert.is(s.auditEntries().filter((e) => e.kind === "storage").length, 0);
});

test.run();
