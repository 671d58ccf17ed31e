#!/usr/bin/env node
// Runs one script file in QuickJS (quickjs-emscripten) with duk's command line and its `print`:
// the stand-in for Debian's `duk` on a machine without it (cli/engines.ts). Prints what the
// script prints; an uncaught error goes to stderr and the exit code is 1, as with duk.
"use strict";
const fs = require("fs");

async function main(file) {
  if (file === undefined) throw new Error("usage: es5-quickjs.js FILE");
  const code = fs.readFileSync(file, "utf8");
  const { getQuickJS } = require("quickjs-emscripten");
  const qjs = await getQuickJS();
  const rt = qjs.newRuntime();
  const ctx = rt.newContext();
  const out = [];
  const print = ctx.newFunction("print", (...args) => {
    out.push(args.map((h) => String(ctx.dump(h))).join(" ") + "\n");
  });
  ctx.setProp(ctx.global, "print", print);
  print.dispose();
  const res = ctx.evalCode(code, file);
  let rc = 0;
  if (res.error) {
    const e = ctx.dump(res.error);
    res.error.dispose();
    out.push("");
    fs.writeSync(1, out.join(""));
    fs.writeSync(2, (e && e.message ? `${e.name}: ${e.message}\n${e.stack || ""}` : JSON.stringify(e)) + "\n");
    rc = 1;
  } else {
    res.value.dispose();
    fs.writeSync(1, out.join(""));
  }
  ctx.dispose();
  rt.dispose();
  return rc;
}

main(process.argv[2]).then(
  (rc) => process.exit(rc),
  (e) => {
    fs.writeSync(2, "es5-quickjs: " + (e && e.message ? e.message : String(e)) + "\n");
    process.exit(2);
  },
);
