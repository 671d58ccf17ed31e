import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { ES5_GLOBALS, ESPRUINO_GLOBALS, checkEs5Bundle, freeNames, parseEs5 } from "../../cli/portable/es5";
import { ES5, spawnEngine } from "../../cli/engines";
import { DIST, ES5_CONFORMANCE_BUNDLE, ROOT, VECTORS_DIR } from "../../cli/paths";
import { vectorFiles } from "../../cli/commands/conformance";
import { devConfigFiles } from "../../cli/device/dev-config";

const DEVICE_BUNDLE = path.join(DIST, "espruino", "posrt.js");

test("the Espruino file (minified by the espruino CLI) is ES5 with allowed globals only", () => {
  // and Espruino's `process`: the loader collects (process.memory()) after dropping transient modules (scripts/bundle-cjs.js);
  // `posrtAfterTask`, read only behind typeof: the emulator page's hook for that drop (hal/browser/espruino.js)
  const problems = checkEs5Bundle(fs.readFileSync(DEVICE_BUNDLE, "utf8"), [...ES5_GLOBALS, ...ESPRUINO_GLOBALS, "process", "posrtAfterTask"]);
  assert.equal(problems, [], problems.join("\n"));
});

test("the ES5 conformance bundle is ES5 with allowed globals only", () => {
  const problems = checkEs5Bundle(fs.readFileSync(ES5_CONFORMANCE_BUNDLE, "utf8"));
  assert.equal(problems, [], problems.join("\n"));
});

test("let, arrow functions and Promise are refused", () => {
  assert.match(checkEs5Bundle("let a = 1;").join(), /not ES5/);
  assert.match(checkEs5Bundle("var f = () => 1;").join(), /not ES5/);
  assert.equal(checkEs5Bundle("var p = Promise.resolve(1);\nprocess.exit(0);"), ["global Promise at 1:9", "global process at 2:1"]);
});

test("scopes: params, vars, hoisted functions, catch and named expressions are not globals", () => {
  const code = [
    "function f(a) { var b = a; g(); function g() { return b + c; } }",
    "var h = function k(x) { try { k(x); } catch (err) { return err + arguments.length; } };",
    "o.p = { q: r }; lab: for (;;) { break lab; }",
  ].join("\n");
  assert.equal(freeNames(parseEs5(code)).map((n) => n.name), ["c", "o", "r"]);
});

/**
 * Runs `code` in duk (Duktape: strict ES5 plus typed arrays, no Promise/Map), or in QuickJS where
 * duk is not installed (cli/engines.ts): then only the ES5 syntax/globals checks above prove ES5.
 */
function duk(code: string): string {
  const file = path.join(DIST, "es5", "duk-check.js");
  fs.writeFileSync(file, code);
  const p = spawnEngine(ES5, [file]);
  assert.is(p.error, undefined, `cannot run ${ES5.name}`);
  assert.is(p.status, 0, p.stdout + p.stderr);
  return p.stdout;
}

test(`${ES5.name} boots the Espruino file on mocked built-ins (self-test, journal opened)`, () => {
  const mocks = fs.readFileSync(path.join(ROOT, "test/fixtures/espruino-mocks.js"), "utf8");
  const files = "var __FILES = " + JSON.stringify(devConfigFiles(8583)) + ";\n";
  assert.match(duk(files + mocks + "\n" + fs.readFileSync(DEVICE_BUNDLE, "utf8")), /posrt \S+ ready: batch 000001/);
});

test("without Flash the Espruino file says it did not boot, and does not crash", () => {
  const out = duk("var require = function (n) { throw new Error('no module ' + n); };\n" + fs.readFileSync(DEVICE_BUNDLE, "utf8") + "\nprint(posrt.status());");
  assert.match(out, /posrt \S+ boot failed: .*no module (Storage|Flash)\nnot booted/);
});

test(`${ES5.name} passes every conformance vector`, () => {
  const runner = [
    "var V = __V__, total = 0, failed = 0;",
    "for (var f = 0; f < V.length; f++) {",
    "  var n = posrtConformance.openVectors(V[f]);",
    "  for (var i = 0; i < n; i++) { var why = posrtConformance.runCase(i); total++;",
    "    if (why !== '') { failed++; print('FAIL ' + posrtConformance.caseName(i) + ': ' + why); } }",
    "  posrtConformance.closeVectors();",
    "}",
    "print('DONE ' + total + ' ' + failed);",
  ].join("\n");
  const texts = vectorFiles(VECTORS_DIR).map((f) => fs.readFileSync(f, "utf8"));
  const out = duk(fs.readFileSync(ES5_CONFORMANCE_BUNDLE, "utf8") + "\n" + runner.replace("__V__", () => JSON.stringify(texts)));
  const m = /DONE (\d+) (\d+)/.exec(out);
  assert.ok(m !== null, out);
  assert.ok(Number(m![1]) > 0, "no vectors ran");
  assert.is(Number(m![2]), 0, out);
});

test.run();
