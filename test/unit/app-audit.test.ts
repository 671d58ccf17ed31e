// The audit trail never loses the record of a money operation: when it lacks room for what an
// operation may write (its own record, a reversal queued and its end), sale, void and refund
// are refused before anything is sent, and settlement (which prints and releases the trail)
// is the way out. Before this, 64 aborted sales filled the trail and an approved void ended in
// "Error: journal: audit trail full" with no receipt and no audit record.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalSession } from "../../src/app/config";
import { Session } from "../../src/app/session";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { AUDIT_FULL_TEXT, AUDIT_ROOM_PER_OP } from "../../src/app/consts";
import { AUDIT_MAX } from "../../src/journal/api";
import { jobText } from "../../src/escpos/encode";
import { Bytes, get, len, slice } from "../../src/bytes/index";
import { AF_PRINT } from "../../src/app/types";
import { PRINT_MAX_PARTS, PRINT_PART_LINES } from "../../src/app/app";
import { READY } from "../support/app-scripts";

const SALE = (minor: number) => `key enter\nkey 1\nkeys ${minor}\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nexpect enter: menu`;
const ABORT = "key enter\nkey 1\nkeys 100\nkey enter\nswipe debit\nkey cancel\nexpect enter: menu";
const VOID_TRACE = (stan: number) => `key enter\nkey 2\nexpect Trace no.\nkeys ${stan}\nkey enter\nexpect enter: void it\nkey enter\nkeys 123456\nkey enter\nkey 2`;

/** The text of printed bytes made of several encoder parts (each starts with ESC @; jobText reads one part). */
function partsText(b: Bytes): string[] {
  const starts: number[] = [];
  for (let i = 0; i + 1 < len(b); i++) if (get(b, i) === 0x1b && get(b, i + 1) === 0x40) starts.push(i);
  const out: string[] = [];
  for (let k = 0; k < starts.length; k++) out.push(...jobText(slice(b, starts[k], (k + 1 < starts.length ? starts[k + 1] : len(b)) - starts[k])));
  return out;
}

function run(s: Session, script: string): void {
  const r = runScript(s, parseScript(script));
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}`);
}

test("a full audit trail refuses sale, void, refund and the advisor's void before sending; settlement clears it", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  run(s, READY + "\n" + SALE(4500)); // trace 2
  const aborts = AUDIT_MAX - AUDIT_ROOM_PER_OP + 1;
  for (let i = 0; i < aborts; i++) run(s, ABORT);
  assert.is(s.app.st.auditRoom(), AUDIT_ROOM_PER_OP - 1);
  assert.ok(s.screen().join("\n").indexOf("Audit full: settle 7") >= 0, s.screen().join("\n"));
  const sent = s.wire.length;
  // menu 1, 2, 3: the same refusal, nothing sent
  for (const k of ["1", "2", "3"]) run(s, `key enter\nkey ${k}\nexpect Audit trail full\nkey enter\nexpect enter: menu`);
  // the advisor shows its advice but does not start the void
  run(s, "key enter\nkey 5\nkey 1\nkeys 2\nkey enter\nexpect enter: void it\nkey enter\nexpect Audit trail full\nkey enter");
  assert.is(s.wire.length, sent, "nothing was sent while the trail was full");
  assert.is(s.app.st.auditEntries().length, aborts + 0);
  // settlement prints the trail and releases it; the void then runs and is audited
  run(s, "key enter\nkey 7\nexpect Sales 1\nkey enter\nexpect settled.\nkey enter\nexpect enter: menu");
  assert.is(s.app.st.auditRoom(), AUDIT_MAX);
  // the report lists every aborted sale: 130+ lines, printed as one job in encoder parts
  const report = s.receipts[s.receipts.length - 1];
  assert.is(report.copy, "SETTLEMENT");
  assert.ok(report.lines.indexOf("CANCELLATIONS " + aborts) >= 0, report.lines.join("\n"));
  assert.is(report.lines.filter((l) => l.indexOf("ABORT T") === 0).length, aborts);
  const paper = partsText(s.printed[s.printed.length - 1]).filter((l) => l.indexOf("ABORT T") === 0);
  assert.is(paper.length, aborts, "the printer got every line");
  run(s, SALE(1200) + "\n" + VOID_TRACE(4) + "\nexpect Tear off the\nkey enter\nexpect enter: menu");
  const trail = s.app.st.auditEntries();
  const last = trail[trail.length - 1];
  assert.is(last.kind, "void");
  assert.is(last.stan, 4);
  assert.is(last.amount_minor, 1200);
});

test("a report longer than the printer job limit prints in parts, one cut; beyond the bound it says what it left out", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  const n = PRINT_PART_LINES * PRINT_MAX_PARTS + 5;
  const lines = [];
  for (let i = 0; i < n; i++) lines.push({ t: "LINE " + i });
  s.app.print("LIST", lines);
  const job = s.app.fx[s.app.fx.length - 1];
  assert.is(job.k, AF_PRINT);
  const b = job.b as Bytes;
  const text = partsText(b);
  assert.is(text.filter((l) => l.indexOf("LINE ") === 0).length, PRINT_PART_LINES * PRINT_MAX_PARTS - 1);
  assert.ok(text.indexOf("(6 more lines not printed)") >= 0, text.slice(-3).join("|"));
  let cuts = 0;
  for (let i = 0; i + 1 < len(b); i++) if (get(b, i) === 0x1d && get(b, i + 1) === 0x56) cuts++;
  assert.is(cuts, 1);
});

test.run();
