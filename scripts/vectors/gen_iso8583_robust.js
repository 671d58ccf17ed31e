#!/usr/bin/env node
// Fills in the expected outcomes of the iso8583.unpack.robust cases (test/vectors/iso8583-fuzz-*.json,
// whose mutated frames gen_iso8583.py writes): rejected, or accepted with these fields. The
// outcomes are recorded from the Node build (npm run build first), so es5 and lua must reach
// the same verdict with the same fields; the accepted ones are also checked here to re-pack
// to the same message. Run after gen_iso8583.py: node scripts/vectors/gen_iso8583_robust.js
"use strict";
const fs = require("fs");
const path = require("path");
const B = path.join(__dirname, "../../build/node");
const { ISO8583_SUITES } = require(path.join(B, "src/conformance/suites/iso8583"));

const robust = ISO8583_SUITES.find((s) => s.name === "iso8583.unpack.robust").run;
const tally = { accepted: 0, rejected: 0 };
for (const name of ["iso8583-fuzz-1.json", "iso8583-fuzz-2.json"]) {
  const file = path.join(__dirname, "../../test/vectors", name);
  const suites = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const s of suites) {
    for (const c of s.cases) {
      c.out = robust(c.in);
      tally[c.out.outcome]++;
      if (c.out.outcome === "accepted" && !c.out.repacks) throw new Error(c.name + ": accepted but does not re-pack to the same message");
    }
  }
  // One case a line, as gen_iso8583.py writes them: runners parse a whole file at once.
  const lines = suites.map((s) => '{"suite":' + JSON.stringify(s.suite) + ',"cases":[\n' + s.cases.map((c) => JSON.stringify(c)).join(",\n") + "]}");
  fs.writeFileSync(file, "[\n" + lines.join(",\n") + "\n]\n");
}
console.log(`robust outcomes: ${tally.accepted} accepted, ${tally.rejected} rejected`);
