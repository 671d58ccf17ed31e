// Which bundled modules may be "transient" (code in flash, loaded on use, dropped after the
// event-loop task that used it), and the rewrite that makes them so (see bundle-cjs.js).
//
// On Espruino a loaded module keeps every function it defines as a function object in RAM
// (about 5 variables plus one per parameter each), for as long as the module's exports or scope
// are reachable; its code stays in flash when the file runs from Storage. A module that keeps no
// state of its own between calls can instead be run again whenever it is needed: then only the
// modules a task actually uses are in RAM while it runs, and none of them once it ended.
//
// A module stays resident (loaded at boot, kept) when any of these holds:
// - it is the entry (its exports are the API the bundle exposes);
// - it keeps state: a top-level binding of its own (variable, class, table) is assigned,
//   incremented or has a property or element written or a mutating method called from inside
//   any function, or it assigns `exports.x` inside a function;
// - its exports object is used other than as `alias.name` by a module that requires it, or the
//   module uses its own `exports` other than as `exports.name` (names may be read by string);
// - loading it is work (a loop or a call at load: tables built, a default parsed), which every
//   task using it would redo;
// - the build names it in `resident`.
// Parsed with the TypeScript compiler's parser, never with regular expressions.
"use strict";
const ts = require("typescript");

/** Methods that change the array or typed array they are called on. */
const MUTATORS = new Set(["push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "set", "copyWithin"]);

function isAssignOp(k) {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Names a function-like node binds for its body (parameters, vars, inner function names). */
function localNames(fn) {
  const out = new Set();
  const bindName = (n) => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else if (n !== undefined && (ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n))) for (const e of n.elements) if (!ts.isOmittedExpression(e)) bindName(e.name);
  };
  for (const p of fn.parameters) bindName(p.name);
  if (fn.name !== undefined && ts.isIdentifier(fn.name) && !ts.isFunctionDeclaration(fn)) out.add(fn.name.text);
  const visit = (n) => {
    if (ts.isVariableDeclaration(n)) bindName(n.name);
    if (ts.isFunctionDeclaration(n) && n.name !== undefined) out.add(n.name.text);
    if (ts.isFunctionLike(n)) return; // an inner function's own names are its own
    ts.forEachChild(n, visit);
  };
  if (fn.body !== undefined) ts.forEachChild(fn.body, visit);
  return out;
}

/** The identifier an expression writes through (`x`, `x.a`, `x[i].b` -> x), or undefined. */
function rootName(e) {
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

/**
 * Why module `src` keeps state between calls ("" when it keeps none): the first write from
 * inside a function to one of its top-level bindings, or to `exports`.
 */
function stateOf(src, fileName) {
  const sf = ts.createSourceFile(fileName, src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const top = new Set();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) top.add(d.name.text);
    if (ts.isFunctionDeclaration(st) && st.name !== undefined) top.add(st.name.text);
  }
  top.add("exports");
  let why = "";
  // `shadow`: names bound by the functions around the node (they hide top-level ones)
  const visit = (n, inFn, shadow) => {
    if (why !== "") return;
    if (ts.isFunctionLike(n)) {
      const inner = new Set(shadow);
      for (const x of localNames(n)) inner.add(x);
      ts.forEachChild(n, (c) => visit(c, true, inner));
      return;
    }
    if (inFn) {
      let target;
      if (ts.isBinaryExpression(n) && isAssignOp(n.operatorToken.kind)) target = n.left;
      else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target = n.operand;
      else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text)) target = n.expression.expression;
      if (target !== undefined) {
        const name = rootName(target);
        if (name !== undefined && top.has(name) && !shadow.has(name)) {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
          why = `writes ${name} in a function (line ${line + 1})`;
          return;
        }
      }
    }
    ts.forEachChild(n, (c) => visit(c, inFn, shadow));
  };
  visit(sf, false, new Set());
  return why;
}


/**
 * Why loading module `src` is work ("" when it only defines): a loop, or a call of one of its
 * own functions or of another module's, run at load (at top level or in a function called
 * there, such as a class's or enum's wrapper). Such a module (a CRC table, DES tables, a parsed
 * default profile) would redo that work in every task that uses it, so it stays resident.
 */
function loadWorkOf(src, fileName, local) {
  const sf = ts.createSourceFile(fileName, src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const own = new Set();
  const isLocalRequire = (e) => ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === local;
  const alias = new Set();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name !== undefined) own.add(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer !== undefined && isLocalRequire(d.initializer)) alias.add(d.name.text);
  }
  let why = "";
  const calleeOf = (e) => {
    let c = e.expression;
    while (ts.isParenthesizedExpression(c)) c = c.expression;
    if (ts.isBinaryExpression(c) && c.operatorToken.kind === ts.SyntaxKind.CommaToken) c = c.right; // (0, a.f)(x)
    return c;
  };
  const visit = (n) => {
    if (why !== "") return;
    // a function expression runs at load only when called right there (an IIFE)
    if (ts.isFunctionLike(n)) {
      const p = n.parent;
      const iife = p !== undefined && (ts.isCallExpression(p) || (ts.isParenthesizedExpression(p) && p.parent !== undefined && ts.isCallExpression(p.parent)));
      if (!iife) return;
    }
    if (ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForInStatement(n)) why = "loops at load";
    else if (ts.isCallExpression(n) && !isLocalRequire(n)) {
      const c = calleeOf(n);
      if (ts.isIdentifier(c) && own.has(c.text)) why = `calls ${c.text} at load`;
      else if (ts.isPropertyAccessExpression(c) && (isLocalRequire(c.expression) || (ts.isIdentifier(c.expression) && alias.has(c.expression.text)))) why = `calls ${c.getText()} at load`;
    }
    if (why !== "") {
      const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
      why += ` (line ${line + 1})`;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return why;
}

/**
 * Modules that `src` writes into through its `var a_1 = LOCAL(n)` aliases (`a_1.x = ...`,
 * `a_1.t[i]++`, `a_1.list.push(...)`): their exports hold state that must outlive a task.
 */
function writtenThrough(src, fileName, local) {
  const sf = ts.createSourceFile(fileName, src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const alias = new Map();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (ts.isIdentifier(d.name) && init !== undefined && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === local && init.arguments.length === 1 && ts.isNumericLiteral(init.arguments[0])) alias.set(d.name.text, Number(init.arguments[0].text));
    }
  }
  const out = new Set();
  const visit = (n) => {
    let target;
    if (ts.isBinaryExpression(n) && isAssignOp(n.operatorToken.kind)) target = n.left;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target = n.operand;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text)) target = n.expression.expression;
    if (target !== undefined && (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))) {
      const name = rootName(target);
      if (name !== undefined && alias.has(name)) out.add(alias.get(name));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Module numbers that may be transient, with why each other one stays resident:
 * `{ transient: boolean[], why: string[] }`. `srcs` are the bundle's module bodies (requires
 * already `LOCAL(n)`), `kept` what keptModules in bundle-cjs.js found (exports used by string),
 * `names` the modules' ids, `resident` ids the build keeps resident anyway.
 */
function transientModules(srcs, kept, names, resident, local) {
  const why = srcs.map((src, i) => {
    if (i === 0) return "the entry";
    if (kept[i]) return "its exports object is used as a value";
    if (resident.indexOf(names[i]) >= 0) return "named resident by the build";
    const state = stateOf(src, names[i]);
    return state !== "" ? state : loadWorkOf(src, names[i], local);
  });
  srcs.forEach((src, i) => {
    for (const n of writtenThrough(src, names[i], local)) if (why[n] === "") why[n] = `${names[i]} writes into its exports`;
  });
  return { transient: why.map((w) => w === ""), why };
}

/**
 * Rewrites every `var a_1 = LOCAL(n);` of a transient module n into uses of `LOCAL(n).name`
 * where `a_1.name` was, so that no module keeps a reference to a transient module's exports.
 */
function requireOnUse(src, transient, local) {
  const decl = new RegExp(`^[ \\t]*(?:var|let|const) (\\w+) = ${local}\\((\\d+)\\);[ \\t]*\\n?`, "gm");
  const alias = [];
  let out = src.replace(decl, (all, name, n) => {
    if (!transient[Number(n)]) return all;
    alias.push({ name, n });
    return "";
  });
  for (const a of alias) {
    const name = a.name.replace(/\$/g, "\\$");
    // `new a_1.C(x)` must stay a construction of C: `new (LOCAL(n).C)(x)`
    out = out.replace(new RegExp(`\\bnew ${name}\\.([A-Za-z_$][\\w$]*)`, "g"), `new (${local}(${a.n}).$1)`);
    out = out.replace(new RegExp(`(?<![\\w$.])${name}\\.`, "g"), `${local}(${a.n}).`);
  }
  return out;
}

module.exports = { stateOf, loadWorkOf, transientModules, requireOnUse };
