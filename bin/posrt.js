#!/usr/bin/env node
"use strict";
const path = require("path");
const fs = require("fs");
const main = path.join(__dirname, "..", "build", "node", "cli", "main.js");
if (!fs.existsSync(main)) {
  console.error("posrt: not built yet; run `npm run build` (npm ci runs it for you)");
  process.exit(1);
}
require(main).main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error("posrt: " + (e && e.message ? e.message : String(e)));
    process.exit(1);
  },
);
