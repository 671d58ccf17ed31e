#!/usr/bin/env node
// Writes test/vectors/txn.json: txn.trace cases. Traces are recorded from the simulation
// (real core, NOR-flash journal with torn writes, in-process acquirer, network faults) and
// from a scripted sale whose reply is then fuzzed. Expected outputs come from the Node build
// (npm run build first) after checking that the replay reproduces every byte the sim sent;
// es5 and lua must then match them.
"use strict";
const fs = require("fs");
const path = require("path");
const B = path.join(__dirname, "../../build/node");
const { TXN_SUITES } = require(path.join(B, "src/conformance/suites/txn"));
const { runSim, SIM_CONFIG } = require(path.join(B, "cli/sim/run"));
const { makeSetup } = require(path.join(B, "cli/sim/setup"));
const { World } = require(path.join(B, "cli/sim/world"));

const run = TXN_SUITES[0].run;
let cases = [];
const files = [];

/** Starts a new vector file (runners parse a whole file at once: small files keep peak heap low). */
function flush(name) {
  files.push([name, cases]);
  cases = [];
}

function add(name, seed, trace, expectSent, sectors) {
  const input = sectors === undefined ? { seed, trace } : { seed, trace, sectors };
  const out = run(input);
  if (out.crashes !== 0) throw new Error(name + ": the core caught " + out.crashes + " defect(s)");
  if (expectSent !== undefined && JSON.stringify(out.sent) !== JSON.stringify(expectSent)) throw new Error(name + ": replay differs from the simulation");
  cases.push({ name, in: input, out });
}

// Simulation traces: seeds chosen for a mix of cuts (torn writes included) and network faults
// (no storage faults: a trace does not carry the flash damage, so a replay could not repeat it).
for (const [seed, ops] of [[3, 30], [21, 30], [40, 40]]) {
  const o = runSim({ seed, ops, faults: "net-power", trace: true });
  add(`sim seed ${seed}, ${ops} ops, net and power faults (${o.report.power_cuts} cuts, ${o.report.net_faults} net faults)`, seed, o.trace.map((l) => JSON.parse(l)), o.sent);
  flush(`txn-sim-${seed}.json`);
}

// A signed-in terminal, one sale sent; the reply to it is then replaced by fuzzed bytes.
function saleTrace(seed) {
  const s = makeSetup(seed, SIM_CONFIG);
  const w = new World({ seed, faults: "none", config: SIM_CONFIG, codec: s.codec, security: s.terminalSecurity, acquirer: s.acquirer, store: s.store, trace: true });
  const blank = { amount_minor: 0, origStan: 0, password: "", origRrn: "", origDate: "" };
  w.step({ ...blank, op: 1 });
  const card = { pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", pinBlock: "0A1B2C3D4E5F6071", chip: false, icc: "" };
  w.step({ ...blank, op: 2, amount_minor: 4321, card });
  return w.traceLines.map((l) => JSON.parse(l));
}

let x = 0x2545f491;
const rnd = (n) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
const base = saleTrace(77);
const replyAt = base.map((it) => it.k === 2).lastIndexOf(true);
const reply = base[replyAt].data;
const t = base[replyAt].t;
const timers = [2, 3, 4, 5, 6].map((id, i) => ({ k: 3, t: t + 30000 * (i + 1), id }));
const mutations = [
  ["reply truncated to its first half", reply.substring(0, reply.length / 2 - (reply.length / 2) % 2)],
  ["length prefix larger than the frame", "0FFF" + reply.substring(4)],
  ["length prefix zero", "0000" + reply.substring(4)],
  ["garbage", "DEADBEEF00"],
  ["empty read", ""],
  ["reply twice in one read", reply + reply],
];
for (let i = 0; i < 14; i++) {
  const bytes = reply.match(/../g);
  const flips = 1 + rnd(4);
  for (let k = 0; k < flips; k++) bytes[4 + rnd(bytes.length - 4)] = rnd(256).toString(16).toUpperCase().padStart(2, "0");
  mutations.push([`${flips} random byte(s) changed (#${i + 1})`, bytes.join("")]);
}
/** The fuzz traces are short: a 16 KB flash holds them (less garbage for Lua to collect). */
const FUZZ_SECTORS = 4;
add("scripted sale, reply intact", 77, base, undefined, FUZZ_SECTORS);
/** Fuzz cases per file: each case opens a 64 KB emulated flash, and Lua collects lazily. */
const FUZZ_PER_FILE = 5;
mutations.forEach(([what, hex], i) => {
  const trace = base.slice(0, replyAt).concat([{ k: 2, t, data: hex }], timers);
  add("fuzzed reply: " + what, 77, trace, undefined, FUZZ_SECTORS);
  if ((i + 1) % FUZZ_PER_FILE === 0) flush(`txn-fuzz-${(i + 1) / FUZZ_PER_FILE}.json`);
});
cases.push({ name: "input without a trace is a clear error", in: { seed: 1 }, error: true });
cases.push({ name: "a flash smaller than the journal needs is a clear error", in: { seed: 1, trace: [], sectors: 2 }, error: true });
flush(`txn-fuzz-${Math.ceil(mutations.length / FUZZ_PER_FILE) + 1}.json`);

for (const [name, list] of files) {
  const file = path.join(__dirname, "../../test/vectors", name);
  fs.writeFileSync(file, JSON.stringify({ suite: "txn.trace", cases: list }) + "\n");
  console.log(`wrote ${list.length} case(s) to ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`);
}
