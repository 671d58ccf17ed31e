// Issue 14: the acquirer simulator's modules import one another in one direction only (no
// circle, type-only imports included).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";

const DIR = path.resolve(__dirname, "..", "..", "..", "..", "cli", "acquirer");

/** Relative imports of each module in DIR, by module name. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(DIR, f), "utf8");
    const deps: string[] = [];
    const re = /^(?:import|export)[^;]*?from\s+"\.\/([\w-]+)"/gm;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) deps.push(m[1]);
    g.set(f.replace(/\.ts$/, ""), deps);
  }
  return g;
}

/** A circle of imports as "a → b → a", or "" when there is none. */
function findCircle(g: Map<string, string[]>): string {
  const state = new Map<string, number>(); // 1 on the path, 2 done
  const pathStack: string[] = [];
  const visit = (n: string): string => {
    if (state.get(n) === 2) return "";
    if (state.get(n) === 1) return [...pathStack.slice(pathStack.indexOf(n)), n].join(" → ");
    state.set(n, 1);
    pathStack.push(n);
    for (const d of g.get(n) ?? []) {
      const c = visit(d);
      if (c !== "") return c;
    }
    pathStack.pop();
    state.set(n, 2);
    return "";
  };
  for (const n of g.keys()) {
    const c = visit(n);
    if (c !== "") return c;
  }
  return "";
}

test("cli/acquirer: no import circle", () => {
  const g = graph();
  assert.ok(g.size >= 10 && (g.get("core") ?? []).includes("financial"), "the graph was read");
  assert.is(findCircle(g), "");
  assert.is(findCircle(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]])), "a → b → c → a", "the finder finds one");
});

test.run();
