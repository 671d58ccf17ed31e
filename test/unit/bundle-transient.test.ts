// The device bundle's transient modules (scripts/transient-modules.js, scripts/bundle-cjs.js):
// which modules stay resident, and that a bundle with transient modules behaves like one
// without: state kept where a module keeps state, a stateless module run again after the task
// that used it, `new alias.C()` still a construction of C.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";

const ROOT = path.resolve(__dirname, "../../../..");
/* eslint-disable @typescript-eslint/no-var-requires */
const { stateOf, loadWorkOf, requireOnUse } = require(path.join(ROOT, "scripts", "transient-modules.js")) as {
  stateOf: (src: string, file: string) => string;
  loadWorkOf: (src: string, file: string, local: string) => string;
  requireOnUse: (src: string, transient: boolean[], local: string) => string;
};
const { bundle } = require(path.join(ROOT, "scripts", "bundle-cjs.js")) as {
  bundle: (o: { entry: string; root: string; exposeAs?: string; transient?: boolean; report?: (r: { module: string; transient: boolean; why: string }[]) => void }) => string;
};
/* eslint-enable @typescript-eslint/no-var-requires */

test("stateOf: a write from a function to a top-level binding (assign, ++, element, mutating call, exports) is state", () => {
  assert.match(stateOf("var n = 0;\nfunction f() { n = n + 1; }", "a.js"), /writes n/);
  assert.match(stateOf("var n = 0;\nfunction f() { n++; }", "a.js"), /writes n/);
  assert.match(stateOf("var t = [];\nfunction f(x) { t[0] = x; }", "a.js"), /writes t/);
  assert.match(stateOf("var t = [];\nfunction f(x) { t.push(x); }", "a.js"), /writes t/);
  assert.match(stateOf("function f(x) { exports.last = x; }", "a.js"), /writes exports/);
});

test("stateOf: writes at load time, to locals, parameters or a class's own prototype are not state", () => {
  assert.is(stateOf("var t = [];\nt.push(1);\nexports.T = t;", "a.js"), "");
  assert.is(stateOf("var n = 0;\nfunction f(n) { n = 2; return n; }", "a.js"), "");
  assert.is(stateOf("var n = 0;\nfunction f() { var n = 1; n++; return n; }", "a.js"), "");
  assert.is(stateOf("var C = (function () { function C() { this.x = 0; } C.prototype.f = function () { this.x++; }; return C; }());\nexports.C = C;", "a.js"), "");
});

test("loadWorkOf: a loop or a call of a function at load is work; defining functions and classes is not", () => {
  assert.match(loadWorkOf("var t = [];\nfor (var i = 0; i < 256; i++) t.push(i);", "a.js", "__req"), /loops at load/);
  assert.match(loadWorkOf("function mk() { return [1]; }\nvar T = mk();", "a.js", "__req"), /calls mk at load/);
  assert.match(loadWorkOf("var b_1 = __req(3);\nvar K = (0, b_1.fromHex)(\"00\");", "a.js", "__req"), /calls b_1\.fromHex at load/);
  assert.match(loadWorkOf("var C = (function () { var t = []; for (var i = 0; i < 9; i++) t.push(i); function C() {} return C; }());", "a.js", "__req"), /loops at load/);
  assert.is(loadWorkOf("var b_1 = __req(3);\nfunction f(x) { for (var i = 0; i < x; i++) (0, b_1.g)(i); }\nvar C = (function () { function C() {} C.prototype.m = function () { return f(2); }; return C; }());\nexports.C = C;", "a.js", "__req"), "");
});

test("requireOnUse: aliases of transient modules become uses at the call; `new a.C(x)` stays a construction", () => {
  const src = 'var a_1 = __req(1);\nvar b_1 = __req(2);\nfunction f() { return (0, a_1.g)(b_1.K) + new a_1.C(3).v; }';
  const out = requireOnUse(src, [false, true, false], "__req");
  assert.not.match(out, /var a_1/);
  assert.match(out, /var b_1 = __req\(2\);/);
  assert.match(out, /\(0, __req\(1\)\.g\)\(b_1\.K\)/);
  assert.match(out, /new \(__req\(1\)\.C\)\(3\)\.v/);
});

/** Writes the CommonJS files `files` (name -> text) into a new folder; returns it. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-transient-"));
  for (const name of Object.keys(files)) fs.writeFileSync(path.join(dir, name), files[name]);
  return dir;
}

test("bundle with transient modules: state kept, a stateless module run again after its task, results the same", async () => {
  const dir = tree({
    "main.js": '"use strict";\nvar counter_1 = require("./counter");\nvar pure_1 = require("./pure");\nexports.tick = function () { return (0, counter_1.next)(); };\nexports.area = function (w) { return new pure_1.Box(w).area() + pure_1.K; };\nexports.runs = function () { return (0, counter_1.pureRuns)(); };\n',
    "counter.js": '"use strict";\nvar n = 0;\nfunction next() { n++; return n; }\nexports.next = next;\nfunction pureRuns() { return globalThis.pureRuns; }\nexports.pureRuns = pureRuns;\n',
    "pure.js": '"use strict";\nglobalThis.pureRuns = (globalThis.pureRuns || 0) + 1;\nvar Box = (function () { function Box(w) { this.w = w; } Box.prototype.area = function () { return this.w * this.w; }; return Box; }());\nexports.Box = Box;\nexports.K = 1;\n',
  });
  try {
    let report: { module: string; transient: boolean; why: string }[] = [];
    const text = bundle({ entry: path.join(dir, "main.js"), root: dir, exposeAs: "api", transient: true, report: (r) => (report = r) });
    const flags = Object.fromEntries(report.map((r) => [r.module, r.transient]));
    assert.equal(flags, { "main.js": false, "counter.js": false, "pure.js": true });
    const g: Record<string, unknown> = { setTimeout };
    g.globalThis = g;
    vm.runInNewContext(text, g);
    const api = g.api as { tick: () => number; area: (w: number) => number; runs: () => number };
    assert.is(api.runs(), undefined, "pure.js is not run at boot: nothing used it");
    assert.is(api.area(3), 10);
    assert.is(api.area(4), 17);
    assert.is(api.runs(), 1, "run once within one task");
    await new Promise((r) => setTimeout(r, 5));
    assert.is(api.area(2), 5);
    assert.is(api.runs(), 2, "run again after the task that used it ended");
    assert.is(api.tick(), 1);
    await new Promise((r) => setTimeout(r, 5));
    assert.is(api.tick(), 2, "the resident module keeps its count across tasks");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
