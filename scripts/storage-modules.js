// Module code read from Storage on use (Espruino), not held as a function per module in RAM.
//
// A bundle with transient modules (bundle-cjs.js) keeps a table D of one function per module:
// on Espruino each costs about 5 variables for as long as the board runs, although its body is
// in flash. Instead the minified device file starts with an index comment,
//   /*PM<hash:8 hex>` then per module: body offset (6, base 36), body length (5, base 36), the
//   names of its two parameters (exports, require: 2 characters each, space-padded) `*/`,
// and the loader, when it runs from a Storage file that starts with its own mark
// ("/*PM" + hash), makes a module's function with `new Function(p1, p2, Storage.read(file, offset,
// length))`: a string read from Storage is a flash string, so the body and every function
// defined in it stay in flash. The table D is then never built (its block is skipped). On any
// other host (a test engine, the emulator page) the mark is not found and D is used as before.
"use strict";
const crypto = require("crypto");
const ts = require("typescript");

/** Stands for the file's hash until it is known (same length: offsets do not move). */
const HASH_PLACEHOLDER = "@posrtH@";
const MARK = "/*PM";
/** Fields of one index entry: [start, characters] of the body offset, its length (base 36) and the two parameter names. */
const FIELD = { off: [0, 6], len: [6, 5], p1: [11, 2], p2: [13, 2] };
const ENTRY_CHARS = FIELD.p2[0] + FIELD.p2[1];
/** Where the first entry starts (after the mark and the hash). */
const TABLE_AT = MARK.length + HASH_PLACEHOLDER.length;

/**
 * Module functions of the minified bundle `min` in module order: the `X[n] = function (a, b) {...}`
 * assignments outside any function but the bundle's own wrapper (module bodies are inside
 * functions, so none of their own assignments count). Throws unless ids 0..count-1 appear once each.
 */
function moduleFunctions(min, count) {
  const sf = ts.createSourceFile("posrt.js", min, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const found = new Array(count);
  let seen = 0;
  const visit = (n, depth) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(n.left) && ts.isNumericLiteral(n.left.argumentExpression) && ts.isFunctionExpression(n.right) && depth === 1) {
      const id = Number(n.left.argumentExpression.text);
      if (id >= count || found[id] !== undefined) throw new Error(`storage-modules: module function ${id} found twice or out of range`);
      found[id] = n.right;
      seen++;
      return;
    }
    const d = ts.isFunctionLike(n) ? depth + 1 : depth;
    ts.forEachChild(n, (c) => visit(c, d));
  };
  visit(sf, 0);
  if (seen !== count) throw new Error(`storage-modules: ${seen} module functions found in the minified file, ${count} expected`);
  return found;
}

function pad(s, n) {
  if (s.length > n) throw new Error(`storage-modules: "${s}" is longer than ${n} characters`);
  return s + " ".repeat(n - s.length);
}

/**
 * The device file with its module index in front: `min` is the minified bundle (with
 * HASH_PLACEHOLDER in its mark literal), `count` its number of modules.
 */
function withModuleIndex(min, count) {
  if (min.indexOf(HASH_PLACEHOLDER) < 0) throw new Error("storage-modules: the loader's mark was not found in the minified file");
  const fns = moduleFunctions(min, count);
  const head = TABLE_AT + count * ENTRY_CHARS + "*/\n".length;
  let table = "";
  for (const fn of fns) {
    const body = fn.body;
    const from = body.getStart() + 1; // after "{"
    const to = body.end - 1; // before "}"
    const off = head + Buffer.byteLength(min.slice(0, from));
    const len = Buffer.byteLength(min.slice(from, to));
    const params = fn.parameters.map((p) => p.name.getText());
    if (params.length > 2) throw new Error("storage-modules: a module function has more than two parameters");
    // a parameter the minifier dropped gets a name of its own (two alike are an error in strict code)
    table += pad(off.toString(36), FIELD.off[1]) + pad(len.toString(36), FIELD.len[1]) + pad(params[0] || "$e", FIELD.p1[1]) + pad(params[1] || "$r", FIELD.p2[1]);
  }
  let out = MARK + HASH_PLACEHOLDER + table + "*/\n" + min;
  const hash = crypto.createHash("sha256").update(out).digest("hex").slice(0, HASH_PLACEHOLDER.length);
  out = out.split(HASH_PLACEHOLDER).join(hash);
  if (out.indexOf("*/") !== TABLE_AT + count * ENTRY_CHARS) throw new Error("storage-modules: the index comment ends early");
  return out;
}

/** Modules in the index of an indexed device file (its comment's length). */
function indexedModules(file) {
  return (file.indexOf("*/") - TABLE_AT) / ENTRY_CHARS;
}

module.exports = { HASH_PLACEHOLDER, MARK, FIELD, ENTRY_CHARS, TABLE_AT, withModuleIndex, moduleFunctions, indexedModules };
