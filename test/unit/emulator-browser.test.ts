// The emulator page in real Chromium (Debian's /usr/bin/chromium through playwright-core; one
// browser for the whole file, a fresh server and flash image per scenario): the device bundle
// boots in the page, and the scenarios of the emulator issue. Screenshots of the states land in
// build/test-output/emulator/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { Bench, closeBrowser, panInTraffic } from "../support/emulator-browser";
import { ROOT } from "../../cli/paths";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalSession } from "../../src/app/config";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { TEST_CARDS } from "../../src/app/cards";

const PAN = TEST_CARDS[0].pan;
const MASKED = PAN.substring(0, 6) + "******" + PAN.substring(12);
/** Page load (navigation start) to a booted device, best of four loads (the machine is shared). */
const READY_LIMIT_MS = 1000;
const EXAMPLES = path.join(ROOT, "examples");

/** Sign-on of operator 01 and the host sign-in (admin 9, 1), as the examples start. */
const SIGN_ON = ["expect POWER ON", "key enter", "keys 01", "key enter", "keys 0000", "key enter", "key enter", "key 9", "key 1",
  "expect Signed in with the", "key enter", "key cancel", "expect enter: menu"].join("\n");

/** Keys typed on the PC keyboard, each after the display shows `after` (when given). */
async function type(b: Bench, keys: string[], after?: string): Promise<void> {
  if (after !== undefined) await b.waitDisplay(after);
  for (const k of keys) await b.page.keyboard.press(k);
}

/** Most real time one script may take in the page. */
const PLAY_TIMEOUT_MS = 30000;

async function play(b: Bench, script: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined = undefined;
  const late = new Promise<{ ok: boolean; error?: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `script still playing after ${PLAY_TIMEOUT_MS} ms` }), PLAY_TIMEOUT_MS);
  });
  const r = await Promise.race([b.run<{ ok: boolean; error?: string }>(`posrtPlayer.play(${JSON.stringify(script)})`), late]);
  clearTimeout(timer);
  if (!r.ok) assert.unreachable(`${r.error}\nscript status: ${await b.page.locator("#script-status").textContent()}\ndisplay:\n${await b.display()}`);
}

async function noClearPan(b: Bench): Promise<void> {
  for (const f of b.page.frames()) assert.not.ok((await f.content()).includes(PAN), "clear PAN in the page (" + f.url() + ")");
  assert.equal(panInTraffic(b.traffic, PAN), [], "clear PAN in the WebSocket traffic");
}

test("the page boots the device bundle and is ready in under a second", async () => {
  const b = await Bench.open("ready");
  try {
    const times = [await b.load(), await b.load(true), await b.load(true), await b.load(true)];
    console.log(`  emulator page load to ready: ${times.join(", ")} ms (best ${Math.min(...times)})`);
    assert.ok(Math.min(...times) < READY_LIMIT_MS, `load to ready ${times.join(", ")} ms`);
    await b.waitDisplay("POWER ON");
    assert.equal(b.errors, []);
  } finally {
    await b.close();
  }
});

test("a sale typed on the PC keyboard with a swiped test card is APPROVED; the receipt shows the masked PAN; no clear PAN in the page or its WebSocket traffic", async () => {
  const b = await Bench.open("keyboard-sale");
  try {
    await b.load();
    await type(b, ["Enter", "0", "1", "Enter", "0", "0", "0", "0", "Enter"], "POWER ON");
    await type(b, ["Enter", "9", "1"], "enter: menu");
    await type(b, ["Enter", "Escape"], "Signed in with the");
    await type(b, ["Enter", "1"], "enter: menu");
    await type(b, ["1", "2", "3", "4", "Enter"], "Amount");
    await b.waitDisplay("Swipe, insert or tap");
    await b.page.getByRole("button", { name: "swipe debit" }).click();
    await type(b, ["1", "2", "3", "4", "Enter"], "Enter PIN");
    await b.waitDisplay("Tear off the");
    const receipts = b.page.getByRole("region", { name: "receipts" });
    await receipts.getByText(MASKED).first().waitFor();
    const paper = await receipts.innerText();
    assert.match(paper, /APPROVED/);
    assert.match(paper, /AMOUNT CNY 12\.34/);
    await b.shot("keyboard-sale");
    await noClearPan(b);
    assert.ok(b.traffic.length > 10);
  } finally {
    await b.close();
  }
});

test("a void started from \"Can it be cancelled?\"; the acquirer's books show the sale voided", async () => {
  const b = await Bench.open("void");
  try {
    await b.load();
    await play(b, SIGN_ON + "\nkey enter\nkey 1\nkeys 4500\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nexpect enter: menu");
    await type(b, ["Enter", "5"], "enter: menu");
    await type(b, ["3"], "CAN IT BE CANCELLED?");
    await b.waitDisplay("Can: void");
    await b.shot("can-it-be-cancelled");
    await type(b, ["Enter"], "enter: void it");
    await type(b, ["1", "2", "3", "4", "5", "6", "Enter"], "Supervisor password");
    await type(b, ["1"], "REASON");
    await b.waitDisplay("Tear off the");
    await b.page.getByRole("tab", { name: "Acquirer's books" }).click();
    const books = b.page.getByRole("region", { name: "acquirer's books" });
    await books.getByText("voided").waitFor();
    await b.page.getByRole("tab", { name: "Audit trail" }).click();
    await b.page.getByRole("region", { name: "audit trail" }).getByText("void", { exact: true }).first().waitFor();
    await b.shot("void");
    await noClearPan(b);
  } finally {
    await b.close();
  }
});

test("a power cut after the request left: after the reload the display shows the pending reversal and the acquirer's books show the sale reversed", async () => {
  const b = await Bench.open("power-cut");
  try {
    await b.load();
    await play(b, SIGN_ON);
    await b.page.getByLabel("power cut point").selectOption("after-request");
    await b.page.getByRole("button", { name: "arm power cut" }).click();
    await type(b, ["Enter", "1"], "enter: menu");
    await type(b, ["4", "2", "0", "0", "Enter"], "Amount");
    await b.page.getByRole("button", { name: "swipe debit" }).click();
    await type(b, ["1", "2", "3", "4", "Enter"], "Enter PIN");
    await b.page.waitForFunction("document.body.dataset.boots === '2'", undefined, { timeout: 10000 });
    await b.load(true);
    await b.waitDisplay("1 reversal(s) pending");
    await b.shot("power-cut-after-reload");
    await b.page.getByRole("tab", { name: "Acquirer's books" }).click();
    // the working keys survived the cut (kept in the board's flash under its device key): the
    // reversal goes out at power-on, before anyone signs on
    await b.until("/42\\.00[^\\n]*reversed/.test(document.getElementById('view-books').innerText)");
    await b.shot("power-cut-reversed");
  } finally {
    await b.close();
  }
});

test("faults: a dropped reply is reversed; network down fails the sale without a message leaving; a cut before the request sends nothing; a cut during a journal write recovers", async () => {
  const b = await Bench.open("faults");
  try {
    await b.load();
    await b.run("posrtBoard.frameWin.posrt.signIn()");
    await b.until("/signed in/.test(posrtBoard.frameWin.posrt.status())");
    const books = b.page.getByRole("region", { name: "acquirer's books" });
    const wire = () => b.run<number>("document.querySelectorAll('#view-wire details').length");
    const sales = () => b.run<number>("[...document.querySelectorAll('#view-wire summary')].filter((s) => / → 0200 /.test(s.textContent)).length");
    const notOk = "(document.getElementById('view-console').textContent.match(/sale: NOT OK/g) || []).length";
    await b.page.getByRole("button", { name: "acquirer fault drop_reply" }).click();
    await b.run("posrtBoard.frameWin.posrt.sale(2000)");
    await b.page.getByRole("tab", { name: "Acquirer's books" }).click();
    // the reply never comes: the device times out (board clock moved on) and reverses
    await b.until("/reversed/.test(document.getElementById('view-books').innerText)");
    await b.page.getByRole("button", { name: "network down" }).click();
    await b.page.waitForFunction("document.getElementById('net-state').textContent === 'network DOWN'");
    const before = await wire();
    const failed = await b.run<number>(notOk);
    await b.run("posrtBoard.frameWin.posrt.sale(1000)");
    await b.until(`${notOk} > ${failed}`);
    assert.is(await wire(), before, "nothing crossed a network that is down");
    await b.page.getByRole("button", { name: "network up" }).click();
    await b.page.waitForFunction("document.getElementById('net-state').textContent === 'network up'");
    // the device retries the reversal of the sale it could not send (98), then takes new sales
    await b.until("/ 0 reversal\\(s\\) pending/.test(posrtBoard.frameWin.posrt.status())", 200);
    await b.page.getByLabel("power cut point").selectOption("before-request");
    await b.page.getByRole("button", { name: "arm power cut" }).click();
    const sent = await sales();
    await b.run("posrtBoard.frameWin.posrt.sale(3000)");
    await b.until("document.body.dataset.boots === '2'");
    assert.is(await sales(), sent, "the sale request never left");
    assert.not.ok((await books.innerText()).includes("30.00"));
    await b.run("posrtBoard.frameWin.posrt.signIn()");
    await b.until("/signed in/.test(posrtBoard.frameWin.posrt.status())");
    await b.page.getByLabel("power cut point").selectOption("journal-write");
    await b.page.getByRole("button", { name: "arm power cut" }).click();
    await b.run("posrtBoard.cardSeen = true; posrtBoard.frameWin.posrt.sale(4000)");
    await b.until("document.body.dataset.boots === '3'");
    const status = await b.run<string>("posrtBoard.frameWin.posrt.status()");
    assert.match(status, /batch \d{6}, \d+ txn/, "boots on the torn journal: " + status);
    await b.page.getByRole("tab", { name: "Journal" }).click();
    const journal = await b.page.getByRole("region", { name: "journal" }).innerText();
    assert.not.match(journal, /CORRUPT|unreadable/, journal);
    await b.shot("faults");
  } finally {
    await b.close();
  }
});

/** A display frame as the board's 4×20 display shows it, the terminal identity and clock made neutral. */
function frameKey(rows: string[]): string {
  return rows.slice(0, 4).map((r) => r.substring(0, 20).replace(/\s+$/, "")).join("|")
    .replace(/POSRT CORNER SHOP/g, "MERCHANT").replace(/POSRT DEV BOARD/g, "MERCHANT").replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, "DATE TIME");
}

function dedup(keys: string[]): string[] {
  return keys.filter((k, i) => i === 0 || k !== keys[i - 1]);
}

/**
 * Where the device build and posrt terminal differ today (found by this test, reported; not
 * hidden): the test checks that such a script still differs, so a fix shows up here.
 * (10, the power cut, matches since the board keeps its working keys in flash, encrypted.)
 * - 08: after settlement the board does not find the settled sale for the refund ("Original
 *   not on this terminal"), posrt terminal does (caps at 56.30); the same script gave the same
 *   frames before the journal's app blobs were merged. Cause not found yet.
 */
const KNOWN_DIVERGENCES: { [file: string]: string } = {};

test("the examples/ scripts played into the page give the same display frames as posrt terminal", async () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".posrt")).sort();
  assert.ok(files.length >= 9, "the examples of a day at a shop");
  const b = await Bench.open("examples");
  let checked = 0;
  try {
    for (const f of files) {
      const text = fs.readFileSync(path.join(EXAMPLES, f), "utf8");
      const s = terminalSession({ acquirer: embeddedAcquirer(1), seed: 1 });
      const cli = runScript(s, parseScript(text));
      assert.ok(cli.ok, `${f} on the command line: ${cli.error}`);
      await b.fresh();
      const r = await b.run<{ ok: boolean; error?: string }>(`posrtPlayer.play(${JSON.stringify(text)})`);
      const page = dedup((await b.run<string[][]>("posrtFrames.map((f) => f.rows)")).map(frameKey));
      const want = dedup(s.frames.map((x) => frameKey(x.rows)));
      const at = page.findIndex((k, i) => k !== want[i]);
      const same = r.ok && at < 0 && page.length === want.length;
      if (KNOWN_DIVERGENCES[f] !== undefined) {
        assert.not.ok(same, `${f} now gives the same frames: remove it from KNOWN_DIVERGENCES`);
        console.log(`  ${f}: differs as known (${KNOWN_DIVERGENCES[f]}) from frame ${at}`);
        continue;
      }
      assert.ok(same, `${f}: ${r.error ?? ""} ${page.length} frames in the page, ${want.length} on the command line; first difference at ${at}:\n page ${page[at]}\n cli  ${want[at]}`);
      checked++;
      if (f.startsWith("09")) await b.shot("example-settlement");
    }
    console.log(`  examples with the same frames in the page as in posrt terminal: ${checked} of ${files.length}`);
  } finally {
    await b.close();
  }
});

test.after(async () => {
  await closeBrowser();
});

test.run();
