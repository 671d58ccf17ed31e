import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { DIST, ROOT } from "../../cli/paths";
import { LUA, spawnLua } from "../../cli/engines";
import { devConfigFiles } from "../../cli/device/dev-config";

const SOURCE = path.join(DIST, "nodemcu", "posrt.lua");
const BYTECODE = path.join(DIST, "nodemcu", "posrt.luac");
const NODEMCU_MOCKS = path.join(ROOT, "test", "fixtures", "nodemcu-mocks.lua");

function runLua(file: string): string {
  // the device file boots on NodeMCU modules: the mocks stand in for them
  const cfg = devConfigFiles(8583);
  const files = Object.keys(cfg).map((k) => `[${JSON.stringify(k)}] = ${JSON.stringify(cfg[k])}`).join(", ");
  const p = spawnLua(["-e", `FILES = { ${files} } dofile(${JSON.stringify(NODEMCU_MOCKS)})`, file]);
  assert.is(p.status, 0, `${LUA.name} ${file}: ${p.stderr ?? String(p.error)}`);
  return p.stdout;
}

test("posrt.luac is stripped Lua 5.3 bytecode, smaller than the source", () => {
  assert.ok(fs.existsSync(BYTECODE), "no posrt.luac");
  const head = fs.readFileSync(BYTECODE).subarray(0, 5);
  assert.equal([...head], [0x1b, 0x4c, 0x75, 0x61, 0x53], "signature ESC 'Lua' + version 5.3");
  assert.ok(fs.statSync(BYTECODE).size < fs.statSync(SOURCE).size);
});

test(`${LUA.name} runs posrt.luac exactly like posrt.lua (self-test passes)`, () => {
  const out = runLua(BYTECODE);
  assert.match(out, / ready: batch 000001/);
  assert.is(out, runLua(SOURCE));
});

test.run();
