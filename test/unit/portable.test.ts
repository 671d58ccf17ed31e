import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "path";
import { checkPortable, formatViolation, projectOptions, tsFilesUnder } from "../../cli/portable/check";
import { RULES } from "../../cli/portable/rules";
import { ROOT } from "../../cli/paths";

const FIXTURES = path.join(ROOT, "test/fixtures/portable");

test("src/ and the hal/ interfaces are inside the portable subset", () => {
  const opts = projectOptions(ROOT);
  assert.ok(opts.files.some((f) => f.endsWith(path.join("src", "bytes", "index.ts"))), "checker sees src/");
  const found = checkPortable(opts).map(formatViolation);
  assert.equal(found, [], found.join("\n"));
});

test("the device code (platform HALs, part drivers, board profiles, shared device app, entries) is inside the portable subset too", () => {
  const dirs = ["hal/shared", "hal/espruino", "hal/nodemcu", "hal/drivers", "firmware/device", "firmware/boards", "firmware/drivers-bench"].map((d) => path.join(ROOT, d));
  const files = [...dirs.flatMap((d) => tsFilesUnder(d)), path.join(ROOT, "firmware/espruino/main.ts"), path.join(ROOT, "firmware/nodemcu/main.ts")];
  assert.ok(files.length >= 14, "device files found: " + files.length);
  const found = checkPortable({ root: ROOT, files, importDirs: [path.join(ROOT, "src"), ...dirs], interfaceDirs: [path.join(ROOT, "hal")] }).map(formatViolation);
  assert.equal(found, [], found.join("\n"));
});

test("each fixture fires exactly its own rule, and every rule has a fixture", () => {
  const files = tsFilesUnder(FIXTURES, true);
  const found = checkPortable({ root: ROOT, files, importDirs: [path.join(ROOT, "src"), FIXTURES], interfaceDirs: [path.join(ROOT, "hal")] });
  const covered: string[] = [];
  for (const f of files) {
    const rule = path.basename(f).split(".")[0];
    const rel = path.relative(ROOT, f).split(path.sep).join("/");
    const mine = found.filter((v) => v.file === rel);
    assert.equal(mine.map((v) => v.rule), [rule], `${rel}: ${mine.map(formatViolation).join(" | ")}`);
    covered.push(rule);
  }
  for (const r of RULES) assert.ok(covered.includes(r.id), `no fixture for rule ${r.id}`);
});

test("allowed constructs give no violation", () => {
  const file = path.join(ROOT, "test/fixtures/portable-clean.ts");
  const found = checkPortable({ root: ROOT, files: [file], importDirs: [path.join(ROOT, "src")], interfaceDirs: [] });
  assert.equal(found.map(formatViolation), []);
});

test.run();
