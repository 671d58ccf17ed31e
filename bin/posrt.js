#!/usr/bin/env node
// The `posrt` command: runs the CLI in this process (no child), then exits once stdout and
// stderr have drained, so piped output is never cut short.
"use strict";
const path = require("path");
const fs = require("fs");
const main = path.join(__dirname, "..", "build", "node", "cli", "main.js");
if (!fs.existsSync(main)) {
  console.error("posrt: not built yet; run `npm run build` (npm ci runs it for you)");
  process.exit(1);
}

/** Exits with `code` after everything written to stdout and stderr has been handed to the OS. */
function exitAfterDrain(code) {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const s of [process.stdout, process.stderr]) {
    if (s.destroyed || !s.writable) done();
    else s.write("", done);
  }
}

// A reader that goes away (`posrt … | head`) is not an error of ours.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

// Under `npx posrt …` npm runs this through `sh -c`; killing npx's PID does not reach us, so a
// server (acquirer, emulator) would keep listening. There, when our parent goes away, stop as
// on SIGTERM (the command's own handler saves its state). Outside npm the parent is left alone
// (`nohup posrt acquirer &` keeps running).
const ORPHAN_CHECK_MS = 500;
if (process.env.npm_command === "exec") {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, ORPHAN_CHECK_MS).unref();
}

require(main).main(process.argv.slice(2)).then(exitAfterDrain, (e) => {
  // a defect, not bad input: one line, the stack with POSRT_DEBUG=1
  console.error("posrt: internal error: " + (e && e.message ? e.message : String(e)) + (process.env.POSRT_DEBUG ? "\n" + (e && e.stack) : " (POSRT_DEBUG=1 shows the stack)"));
  exitAfterDrain(1);
});
