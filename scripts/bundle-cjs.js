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
    const deps = {};
    src = src.replace(/require\("([^"]+)"\)/g, (m, spec) => {
      const target = resolveId(file, spec, aliases, root, externals);
      if (target === null) return m;
      const id = path.relative(root, target).split(path.sep).join("/");
      deps[spec] = id;
      queue.push(target);
      return `${LOCAL_REQUIRE}(${JSON.stringify(id)})`;
    });
    // Espruino does not hoist function declarations: put them first (see hoist-functions.js)
    src = hoistFunctions(src, file).text;
    mods.set(file, { id: path.relative(root, file).split(path.sep).join("/"), src });
  }
  return mods;
}

/**
 * Returns one ES5 script; `exposeAs` names a global that receives the entry's exports.
 * `externals` are the platform's built-in modules (Espruino "Flash", "net"): their require
 * calls stay as written and go to the platform's global require. Bundled modules call
 * LOCAL_REQUIRE instead, so the espruino CLI does not take them for modules to download.
 */
function bundle({ entry, root, aliases = {}, exposeAs, externals = [] }) {
  const mods = collect(entry, aliases, root, externals);
  const entryId = path.relative(root, path.resolve(entry)).split(path.sep).join("/");
  const parts = ["(function (G) {", "var D = {}, C = {};"];
  for (const m of mods.values()) {
    parts.push(`D[${JSON.stringify(m.id)}] = function (module, exports, ${LOCAL_REQUIRE}) {\n${m.src}\n};`);
  }
  parts.push(
    "function R(id) {",
    "  var c = C[id]; if (c) return c.exports;",
    "  var m = { exports: {} }; C[id] = m;",
    "  D[id](m, m.exports, R);",
    "  return m.exports;",
    "}",
    `var E = R(${JSON.stringify(entryId)});`,
    exposeAs ? `G[${JSON.stringify(exposeAs)}] = E;` : "",
    "})(this);",
  );
  return parts.join("\n") + "\n";
}

module.exports = { bundle };
