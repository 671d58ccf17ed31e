#!/usr/bin/env node
// Generates test/vectors/app-damage.json: two approved sales, storage damage, power-up (the
// acquirer simulator's replies are recorded so every runtime replays the same conversation).
// Needs the Node build: node scripts/build.js node.
"use strict";
const fs = require("fs");
const path = require("path");
const ROOT = path.resolve(__dirname, "../..");
const B = (p) => require(path.join(ROOT, "build/node", p));
const { AcquirerCore } = B("cli/acquirer/core.js");
const { toHex } = B("src/bytes/index.js");
const { APP_DAMAGE_SUITE } = B("src/conformance/suites/app-damage.js");
const { terminalSession } = B("src/app/config.js");
const { parseScript } = B("src/app/script.js");
const { runScript } = B("src/app/run-script.js");
const { REC_TXN_DELTA, REC_TXN } = B("src/journal/format.js");

const SIGN_ON = "key enter\nkeys 01\nkey enter\nkeys 0000\nkey enter\nexpect enter: menu";
const READY = "expect POWER ON\n" + SIGN_ON + "\nkey enter\nkey 9\nkey 1\nexpect Signed in with the\nkey enter\nkey cancel\nexpect enter: menu";
const sale = (amount) => `\nkey enter\nkey 1\nkeys ${amount}\nkey enter\nswipe debit\nkeys 1234\nkey enter\nexpect Tear off the\nkey enter\nexpect enter: menu`;
const SCRIPT = READY + sale("2500") + sale("1000");
const ADVISOR = "\nkey enter\nkey 5\nkey 1\nkeys 2\nkey enter\nwait 60000";

function replies(seed) {
  const core = new AcquirerCore({ seed });
  const out = [];
  const s = terminalSession({ seed, acquirer: (frame, t) => { const r = core.respond(frame, t).reply; out.push(r === undefined ? "" : toHex(r)); return r; } });
  const r = runScript(s, parseScript(SCRIPT));
  if (!r.ok) throw new Error(r.error);
  return out;
}

const rec = replies(1);
const cases = [
  ["approved sale: its approved record (which also disarmed its reversal) damaged (4 bytes) - fault screen, audited, ask the acquirer, no 0400",
    { damage_types: [REC_TXN_DELTA], bytes: 4, after: "expect STORAGE FAULT\nkey cancel\nexpect STORAGE FAULT\nkey enter\nexpect POWER ON\n" + SIGN_ON + ADVISOR }],
  ["approved sale: its pending record damaged (3 bytes) - fault screen; the sale itself still approved",
    { damage_types: [REC_TXN], bytes: 3, after: "expect STORAGE FAULT\nkey enter\n" + SIGN_ON + ADVISOR }],
  ["no damage: the power-up looks as always", { damage_types: [], bytes: 0, after: "expect POWER ON\n" + SIGN_ON + ADVISOR }],
];
const out = {
  suite: "app.damage",
  cases: cases.map(([name, d]) => {
    const input = { script: SCRIPT, replies: rec, seed: 1, damage_types: d.damage_types, bytes: d.bytes, trace: 2, after: d.after };
    const o = APP_DAMAGE_SUITE.run(input);
    if (!o.ok) throw new Error(name + ": script failed\n" + o.screen.join("\n"));
    return { name, in: input, out: o };
  }),
};
fs.writeFileSync(path.join(ROOT, "test/vectors/app-damage.json"), JSON.stringify(out, null, 1) + "\n");
for (const c of out.cases) console.log(c.name + "\n  " + JSON.stringify(c.out));
