#!/usr/bin/env node
// After a change of the journal's on-flash format: rewrites only the `flash_crc` of the
// txn.trace and app.trace vectors (test/vectors/txn-*.json, app-trace.json) from the Node
// build, and refuses if anything else a case produces (bytes sent, screens, receipts, cuts)
// differs from what the vector expects.
"use strict";
const fs = require("fs");
const path = require("path");
const { SUITES } = require("../../build/node/src/conformance/registry");

const dir = path.join(__dirname, "../../test/vectors");
let changed = 0;
for (const name of fs.readdirSync(dir).filter((f) => /^(txn-.*|app-trace)\.json$/.test(f)).sort()) {
  const file = path.join(dir, name);
  const raw = fs.readFileSync(file, "utf8");
  const doc = JSON.parse(raw);
  const suite = SUITES.find((s) => s.name === doc.suite);
  if (suite === undefined) throw new Error(`${name}: no suite ${doc.suite}`);
  const run = suite.run;
  for (const c of doc.cases) {
    if (c.out === undefined || c.out.flash_crc === undefined) continue;
    const got = run(c.in);
    for (const k of Object.keys(c.out)) {
      if (k === "flash_crc") continue;
      if (JSON.stringify(got[k]) !== JSON.stringify(c.out[k])) throw new Error(`${name} / ${c.name}: ${k} differs — not only the flash format changed`);
    }
    if (got.flash_crc !== c.out.flash_crc) {
      c.out.flash_crc = got.flash_crc;
      changed++;
    }
  }
  fs.writeFileSync(file, (raw.startsWith("{\n") ? JSON.stringify(doc, null, 1) : JSON.stringify(doc)) + "\n");
}
console.log(`flash_crc updated in ${changed} case(s)`);
