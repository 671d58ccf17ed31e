// Moves every function declaration to the start of its function body (or of the module), in
// source order, after the "use strict" prologue. JavaScript hoists declarations anyway, so the
// result means the same; Espruino (2v29) does not hoist them above earlier statements, and
// tsc's CommonJS output assigns `exports.f = f;` before `function f`. Parsed with the
// TypeScript compiler's own parser (already a dependency), never with regular expressions.
"use strict";
const ts = require("typescript");

function isPrologue(s) {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

/** Returns `src` with function declarations first in every function body and at top level. */
function hoistFunctions(src, fileName = "module.js") {
  const sf = ts.createSourceFile(fileName, src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  let moved = 0;

  function text(node) {
    if (isBody(node)) return bodyText(node, node.statements);
    let out = "";
    let cursor = node.pos;
    ts.forEachChild(node, (child) => {
      out += src.slice(cursor, child.pos) + text(child);
      cursor = child.end;
    });
    return out + src.slice(cursor, node.end);
  }

  function isBody(node) {
    if (ts.isSourceFile(node)) return true;
    return ts.isBlock(node) && node.parent !== undefined && ts.isFunctionLike(node.parent);
  }

  function bodyText(node, stmts) {
    if (stmts.length === 0) return src.slice(node.pos, node.end);
    const pro = [];
    const fns = [];
    const rest = [];
    let seenOther = false;
    for (const s of stmts) {
      if (!seenOther && rest.length === 0 && fns.length === 0 && isPrologue(s)) pro.push(s);
      else if (ts.isFunctionDeclaration(s)) {
        if (seenOther) moved++;
        fns.push(s);
      } else {
        seenOther = true;
        rest.push(s);
      }
    }
    const order = pro.concat(fns, rest);
    const same = order.every((s, i) => s === stmts[i]);
    let out = src.slice(node.pos, stmts.pos);
    for (const s of order) out += same ? text(s) : stmtText(s);
    return out + src.slice(stmts.end, node.end);
  }

  // A statement's own text (leading comments included), always starting on a fresh line so a
  // moved declaration never lands inside a trailing comment of its new neighbour.
  function stmtText(s) {
    const t = text(s);
    return /^\s*\n/.test(t) ? t : "\n" + t;
  }

  const out = text(sf);
  return { text: out, moved };
}

module.exports = { hoistFunctions };
