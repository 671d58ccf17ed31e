// The terminal app on a Session: bad input on every screen, cards, paper out, passwords,
// and a power cut at every step of a sale (and at every flash write while it is online).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalSession } from "../../src/app/config";
import { Session } from "../../src/app/session";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { KIND_SALE, ST_APPROVED, ST_PENDING, ST_REVERSED } from "../../src/journal/api";
import { concat, len, toHex } from "../../src/bytes/index";
import { HOST_SIGN_IN, READY, SIGN_ON } from "../support/app-scripts";


function session(o?: { paper_bytes?: number }): Session {
  return terminalSession({ acquirer: embeddedAcquirer(1), paper_bytes: o?.paper_bytes });
}

function run(s: Session, script: string): void {
  const r = runScript(s, parseScript(script));
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}`);
}

function screen(s: Session): string {
  return s.screen().join("\n");
}

test("script parser: every step kind, keys expanded, comments and blank lines skipped", () => {
  const st = parseScript("# c\n\nkey enter\nkeys 12\nswipe debit\ninsert chip\ntap low\nremove\npower-cut\nwait 500\nexpect A B\n");
  assert.equal(st.map((x) => x.k + ":" + x.arg), ["key:enter", "key:1", "key:2", "swipe:debit", "insert:chip", "tap:low", "remove:", "power-cut:", "wait:500", "expect:A B"]);
  assert.is(st[8].ms, 500);
});

test("script parser: a bad line is one clear error naming the line", () => {
  const bad: [string, RegExp][] = [
    ["key F9", /script line 1: unknown key "F9"/],
    ["key enter\nkeys 12a", /script line 2: keys takes digits only/],
    ["wait soon", /wait needs milliseconds/],
    ["expect", /expect needs the text/],
    ["swipe", /swipe needs one card name/],
    ["remove now", /remove takes no argument/],
    ["jump 3", /unknown step "jump"/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseScript(text), re);
});

test("amount entry: 0 and above the maximum are refused on screen, nothing is sent", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 1\nkey enter\nexpect Amount must be above\nkeys 999999999999\nexpect Above the maximum\nkey enter\nexpect Above the maximum\nkey cancel\nexpect MAIN MENU");
  assert.is(s.wire.filter((w) => w.mti === "0200").length, 0);
});

test("five wrong passwords lock operator 01 until the supervisor unlocks it", () => {
  const s = session();
  let script = "expect POWER ON\nkey enter\n";
  for (let i = 1; i <= 5; i++) script += `keys 01\nkey enter\nkeys 9999\nkey enter\nexpect Wrong password\nkey enter\n`;
  script += "keys 01\nkey enter\nexpect is locked\nkey enter\n";
  // the right password does not help while locked; a power cut does not reset the count
  script += "power-cut\nexpect POWER ON\nkey enter\nkeys 01\nkey enter\nexpect is locked\nkey enter\n";
  script += "keys 00\nkey enter\nkeys 123456\nkey enter\nexpect enter: menu\nkey enter\nkey 9\nkey 2\nkey 2\nkeys 01\nkey enter\nexpect Operator 01 unlocked\nkey enter\nkey 9\nkey 5\n";
  script += "keys 01\nkey enter\nkeys 0000\nkey enter\nexpect Op 01";
  run(s, script);
});

test("passwords are kept hashed, never in clear", () => {
  const s = session();
  run(s, SIGN_ON + "\nkey enter\nkey 9\nkey 2\nkey 1\nkeys 4711\nkey enter\nkeys 4711\nkey enter\nexpect changed");
  const blob = s.app.st.getAppBlob(0);
  assert.ok(blob !== undefined, "operator record in the journal");
  const image = toHex(s.o.flash.image());
  assert.not.ok(image.includes("34373131"), "no ASCII 4711 anywhere in flash");
  assert.not.ok(image.includes("4711"), "no BCD 4711 anywhere in flash");
  run(s, "key enter\nkey 9\nkey 5\nkeys 01\nkey enter\nkeys 0000\nkey enter\nexpect Wrong password\nkey enter\nkeys 01\nkey enter\nkeys 4711\nkey enter\nexpect Op 01");
});

test("unknown trace and RRN: void, advisor and reprint say so", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 2\nkeys 99\nkey enter\nexpect No sale with trace\nkey enter\nkey 5\nkey 2\nkeys 123456789012\nkey enter\nexpect No transaction with\nkey enter\nkey 6\nkey 2\nkeys 42\nkey enter\nexpect No transaction with");
  run(s, "key enter\nkey 5\nkey 3\nexpect No transaction yet");
});

test("refund of an unknown original needs the supervisor and is capped at the refund maximum", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 3\nkeys 999999999999\nkey enter\nkeys 1399\nkey enter\nexpect The date is MMDD\nkey enter\nkey 3\nkeys 999999999999\nkey enter\nkeys 0101\nkey enter\nexpect Original not on this\nkeys 111111\nkey enter\nexpect Wrong supervisor");
  run(s, "key enter\nkey 3\nkeys 999999999999\nkey enter\nkeys 0101\nkey enter\nkeys 123456\nkey enter\nexpect max 500.00\nkeys 50001\nexpect Above the maximum");
});

test("cards: unreadable stripe, chip swiped, stripe card inserted, no contactless", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 1\nkeys 100\nkey enter\nswipe damaged\nexpect Card not read\nswipe chip\nexpect Chip card: please\ninsert debit\nexpect No chip on this card\nremove\ntap debit\nexpect Card cannot be\ntap low\nexpect Tear off the");
});

test("card removed at PIN entry stops the sale (audited), nothing sent", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 1\nkeys 700\nkey enter\ninsert chip\nexpect Enter PIN\nkeys 12\nremove\nexpect Card removed");
  assert.is(s.wire.filter((w) => w.mti === "0200").length, 0);
  assert.equal(s.auditEntries().map((e) => e.kind + "/" + e.reason), ["abort/card removed"]);
});

test("chip card removed after the host approved: reversal 06, audited as card", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 1\nkeys 800\nkey enter\ninsert chip\nkeys 4321\nkey enter\nremove\nexpect Card taken out too\nwait 1000");
  assert.ok(s.wire.some((w) => w.mti === "0400" && w.rc === "06"));
  assert.equal(s.auditEntries().map((e) => e.kind + "/" + e.reason + "/" + e.outcome), ["reversal/card/queued", "reversal/card/done: reversed"]);
  const t = s.j.txns().find((x) => x.kind === KIND_SALE);
  assert.is(t?.state, ST_REVERSED);
});

test("paper out mid-receipt: the job is kept and resumes to the same bytes", () => {
  const full = session();
  const sale = READY + "\nkey enter\nkey 1\nkeys 1234\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\n";
  run(full, sale);
  const short = session({ paper_bytes: 200 });
  run(short, sale.replace("expect Tear off the\nkey enter\n", "expect PAPER OUT\nkey 1\nexpect PAPER OUT\nkey enter\nexpect Tear off the\nkey enter\n"));
  assert.is(toHex(concat(short.printed)), toHex(concat(full.printed)));
  assert.ok(len(concat(full.printed)) > 200);
});

test("PIN shorter than 4 digits, unknown menu keys and an idle timeout", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 0\nkey f1\nexpect MAIN MENU\nkey 1\nkeys 300\nkey enter\nswipe debit\nkeys 123\nkey enter\nexpect Enter PIN\nexpect ***\nkey back\nkey clear\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nkey enter\nkey 8\nexpect TXNS BATCH\nwait 61000\nexpect enter: menu");
  assert.is(s.wire.filter((w) => w.mti === "0200").length, 1);
});

test("nothing the terminal writes holds a clear PAN, track 2, PIN or PIN block", () => {
  const s = session();
  const script = require("fs").readFileSync(require("path").join(__dirname, "../../../../examples/09-settlement-report.posrt"), "utf8");
  run(s, script);
  const image = toHex(s.o.flash.image());
  const out = JSON.stringify({ frames: s.frames, receipts: s.receipts, wire: s.wire, audit: s.auditEntries() });
  const pan = "6214830000000009";
  const ascii = (t: string) => Buffer.from(t, "ascii").toString("hex").toUpperCase();
  for (const needle of [pan, ascii(pan), ascii("6214830000000009D3012"), ascii("1234")]) assert.not.ok(image.includes(needle), "flash holds " + needle);
  assert.not.ok(out.includes(pan), "--json output holds the PAN");
  for (const b of s.wireBytes) {
    const hex = toHex(b);
    const m = hex.length > 0 ? s.o.codec.unpackWire(b) : undefined;
    const block = m?.fields["52"];
    if (block !== undefined) assert.not.ok(image.includes(block) || out.includes(block), "PIN block written somewhere");
  }
});

test("refund before settlement: allowed by default, refused (void instead) once the supervisor turns it off", () => {
  const s = session();
  const sale = "\nkey enter\nkey 1\nkeys 1500\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\n";
  const refund = "key enter\nkey 3\nkeys 000000000001\nkey enter\nkeys 0101\nkey enter\n";
  run(s, READY + sale + refund + "expect max 15.00\nkey cancel\nkey 9\nkey 5\nkeys 00\nkey enter\nkeys 123456\nkey enter\nkey enter\nkey 9\nkey 3\nexpect Early refund: on\nkey 1\nexpect void instead\nkey enter\nkey cancel\n" + refund + "expect settlement are off\nkey enter\nkey 9\nkey 3\nexpect Early refund: off");
});

test("balance inquiry: card, PIN, the balance on screen", () => {
  const s = session();
  run(s, READY + "\nkey enter\nkey 4\nswipe low\nexpect balance CNY 50.00");
});

const SALE_STEPS = READY + "\nkey enter\nkey 1\nkeys 2500\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nexpect enter: menu";

/** After a power cut: the boot report, then (signed on, a second later) no transaction left without outcome. */
function checkAfterCut(s: Session, where: string): void {
  assert.match(screen(s), /POWER ON/, where);
  const pending = s.j.pendingReversals().length;
  assert.match(screen(s), new RegExp(pending + " reversal\\(s\\) pending"), where);
  run(s, SIGN_ON + "\nwait 1000");
  assert.is(s.j.pendingReversals().length, 0, where + ": reversals done");
  for (const t of s.j.txns()) assert.ok(t.state !== ST_PENDING, `${where}: trace ${t.stan} has an outcome`);
}

test("power cut at every step of a sale script: consistent screen, nothing lost", () => {
  const steps = parseScript(SALE_STEPS);
  for (let i = 0; i <= steps.length; i++) {
    const s = session();
    const r = runScript(s, steps.slice(0, i));
    assert.ok(r.ok, `prefix ${i}`);
    const printedSale = s.receipts.some((x) => x.copy === "MERCHANT COPY");
    s.powerCut();
    checkAfterCut(s, `cut after step ${i}`);
    const sale = s.j.txns().find((x) => x.kind === KIND_SALE);
    if (printedSale) assert.is(sale?.state, ST_APPROVED, `step ${i}: a printed sale stays approved`);
    if (sale !== undefined) assert.ok(sale.state === ST_APPROVED || sale.state === ST_REVERSED, `step ${i}: state ${sale.state}`);
  }
});

test("power cut at every flash write while the sale is online (torn writes)", () => {
  const prefix = parseScript(READY + "\nkey enter\nkey 1\nkeys 2500\nkey enter\nswipe debit\nkeys 1234");
  let cuts = 0;
  for (let n = 1; n < 200; n++) {
    const s = session();
    assert.ok(runScript(s, prefix).ok);
    s.armCut(n);
    runScript(s, parseScript("key enter\nexpect Tear off the"));
    if (!s.dead()) break;
    cuts++;
    s.powerCut();
    checkAfterCut(s, `torn write ${n}`);
  }
  assert.ok(cuts >= 3, `cut at ${cuts} writes`);
});

test.run();
