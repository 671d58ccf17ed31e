#!/usr/bin/env node
// Writes test/vectors/journal.json: journal.trace cases whose expected image CRC and record
// count come from the Node build (npm run build first); es5 and lua must then match them.
"use strict";
const fs = require("fs");
const path = require("path");
const { JOURNAL_SUITES } = require("../../build/node/src/conformance/suites/journal");

const run = JOURNAL_SUITES[0].run;
const rep = (ops, n) => Array.from({ length: n }, () => ops).flat();
const CASES = [
  ["erased region, no operations", 1, []],
  ["one sale approved, reversal armed then disarmed", 1, ["stan", "begin", "arm", "approve", "disarm"]],
  ["declined sale, approved sale refunded and voided", 2, ["stan", "begin", "decline", "stan", "begin", "approve", "refund", "void"]],
  ["no reply: attempts, completed reversal, reversed", 3, ["stan", "begin", "arm", "attempt", "attempt", "complete", "reverse"]],
  ["retries run out: failed reversal kept until settlement", 4, ["stan", "begin", "arm", "attempt", "attempt", "attempt", "fail", "reopen", "settle"]],
  ["STAN block persisted across restarts", 5, ["stan", "reopen", "stan", "reopen", "stan", "begin", "approve"]],
  ["60 seeded operations", 6, ["random 60"]],
  ["300 seeded operations (reclaims and settlements)", 7, ["random 300"]],
  ["power cut during a sale, recovery, more work", 8, ["stan", "begin", "arm", "cut 1", "approve", "random 20"]],
  ["power cut at the first write", 9, ["cut 0", "stan", "begin", "random 10"]],
  ["many cuts in a long run", 10, ["random 30", "cut 2", "random 20", "cut 5", "random 40", "cut 1", "random 40", "cut 3", "random 60", "reopen"]],
  ["cut during a reclaim", 11, ["random 120", "cut 2", "reclaim", "random 30"]],
  ["journal full: unsettled sales refused, nothing lost", 12, [...rep(["stan", "begin", "approve"], 30), "reopen"]],
  ["restart after restart without writes", 13, ["random 15", "reopen", "reopen", "reopen", "random 5"]],
];
const cases = CASES.map(([name, seed, ops]) => ({ name, in: { seed, ops }, out: run({ seed, ops }) }));
cases.push({ name: "unknown operation is a clear error", in: { seed: 1, ops: ["stan", "explode"] }, error: true });
cases.push({ name: "bad cut count is a clear error", in: { seed: 1, ops: ["cut x"] }, error: true });
cases.push({ name: "missing ops is a clear error", in: { seed: 1 }, error: true });
const out = path.join(__dirname, "../../test/vectors/journal.json");
fs.writeFileSync(out, JSON.stringify({ suite: "journal.trace", cases }, null, 1) + "\n");
console.log(`wrote ${cases.length} cases to ${out}`);
