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

const traces = { suite: "app.trace", cases: TRACES.map((n) => record(n, 1)) };
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
