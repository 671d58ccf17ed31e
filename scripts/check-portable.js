#!/usr/bin/env node
// Checks that src/ and the hal/ interfaces stay inside the portable subset (see
// cli/portable/rules.ts). Needs the Node build (npm run build). Usage: node scripts/check-portable.js [--rules] [FILE...]
"use strict";
const path = require("path");
const { checkPortable, formatViolation, projectOptions } = require("../build/node/cli/portable/check");
const { RULES } = require("../build/node/cli/portable/rules");

const root = path.resolve(__dirname, "..");
const opts = projectOptions(root);
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (args.length > 0) opts.files = args.map((f) => path.resolve(f));
const found = checkPortable(opts);
for (const v of found) console.log(formatViolation(v));
if (process.argv.includes("--rules")) for (const r of RULES) console.log(`${r.id.padEnd(16)} ${r.reason}`);
console.log(`check-portable: ${opts.files.length} files, ${found.length} violations`);
process.exit(found.length === 0 ? 0 : 1);
