// Bundles tsc's ES5 CommonJS output into one ES5 script (no module loader needed on device).
// Every module becomes a function in a table; `require` resolves relative paths and aliases.
"use strict";
const fs = require("fs");
const path = require("path");
const { hoistFunctions } = require("./hoist-functions");

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
  let src = m.src.replace(ES_MODULE_MARKER, "");
  const cyclic = reaches(mods, file).has(file);
  src = src.replace(RE_EXPORT, (all, name, local, prop) => (cyclic ? all : `exports.${name} = ${local}.${prop};`));
  return src;
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
function bundle({ entry, root, aliases = {}, exposeAs, externals = [] }) {
  const mods = collect(entry, aliases, root, externals);
  const num = new Map();
  for (const [file, m] of mods) num.set(m.id, num.size);
  const parts = ["(function (G) {", "var D = [], C = [];"];
  for (const [file, m] of mods) {
    if (/\bmodule\.exports\b/.test(m.src)) throw new Error(`bundle: ${m.id} assigns module.exports (only ES module output is bundled)`);
    const src = lean(mods, file).replace(new RegExp(`${LOCAL_REQUIRE}\\("([^"]+)"\\)`, "g"), (_all, id) => `${LOCAL_REQUIRE}(${num.get(id)})`);
    parts.push(`// ${m.id}\nD[${num.get(m.id)}] = function (exports) {\n${src}\n};`);
  }
  parts.push(
    `function ${LOCAL_REQUIRE}(id) {`,
    "  var e = C[id]; if (e) return e;",
    "  var f = D[id]; e = C[id] = {}; D[id] = undefined;",
    "  f(e);",
    "  return e;",
    "}",
    `var E = ${LOCAL_REQUIRE}(0);`,
    "D = undefined; C = undefined;",
    exposeAs ? `G[${JSON.stringify(exposeAs)}] = E;` : "",
    "})(this);",
  );
  return parts.join("\n") + "\n";
}

module.exports = { bundle };
