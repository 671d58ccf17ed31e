// The vector matcher tells an integer from a float: Lua computes 14 / 2 as 7.0 (and prints
// "7.0"), JavaScript as 7. The same vectors run on node (must pass) and on the Lua bundle
// (must fail exactly where a float is compared with an integer).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLua, runNode } from "../../cli/runtimes";
import { matches, parseJson } from "../../src/conformance/json";

function vectorFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-matcher-"));
  const file = path.join(dir, "divide.json");
  const cases = [
    { name: "14 / 2 expected as 7", in: [14, 2], out: 7 },
    { name: "14 / 7 expected as 2", in: [14, 7], out: 2 },
  ];
  fs.writeFileSync(file, JSON.stringify({ suite: "conformance.divide", cases }));
  return file;
}

test("node: 14 / 2 is 7", () => {
  const r = runNode([vectorFile()]);
  assert.is(r.failed, 0, r.failures.join("; "));
  assert.is(r.passed, 2);
});

test("lua: 14 / 2 is 7.0, and the matcher says so", () => {
  const r = runLua([vectorFile()]);
  assert.is(r.passed, 0, "a float must not match an integer");
  assert.is(r.failed, 2);
  assert.ok(r.failures[0].indexOf("got 7.0") >= 0, r.failures[0]);
  assert.ok(r.failures[1].indexOf("got 2.0") >= 0, r.failures[1]);
});

test("matcher: numbers, strings and shapes are not interchangeable", () => {
  assert.ok(matches(7, parseJson("7")));
  assert.not.ok(matches("7", parseJson("7")));
  assert.not.ok(matches(7, parseJson("\"7\"")));
  assert.not.ok(matches([], parseJson("{\"a\":1}")));
});

test.run();
