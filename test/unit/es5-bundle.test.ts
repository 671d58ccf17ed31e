import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { checkEs5Bundle, freeNames, parseEs5 } from "../../cli/portable/es5";
import { DIST, ES5_CONFORMANCE_BUNDLE } from "../../cli/paths";

const DEVICE_BUNDLE = path.join(DIST, "espruino", "posrt.js");

test("the Espruino file (minified by the espruino CLI) is ES5 with allowed globals only", () => {
  const problems = checkEs5Bundle(fs.readFileSync(DEVICE_BUNDLE, "utf8"));
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

test.run();
