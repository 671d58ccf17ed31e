// The terminal app on the reference board with the part models attached
// (firmware/boards/bench-terminal.ts): a scripted sale where every key is scanned from the
// keypad matrix model, the card is tapped on the PN532 model and read with APDUs through the
// PN532 driver, and the receipts come out of the ESC/POS printer model through the printer
// driver and the UART. The acquirer is the in-process simulator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BenchTerminal } from "../../firmware/boards/bench-terminal";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { parseScript } from "../../src/app/script";
import { READY } from "../support/app-scripts";

const TAP_SALE = READY + `
key enter
key 1
expect Amount
keys 1234
expect 12.34
key enter
expect Swipe, insert or tap
tap chip
expect Tear off the
key enter
expect enter: menu
`;

test("a scripted sale on the reference board: keys from the matrix, card tapped on the PN532, receipts from the printer model", () => {
  const bench = new BenchTerminal({ acquirer: embeddedAcquirer(1), seed: 1 });
  const steps = parseScript(TAP_SALE);
  const r = bench.run(steps);
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}\n${bench.log.slice(-10).join("\n")}`);
  bench.advance(2000);
  const keys = steps.filter((s) => s.k === "key").map((s) => "key " + s.arg);
  assert.equal(bench.log.filter((l) => l.startsWith("key ")), keys, "every key came from the matrix scan, once");
  assert.ok(bench.log.includes("tap read chip"), bench.log.join("; "));
  const receipts = bench.board.printer.receipts();
  assert.ok(receipts.length >= 2 && receipts.every((x) => x.cut), `receipts: ${receipts.length}`);
  const paper = bench.board.printer.text().join("\n");
  assert.ok(paper.includes("12.34"), paper);
  assert.not.ok(paper.includes("4111111111111111"), "no clear PAN on paper");
  assert.ok(paper.includes("1111"), "masked PAN's last digits on paper");
  assert.equal(bench.board.printer.errors(), []);
  assert.equal(bench.board.nfc.apdus, 3, "SELECT PPSE, SELECT AID, READ RECORD");
  const screen = bench.session.screen();
  assert.equal(bench.board.lcd.rows(), screen.slice(0, 4).map((x) => x.substring(0, 20).padEnd(20)));
  assert.equal(bench.board.lcd.errors(), []);
});

test("the same board with a swipe: the head model's bits decoded by the driver reach the app", () => {
  const bench = new BenchTerminal({ acquirer: embeddedAcquirer(2), seed: 2 });
  const r = bench.run(parseScript(READY + `
key enter
key 1
keys 500
key enter
expect Swipe, insert or tap
swipe debit
expect Enter PIN
keys 1234
key enter
expect Tear off the
`));
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}\n${bench.log.slice(-10).join("\n")}`);
  assert.ok(bench.log.includes("swipe read debit"), bench.log.join("; "));
});

test.run();
