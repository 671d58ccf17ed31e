// The Espruino device file in the ES5 test engine on the Espruino mocks (test/fixtures): the
// acquirer's replies and the board's files first, `parts` (extra mocks) before the device
// file, which boots inside a function, then `scenario`. Returns what the run printed.
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { DIST, ROOT } from "../../cli/paths";
import { ES5, spawnEngine } from "../../cli/engines";

export const ES5_DEVICE = path.join(DIST, "espruino", "posrt.js");
export const ES5_MOCKS = path.join(ROOT, "test/fixtures/espruino-mocks.js");

export function runDeviceInDuk(name: string, replies: string[], files: Record<string, string>, parts: string[], scenario: string): string {
  const code = [
    "var __REPLIES = " + JSON.stringify(replies) + ", __FILES = " + JSON.stringify(files) + ";",
    fs.readFileSync(ES5_MOCKS, "utf8"),
    ...parts,
    "function __boot() {\n" + fs.readFileSync(ES5_DEVICE, "utf8") + "\n}",
    "__boot();",
    scenario,
  ].join("\n");
  const file = path.join(DIST, "es5", name + ".js");
  fs.writeFileSync(file, code);
  const p = spawnEngine(ES5, [file]);
  assert.is(p.error, undefined, `cannot run ${ES5.name}`);
  assert.is(p.status, 0, p.stdout + p.stderr);
  return p.stdout;
}
