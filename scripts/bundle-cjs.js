// Bundles tsc's ES5 CommonJS output into one ES5 script (no module loader needed on device).
// Every module becomes a function in a table; `require` resolves relative paths and aliases.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");
const { hoistFunctions } = require("./hoist-functions");
const { transientModules, requireOnUse } = require("./transient-modules");
const { ENTRY_CHARS, FIELD, HASH_PLACEHOLDER, MARK, TABLE_AT } = require("./storage-modules");

/** Name of the bundle's own require inside module functions. */
const LOCAL_REQUIRE = "__req";

function resolveId(fromFile, spec, aliases, root, externals) {
  if (externals.indexOf(spec) >= 0) return null;
  if (aliases[spec]) return path.resolve(root, aliases[spec]);
  if (!spec.startsWith(".")) throw new Error(`bundle: ${fromFile} requires non-relative "${spec}" (only relative imports and aliases are bundled)`);
  return path.resolve(path.dirname(fromFile), spec + ".js");
}

function collect(entry, aliases, root, externals) {
  const mods = new Map();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.shift();
    if (mods.has(file)) continue;
    let src = fs.readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=.*$/m, "");
    const deps = [];
    src = src.replace(/require\("([^"]+)"\)/g, (m, spec) => {
      const target = resolveId(file, spec, aliases, root, externals);
      if (target === null) return m;
      const id = path.relative(root, target).split(path.sep).join("/");
      deps.push(target);
      queue.push(target);
      return `${LOCAL_REQUIRE}(${JSON.stringify(id)})`;
    });
    // Espruino does not hoist function declarations: put them first (see hoist-functions.js)
    src = hoistFunctions(src, file).text;
    mods.set(file, { id: path.relative(root, file).split(path.sep).join("/"), src, deps });
  }
  return mods;
}

/** tsc's CommonJS marker: nothing in a bundle reads it, and on Espruino it costs variables per module. */
const ES_MODULE_MARKER = /^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);\n?/m;
/** tsc's re-export (`export { x } from "./m"`): a getter function per name. */
const RE_EXPORT = /Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+)\.(\w+); \} \}\);/g;

/** Module ids `from` reaches through its requires (itself excluded unless in a cycle). */
function reaches(mods, from) {
  const seen = new Set();
  const stack = [...mods.get(from).deps];
  while (stack.length > 0) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...mods.get(id).deps);
  }
  return seen;
}

/**
 * Shapes one module for a small interpreter (Espruino counts every object, property name and
 * function parameter as variables that stay in RAM): no __esModule marker, and a re-export
 * becomes one assignment instead of a getter function, unless the module it re-exports from
 * is in a require cycle with this one (then it may not be loaded yet and the getter stays).
 */
function lean(mods, file) {
  const m = mods.get(file);
  let src = withoutComments(m.src, m.id).replace(ES_MODULE_MARKER, "");
  const cyclic = reaches(mods, file).has(file);
  src = src.replace(RE_EXPORT, (all, name, local, prop) => (cyclic ? all : `exports.${name} = ${local}.${prop};`));
  return src;
}

/**
 * The module's text without comments (printed again by the TypeScript compiler): a name in a
 * comment must not count as a use when deciding what is kept, pruned or transient.
 */
function withoutComments(src, fileName) {
  const sf = ts.createSourceFile(fileName, src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  return ts.createPrinter({ removeComments: true }).printFile(sf);
}

/** Export names longer than this are shortened (Espruino keeps up to 8 characters in a name's own variable). */
const SHORT_NAME_CHARS = 8;
const ALIAS_DECL = new RegExp(`(?:var|let|const) (\\w+) = ${LOCAL_REQUIRE}\\((\\d+)\\);`, "g");
const ANY_REQUIRE = new RegExp(`${LOCAL_REQUIRE}\\((\\d+)\\)`, "g");

function escapeRe(s) {
  return s.replace(/[$]/g, "\\$");
}

/** The `var x_1 = __req(N)` aliases of a module. */
function aliasesOf(src) {
  const out = [];
  for (const m of src.matchAll(ALIAS_DECL)) out.push({ alias: m[1], target: Number(m[2]) });
  return out;
}

/**
 * Modules whose export names must stay as they are: the entry (the API the bundle exposes)
 * and any module whose exports object is used other than as `alias.name` (passed around as a
 * value, its names may be read by string), or that uses its own `exports` so.
 */
function keptModules(srcs, entryNum) {
  const keep = new Array(srcs.length).fill(false);
  keep[entryNum] = true;
  for (let i = 0; i < srcs.length; i++) {
    const src = srcs[i];
    // `exports` other than `exports.name` and tsc's own defineProperty(exports, "name", ...)
    if (/\bexports\b(?!\.|, ")/.test(src)) keep[i] = true;
    // a require whose exports are not held in a plain alias: its names may be read any way
    const declared = aliasesOf(src);
    const counts = new Map();
    for (const m of src.matchAll(ANY_REQUIRE)) counts.set(Number(m[1]), (counts.get(Number(m[1])) || 0) + 1);
    for (const [target, n] of counts) if (n !== declared.filter((a) => a.target === target).length) keep[target] = true;
    for (const a of declared) {
      const bare = new RegExp(`\\b${escapeRe(a.alias)}\\b(?!\\.)`, "g");
      if ((src.match(bare) || []).length !== 1) keep[a.target] = true; // the one bare use is its own declaration
    }
  }
  return keep;
}

/** Rounds of export pruning (each round may free what the previous one left unused). */
const MAX_PRUNE_ROUNDS = 50;

function count(src, re) {
  return (src.match(re) || []).length;
}

/**
 * tsc's ES5 class: `(function (_super) { function C() {...} ... return C; }(Base))` (comments are
 * gone by now, so not by its `/** @class *\/` marker).
 */
function isClassIife(init, name) {
  let e = init;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e)) return false;
  let f = e.expression;
  while (ts.isParenthesizedExpression(f)) f = f.expression;
  if (!ts.isFunctionExpression(f) || f.body.statements.length === 0) return false;
  const last = f.body.statements[f.body.statements.length - 1];
  const ctor = f.body.statements.some((st) => ts.isFunctionDeclaration(st) && st.name !== undefined && st.name.text === name);
  return ctor && ts.isReturnStatement(last) && last.expression !== undefined && ts.isIdentifier(last.expression) && last.expression.text === name;
}

/** Top-level function declarations and tsc class statements of a module body: name -> [start, end]. */
function topLevelDecls(src) {
  const sf = ts.createSourceFile("m.js", src, ts.ScriptTarget.ES5, true, ts.ScriptKind.JS);
  const out = new Map();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name !== undefined) out.set(st.name.text, [st.getFullStart(), st.end]);
    else if (ts.isVariableStatement(st) && st.declarationList.declarations.length === 1) {
      const d = st.declarationList.declarations[0];
      if (ts.isIdentifier(d.name) && d.initializer !== undefined && isClassIife(d.initializer, d.name.text)) out.set(d.name.text, [st.getFullStart(), st.end]);
    }
  }
  return out;
}

/** Occurrences of identifier `name` in `src` that are not property names (`x.name`). */
function identifierUses(src, name) {
  return count(src, new RegExp(`(?<![\\w$.])${escapeRe(name)}(?![\\w$])`, "g"));
}

/**
 * Drops what the bundle never uses: an export no other module reads (and its own module
 * reads only through its local name) loses its `exports.x = ...` assignment, and a top-level
 * function or tsc class no longer referenced in its module is deleted, round after round
 * (a deleted function may have been the last reader of another module's export). On
 * Espruino every function object, parameter and export name costs variables for as long as
 * the board runs. Kept modules (see keptModules) are left as they are.
 */
function pruneExports(srcs, entryNum) {
  const keep = keptModules(srcs, entryNum);
  let pruned = 0;
  // only a module whose text changed can have a newly dead declaration
  const dirty = srcs.map(() => true);
  for (let round = 0; round < MAX_PRUNE_ROUNDS; round++) {
    const used = srcs.map(() => new Set());
    srcs.forEach((src, i) => {
      for (const a of aliasesOf(src)) {
        for (const m of src.matchAll(new RegExp(`\\b${escapeRe(a.alias)}\\.([A-Za-z_$][\\w$]*)`, "g"))) used[a.target].add(m[1]);
      }
    });
    let changed = false;
    for (let i = 0; i < srcs.length; i++) {
      if (keep[i]) continue;
      let src = srcs[i];
      const defs = new Set([...src.matchAll(/^\s*exports\.([A-Za-z_$][\w$]*) = (?!exports\.|void 0)/gm)].map((m) => m[1]));
      for (const name of defs) {
        if (used[i].has(name)) continue;
        const e = escapeRe(name);
        const all = count(src, new RegExp(`\\bexports\\.${e}(?![\\w$])`, "g"));
        const chain = count(src, new RegExp(`\\bexports\\.${e} = (?=exports\\.|void 0)`, "g"));
        const assigns = count(src, new RegExp(`\\bexports\\.${e} = (?!exports\\.|void 0)`, "g"));
        if (assigns !== 1 || all !== chain + 1) continue; // read in its module, or assigned more than once
        src = src.replace(new RegExp(`\\bexports\\.${e} = (?=exports\\.|void 0)`, "g"), "");
        const self = new RegExp(`^(\\s*)exports\\.${e} = ([A-Za-z_$][\\w$.]*);[ \\t]*$`, "m");
        if (self.test(src)) src = src.replace(self, "$1");
        else src = src.replace(new RegExp(`^(\\s*)exports\\.${e} = `, "m"), `$1var ${name}$pruned = `);
        pruned++;
        changed = true;
      }
      if (src === srcs[i] && !dirty[i]) continue;
      dirty[i] = false;
      const decls = topLevelDecls(src);
      const dead = [...decls.keys()].filter((name) => {
        const [a, b] = decls.get(name);
        return identifierUses(src.slice(0, a) + src.slice(b), name) === 0;
      });
      if (dead.length > 0) {
        const spans = dead.map((n) => decls.get(n)).sort((a, b) => b[0] - a[0]);
        for (const [a, b] of spans) src = src.slice(0, a) + src.slice(b);
        changed = true;
        dirty[i] = true;
      }
      srcs[i] = src;
    }
    if (!changed) break;
  }
  return pruned;
}

/**
 * Shortens long export names inside the bundle: `exports.openEspruinoFlash` becomes
 * `exports.$3` in its module and `flash_1.openEspruinoFlash` becomes `flash_1.$3` in every
 * module that requires it (tsc's output reaches another module's exports only through the
 * `var x_1 = require(...)` alias). On Espruino a name of more than 8 characters costs another
 * variable for as long as the module lives. The entry's exports (the API the bundle exposes)
 * keep their names, and so does any module whose exports object is used other than as
 * `alias.name` (passed around as a value: its names may be read by string).
 */
function shortenExports(srcs, entryNum) {
  const keep = keptModules(srcs, entryNum);
  const aliases = srcs.map(aliasesOf);
  const maps = srcs.map((src, i) => {
    const map = new Map();
    if (keep[i]) return map;
    for (const m of src.matchAll(/\bexports\.([A-Za-z_$][\w$]*)/g)) {
      if (m[1].length > SHORT_NAME_CHARS && !map.has(m[1])) map.set(m[1], "$" + map.size.toString(36));
    }
    return map;
  });
  return srcs.map((src, i) => {
    let out = src;
    if (maps[i].size > 0) {
      out = out.replace(/\bexports\.([A-Za-z_$][\w$]*)/g, (all, name) => (maps[i].has(name) ? "exports." + maps[i].get(name) : all));
      out = out.replace(/Object\.defineProperty\(exports, "(\w+)"/g, (all, name) => (maps[i].has(name) ? `Object.defineProperty(exports, "${maps[i].get(name)}"` : all));
    }
    for (const a of aliases[i]) {
      const map = maps[a.target];
      if (map.size === 0) continue;
      out = out.replace(new RegExp(`\\b${escapeRe(a.alias)}\\.([A-Za-z_$][\\w$]*)`, "g"), (all, name) => (map.has(name) ? a.alias + "." + map.get(name) : all));
    }
    return out;
  });
}

/**
 * The loader of a bundle with transient modules (scripts/transient-modules.js): `T` holds one
 * flag per module ("1": transient). A module is a function of its exports and this loader.
 * On Espruino, running from a Storage file with the module index in front (storage-modules.js,
 * found by its mark among `files`), a module's function is made from its body in flash each time
 * it loads, so no function per module stays in RAM; anywhere else the table D holds them (a
 * resident module's function is dropped once it ran). A transient module's exports are dropped
 * at the end of the event-loop task that loaded it (a timeout of 0), and once at the end of
 * boot, so the next use runs it again, and then the garbage is collected (Espruino's
 * process.memory()). Without setTimeout (a test engine) nothing is dropped. A host whose timers
 * run on a board clock that can stand still (the emulator page while a script plays) gives
 * `posrtAfterTask`: dropping is no event of the board, so it must not wait for that clock (else
 * every read of the screen from outside queues a drop due "now", and a script's clock crawls
 * 1 ms a step).
 */
function transientLoader(flags, files) {
  return [
    `var T = ${JSON.stringify(flags)}, Q = 0, F;`,
    `function ${LOCAL_REQUIRE}(id) {`,
    "  var e = C[id]; if (e) return e;",
    "  var f = F === undefined ? D[id] : __flash(id); e = C[id] = {};",
    '  if (T.charAt(id) !== "1") D[id] = undefined;',
    '  else if (Q === 0 && typeof setTimeout === "function") { Q = 1; (typeof posrtAfterTask === "function" ? posrtAfterTask : setTimeout)(__drop, 0); }',
    `  f(e, ${LOCAL_REQUIRE});`,
    "  return e;",
    "}",
    "function __flash(id) {",
    `  var S = require("Storage"), t = S.read(F, ${TABLE_AT} + id * ${ENTRY_CHARS}, ${ENTRY_CHARS});`,
    `  return new Function(t.substr(${FIELD.p1}).trim(), t.substr(${FIELD.p2}).trim(), S.read(F, parseInt(t.substr(${FIELD.off}), 36), parseInt(t.substr(${FIELD.len}), 36)));`,
    "}",
    // the Storage file this code runs from: the one that starts with this build's mark
    "function __where() {",
    `  var n = ${JSON.stringify(files)}, S, i;`,
    '  try { S = require("Storage"); } catch (x) { return undefined; }',
    `  for (i = 0; i < n.length; i++) if (S.read(n[i], 0, ${TABLE_AT}) === ${JSON.stringify(MARK + HASH_PLACEHOLDER)}) return n[i];`,
    "  return undefined;",
    "}",
    "function __drop() {",
    '  Q = 0; for (var i = 0; i < T.length; i++) if (T.charAt(i) === "1") delete C[i];',
    // Espruino frees a dropped module's functions (cycles: function <-> scope) only in a
    // collection; process.memory() runs one, so that garbage never piles up between tasks
    '  if (typeof process !== "undefined" && typeof process.memory === "function") process.memory();',
    "}",
    "F = __where();",
  ];
}

/**
 * Returns one ES5 script; `exposeAs` names a global that receives the entry's exports.
 * `externals` are the platform's built-in modules (Espruino "Flash", "net"): their require
 * calls stay as written and go to the platform's global require. Bundled modules call
 * LOCAL_REQUIRE instead, so the espruino CLI does not take them for modules to download.
 *
 * Modules are numbered (ids in the order found, the entry 0) and each is a function of its
 * `exports` only (tsc's output never uses `module`); a module's function is dropped once it
 * ran, and the tables of functions and exports once the entry has loaded (tsc's requires all
 * run at load time): after boot only the modules' own scopes and exports remain.
 */
function bundle({ entry, root, aliases = {}, exposeAs, externals = [], transient = false, resident = [], storageFiles = [], report }) {
  const mods = collect(entry, aliases, root, externals);
  const num = new Map();
  for (const [file, m] of mods) num.set(m.id, num.size);
  const parts = ["(function (G) {", "var D = [], C = [];"];
  const srcs = [];
  for (const [file, m] of mods) {
    if (/\bmodule\.exports\b/.test(m.src)) throw new Error(`bundle: ${m.id} assigns module.exports (only ES module output is bundled)`);
    const src = lean(mods, file).replace(new RegExp(`${LOCAL_REQUIRE}\\("([^"]+)"\\)`, "g"), (_all, id) => `${LOCAL_REQUIRE}(${num.get(id)})`);
    srcs.push(src);
  }
  pruneExports(srcs, 0);
  let short = shortenExports(srcs, 0);
  const names = [...mods.values()].map((m) => m.id);
  let flags = "";
  if (transient) {
    const t = transientModules(short, keptModules(short, 0), names, resident, LOCAL_REQUIRE);
    short = short.map((src) => requireOnUse(src, t.transient, LOCAL_REQUIRE));
    flags = t.transient.map((x) => (x ? "1" : "0")).join("");
    if (report !== undefined) report(names.map((id, i) => ({ module: id, transient: t.transient[i], why: t.why[i] })));
  }
  if (transient) {
    // the loader first (Espruino does not hoist functions); the table only where no index is found
    parts.push(...transientLoader(flags, storageFiles), "if (F === undefined) {");
    for (const [file, m] of mods) parts.push(`// ${m.id}\nD[${num.get(m.id)}] = function (exports, ${LOCAL_REQUIRE}) {\n${short[num.get(m.id)]}\n};`);
    parts.push("}", `var M = ${LOCAL_REQUIRE}(0);`, "__drop();");
  } else {
    for (const [file, m] of mods) parts.push(`// ${m.id}\nD[${num.get(m.id)}] = function (exports) {\n${short[num.get(m.id)]}\n};`);
    parts.push(
      `function ${LOCAL_REQUIRE}(id) {`,
      "  var e = C[id]; if (e) return e;",
      "  var f = D[id]; e = C[id] = {}; D[id] = undefined;",
      "  f(e);",
      "  return e;",
      "}",
      `var M = ${LOCAL_REQUIRE}(0);`, // not E: that would hide Espruino's global E (E.CRC32, E.hwRand, E.toString) from every module
      "D = undefined; C = undefined;",
    );
  }
  parts.push(
    exposeAs ? `G[${JSON.stringify(exposeAs)}] = M;` : "",
    "})(this);",
  );
  return parts.join("\n") + "\n";
}

module.exports = { bundle };
