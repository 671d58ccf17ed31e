// The README's examples, run as written, so they cannot drift: every line of a ```sh block that
// calls posrt or scripts/build.js (npm lines are what runs this test), and every ```json vector
// file, which must pass on node, es5 and lua. Examples that take minutes run with the same
// options at a smaller size (at most 3 seeds, at most 100 crashtest operations): the commands,
// options and success are checked here, the README states their full-size timings.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-readme-"));
/** Examples run at most this many seeds / crashtest operations. */
const MAX_SEEDS = 3;
const MAX_CRASH_OPS = 100;

interface Block {
  lang: string;
  text: string;
}

function blocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (let m = re.exec(md); m !== null; m = re.exec(md)) out.push({ lang: m[1], text: m[2] });
  return out;
}

/** The command lines of the sh blocks, comments removed. */
export function shellExamples(md: string): string[] {
  const lines: string[] = [];
  for (const b of blocks(md)) {
    if (b.lang !== "sh") continue;
    for (const raw of b.text.split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      if (line === "" || line.startsWith("#") || line.startsWith("npm ")) continue;
      if (/\bposrt\b|scripts\/build\.js/.test(line)) lines.push(line);
    }
  }
  return lines;
}

/** The line as run here: the repository's bin and scripts, smaller sizes for the long ones. */
function runnable(line: string): string {
  let s = line
    .replace(/\bnpx posrt\b/g, `node ${JSON.stringify(path.join(ROOT, "bin", "posrt.js"))}`)
    .replace(/\bnode bin\/posrt\.js\b/g, `node ${JSON.stringify(path.join(ROOT, "bin", "posrt.js"))}`)
    .replace(/\bnode scripts\/build\.js\b/g, `node ${JSON.stringify(path.join(ROOT, "scripts", "build.js"))}`)
    .replace(/(^|\s)@(test\/\S+)/g, (_m, sp: string, f: string) => `${sp}@${path.join(ROOT, f)}`)
    .replace(/--seeds (\d+)\.\.(\d+)/, (_m, a: string, b: string) => `--seeds ${a}..${Math.min(Number(b), Number(a) + MAX_SEEDS - 1)}`);
  if (/ crashtest /.test(s)) s = s.replace(/--ops (\d+)/, (_m, n: string) => `--ops ${Math.min(Number(n), MAX_CRASH_OPS)}`);
  return s;
}

test("the README has examples to run", () => {
  assert.ok(shellExamples(README).length >= 8, shellExamples(README).join("\n"));
});

for (const line of shellExamples(README)) {
  test(`README example runs: ${line}`, () => {
    assert.not.match(line, /[[\]]|\.\.\.|…|<\w+>/, "an example must be a command as typed, not a synopsis");
    const r = spawnSync("sh", ["-c", runnable(line)], { cwd: TMP, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.is(r.status, 0, `${runnable(line)}\n${r.stdout}\n${r.stderr}`);
  });
}

test("the README's vector file passes on node, es5 and lua", () => {
  const vectors = blocks(README).filter((b) => b.lang === "json" && b.text.includes('"suite"'));
  assert.ok(vectors.length > 0, "no vector example");
  const dir = path.join(TMP, "vectors");
  fs.mkdirSync(dir, { recursive: true });
  vectors.forEach((b, i) => fs.writeFileSync(path.join(dir, `readme-${i}.json`), b.text));
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "posrt.js"), "conformance", "--runtime", "all", "--vectors", dir], { encoding: "utf8" });
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const rt of ["node", "es5", "lua"]) assert.match(r.stdout, new RegExp(`^${rt}: [1-9]\\d* passed, 0 failed$`, "m"));
});

test.after(() => fs.rmSync(TMP, { recursive: true, force: true }));

test.run();
