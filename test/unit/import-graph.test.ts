// The layers as docs/architecture.md draws them, checked on the sources: the portable core
// (src/) imports only itself and the HAL interfaces (hal/*.ts), never a platform adapter
// (hal/<platform>/), the desktop tools (cli/), device entries (firmware/) or tests; the HAL
// imports nothing from the transaction engine; the engine (src/txn/) needs no simulator or
// emulator code (src/sim/).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../../..");
/** Most files scanned (the whole repository has a few hundred). */
const MAX_FILES = 5000;

interface Edge {
  from: string;
  to: string;
}

function sources(dir: string, out: string[]): string[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir + "/" + e.name;
    if (e.isDirectory()) sources(rel, out);
    else if (e.name.endsWith(".ts")) out.push(rel);
    if (out.length > MAX_FILES) throw new Error("more than " + MAX_FILES + " files under " + dir);
  }
  return out;
}

/** Repository-relative targets of the relative imports and requires of `file` (comments stripped). */
export function importsOf(file: string, text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) {
    const spec = m[1];
    if (!spec.startsWith(".")) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
  }
  return out;
}

function edges(dirs: string[]): Edge[] {
  const out: Edge[] = [];
  for (const d of dirs) {
    for (const f of sources(d, [])) for (const to of importsOf(f, fs.readFileSync(path.join(ROOT, f), "utf8"))) out.push({ from: f, to });
  }
  return out;
}

function breaks(all: Edge[], from: (f: string) => boolean, to: (t: string) => boolean): string[] {
  return all.filter((e) => from(e.from) && to(e.to)).map((e) => e.from + " -> " + e.to);
}

const ALL = edges(["src", "hal", "cli", "firmware", "test"]);
const isHalInterface = (t: string) => /^hal\/[^/]+$/.test(t);

test("the scan sees the imports it checks", () => {
  assert.ok(ALL.length > 300, `${ALL.length} imports found`);
  assert.ok(ALL.some((e) => e.from === "src/txn/engine.ts" && e.to === "src/txn/engine-state"));
  assert.ok(ALL.some((e) => e.from === "hal/shared/wall.ts" && e.to === "src/time/calendar"));
});

test("src/ imports no platform adapter, cli/, firmware/ or test/", () => {
  const bad = breaks(ALL, (f) => f.startsWith("src/"), (t) => (t.startsWith("hal/") && !isHalInterface(t)) || /^(cli|firmware|test)\//.test(t));
  assert.equal(bad, []);
});

test("hal/ imports nothing from src/txn/", () => {
  assert.equal(breaks(ALL, (f) => f.startsWith("hal/"), (t) => t.startsWith("src/txn/")), []);
});

test("src/txn/ imports nothing from src/sim/ (it needs the Flash interface only)", () => {
  assert.equal(breaks(ALL, (f) => f.startsWith("src/txn/"), (t) => t.startsWith("src/sim/")), []);
});

test("the checks catch a break (a planted import is reported)", () => {
  const planted = importsOf("src/txn/x.ts", 'import { a } from "../../hal/nodemcu/clock";\n// import { b } from "../../cli/main";\n');
  assert.equal(planted, ["hal/nodemcu/clock"]);
  const e = [{ from: "src/txn/x.ts", to: planted[0] }];
  assert.equal(breaks(e, (f) => f.startsWith("src/"), (t) => t.startsWith("hal/") && !isHalInterface(t)), ["src/txn/x.ts -> hal/nodemcu/clock"]);
});

test.run();
