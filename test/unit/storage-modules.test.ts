// The module index in front of the Espruino device file (scripts/storage-modules.js): each entry
// points at exactly one module function's body, with its parameter names; the file's mark holds
// its hash; a file that does not have the modules the bundle says is refused at build time.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../../..");
/* eslint-disable @typescript-eslint/no-var-requires */
const sm = require(path.join(ROOT, "scripts", "storage-modules.js")) as {
  HASH_PLACEHOLDER: string; MARK: string; ENTRY_CHARS: number; TABLE_AT: number;
  withModuleIndex: (min: string, count: number) => string;
};
/* eslint-enable @typescript-eslint/no-var-requires */

/** A minified bundle's shape: the loader's mark literal, then the table of module functions. */
function minified(): string {
  return `!function(h,d){var k="${sm.MARK}${sm.HASH_PLACEHOLDER}";d[0]=function(b,a){b.x=a(1).y;function q(){return"é"}},d[1]=function(){var t=[];t[0]=function(z){return z}}}(this);`;
}

function entry(file: string, id: number): { body: string; p1: string; p2: string } {
  const t = file.substr(sm.TABLE_AT + id * sm.ENTRY_CHARS, sm.ENTRY_CHARS);
  const bytes = Buffer.from(file, "utf8");
  const off = parseInt(t.substr(0, 6), 36);
  const len = parseInt(t.substr(6, 5), 36);
  return { body: bytes.subarray(off, off + len).toString("utf8"), p1: t.substr(11, 2).trim(), p2: t.substr(13, 2).trim() };
}

test("each entry points at its module's body (byte offsets, non-ASCII text before it), with the parameters' names", () => {
  const file = sm.withModuleIndex(minified(), 2);
  assert.equal(entry(file, 0), { body: 'b.x=a(1).y;function q(){return"é"}', p1: "b", p2: "a" });
  // no parameters left by the minifier: names of their own, not alike
  assert.equal(entry(file, 1), { body: "var t=[];t[0]=function(z){return z}", p1: "$e", p2: "$r" });
});

test("the mark at the start and the loader's literal hold the same hash; the index is one comment", () => {
  const file = sm.withModuleIndex(minified(), 2);
  const hash = file.substr(sm.MARK.length, sm.HASH_PLACEHOLDER.length);
  assert.match(hash, /^[0-9a-f]{8}$/);
  assert.ok(file.indexOf(`var k="${sm.MARK}${hash}"`) > 0);
  assert.not.ok(file.includes(sm.HASH_PLACEHOLDER));
  assert.is(file.indexOf("*/"), sm.TABLE_AT + 2 * sm.ENTRY_CHARS);
  const other = sm.withModuleIndex(minified().replace("b.x=", "b.w="), 2);
  assert.is.not(other.substr(4, 8), hash, "another build, another mark");
});

test("a module count that does not match the file, or a file without the mark, is a build error", () => {
  assert.throws(() => sm.withModuleIndex(minified(), 3), /2 module functions found in the minified file, 3 expected/);
  assert.throws(() => sm.withModuleIndex(minified().replace(sm.HASH_PLACEHOLDER, "xxxxxxxx"), 2), /mark was not found/);
});

test.run();
