#!/usr/bin/env node
// Generates test/vectors/app-trace.json (scripts run against the acquirer simulator; its
// replies are recorded so every runtime replays the same conversation) and
// test/vectors/escpos.json. Needs the Node build: node scripts/build.js node.
"use strict";
const fs = require("fs");
const path = require("path");
const ROOT = path.resolve(__dirname, "../..");
const B = (p) => require(path.join(ROOT, "build/node", p));
const { AcquirerCore } = B("cli/acquirer/core.js");
const { toHex } = B("src/bytes/index.js");
const { APP_SUITES } = B("src/conformance/suites/app.js");
const { terminalSession } = B("src/app/config.js");
const { parseScript } = B("src/app/script.js");
const { runScript } = B("src/app/run-script.js");

const TRACES = ["02-swiped-sale", "03-chip-sale", "06-timeout-reversal", "07-void-via-advisor", "10-power-cut"];
const suite = (n) => APP_SUITES.find((s) => s.name === n);

function record(name, seed) {
  const script = fs.readFileSync(path.join(ROOT, "examples", name + ".posrt"), "utf8");
  const core = new AcquirerCore({ seed });
  const replies = [];
  const s = terminalSession({ seed, acquirer: (frame, t) => { const r = core.respond(frame, t).reply; replies.push(r === undefined ? "" : toHex(r)); return r; } });
  const r = runScript(s, parseScript(script));
  if (!r.ok) throw new Error(name + ": " + r.error);
  const input = { script, replies, seed };
  return { name: "examples/" + name + ".posrt", in: input, out: suite("app.trace").run(input) };
}

/**
 * A full operator table (25 records: 02..26 with password 1111, made here, not at run time):
 * 01's new password is refused and the menu says so; five wrong passwords lock 30 (counted in
 * RAM); the supervisor unlocks it; 05 sets the default again, which frees room for 01's.
 */
function operatorsFull() {
  const { passwordHash, MAX_OPERATOR_RECORDS } = B("src/app/operators.js");
  let hex = "";
  for (let i = 2; i < 2 + MAX_OPERATOR_RECORDS; i++) hex += (i < 16 ? "0" : "") + i.toString(16) + "00" + toHex(passwordHash(i, "1111"));
  const on = (op, pw) => `keys ${op}\nkey enter\nkeys ${pw}\nkey enter`;
  const change = (pw) => `key enter\nkey 9\nkey 2\nkey 1\nkeys ${pw}\nkey enter\nkeys ${pw}\nkey enter`;
  const off = "key enter\nkey 9\nkey 5";
  const lines = ["expect POWER ON", "key enter", on("01", "0000"), "expect enter: menu", change("4711"), "expect Operator table full", off];
  for (let i = 1; i <= 5; i++) lines.push(on("30", "9999"), "expect Wrong password", "key enter");
  lines.push("keys 30\nkey enter", "expect Operator 30 is locked", "key enter");
  lines.push(on("00", "123456"), "expect enter: menu", "key enter\nkey 9\nkey 2\nkey 2\nkeys 30\nkey enter", "expect Operator 30 unlocked", off);
  lines.push(on("30", "0000"), "expect Op 30", off, on("05", "1111"), "expect Op 05", change("0000"), "expect 05 changed.", off);
  lines.push(on("01", "0000"), "expect Op 01", change("4711"), "expect 01 changed.", "key enter");
  lines.push("power-cut", "expect POWER ON", "key enter", on("01", "4711"), "expect Op 01");
  const script = "# A full operator table: refused, locked in RAM, freed by the default password.\n" + lines.join("\n") + "\n";
  const input = { script, replies: [], seed: 1, operators: hex };
  const out = suite("app.trace").run(input);
  if (!out.ok) throw new Error("operator table full: line " + out.line + "\n" + out.screen.join("\n"));
  return { name: "operator table full: refused, lockout in RAM, freed by the default password", in: input, out };
}

const traces = { suite: "app.trace", cases: TRACES.map((n) => record(n, 1)).concat([operatorsFull()]) };
fs.writeFileSync(path.join(ROOT, "test/vectors/app-trace.json"), JSON.stringify(traces) + "\n");

const enc = (lines, columns, feed, cut) => ({ lines, columns, feed, cut });
const cases = [
  ["one plain line, cut", enc([{ t: "HELLO" }], 32, 3, true)],
  ["bold, double height, centred", enc([{ t: "SHOP", b: true, d: true, c: true }, { t: "AMOUNT 12.34", b: true }], 32, 0, true)],
  ["cut to the columns", enc([{ t: "0123456789ABCDEFGHIJ" }], 8, 2, false)],
  ["non-ASCII prints as one ? each (UTF-8 in Lua too)", enc([{ t: "caf\u00e9 \u2014 ok" }], 32, 0, false)],
  ["empty job", enc([], 32, 0, false)],
];
const out = { suite: "escpos.encode", cases: cases.map(([name, input]) => ({ name, in: input, out: suite("escpos.encode").run(input) })) };
out.cases.push({ name: "columns below 8 are refused", in: enc([{ t: "x" }], 4, 0, false), error: true });
out.cases.push({ name: "feed above 255 is refused", in: enc([{ t: "x" }], 32, 300, true), error: true });
fs.writeFileSync(path.join(ROOT, "test/vectors/escpos.json"), JSON.stringify(out, null, 1) + "\n");
console.log(`app-trace: ${traces.cases.length} cases, escpos: ${out.cases.length} cases`);
