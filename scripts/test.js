#!/usr/bin/env node
// npm test: build every target, run the uvu unit tests, then the conformance vectors on node, es5 and lua.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const ROOT = path.resolve(__dirname, "..");

function step(label, args) {
  console.log(`\n== ${label}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  console.log(`== ${label}: ${r.status === 0 ? "ok" : "FAILED"} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) process.exit(r.status || 1);
}

step("build", ["scripts/build.js"]);
step("unit tests (uvu)", ["node_modules/uvu/bin.js", "build/node/test", "\\.test\\.js$"]);
step("conformance (node, es5, lua)", ["bin/posrt.js", "conformance", "--runtime", "all"]);
step("simulation sweep (60 seeds × 150 ops, all faults)", ["bin/posrt.js", "sim", "--seeds", "1..60", "--ops", "150", "--faults", "all"]);
