// A board that did not answer in time: both interpreter sessions throw a BoardTimeout
// (cli/device/board-timeout.ts), a display watch's marked as such, and `posrt device run`
// (ScriptRun) waits again only on that type while the acquirer keeps receiving messages, never
// on an error's text. The sessions run on a process that never answers (Node reading its script
// from a stdin that never ends) or on the Lua host with a call that waits for a line that never
// comes, with timeouts of a few tens of milliseconds.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BoardTimeout } from "../../cli/device/board-timeout";
import { Board } from "../../cli/device/boards";
import { EspruinoBoard } from "../../cli/device/espruino-session";
import { LuaBoard } from "../../cli/device/lua-session";
import { luaHost } from "../../cli/device/lua-host";
import { MAX_EXPECT_EXTENSIONS, ScriptRun } from "../../cli/device/run";

const SHORT_MS = 40;

/** A board whose display watch answers with `answers` in turn: a value, or an error thrown. */
function fakeRun(answers: (boolean | Error)[]): { run: ScriptRun; calls: () => number } {
  let calls = 0;
  const board = {
    actThenExpect: async (): Promise<boolean> => {
      const a = answers[Math.min(calls++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
  };
  const run = new ScriptRun({ target: "espruino", bin: "", dir: "" });
  run.board = board as unknown as Board;
  let messages = 0;
  run.progress = () => ++messages; // the board keeps talking to the acquirer
  return { run, calls: () => calls };
}

const watchTimeout = (): BoardTimeout => new BoardTimeout("espruino: no answer to the display to show \"Approved\" in 80000 ms; last output: ", 'the display to show "Approved"', true, false);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

test("ScriptRun: a display watch's BoardTimeout while the acquirer gets messages waits again", async () => {
  const { run, calls } = fakeRun([watchTimeout(), true]);
  assert.is(await run.flush("Approved"), true);
  assert.is(calls(), 2);
  assert.is(run.timing.expect_extensions, 1);
});

test("ScriptRun: at most MAX_EXPECT_EXTENSIONS waits again, then the expect fails", async () => {
  const answers: (boolean | Error)[] = [];
  for (let i = 0; i <= MAX_EXPECT_EXTENSIONS + 1; i++) answers.push(watchTimeout());
  const r = fakeRun(answers);
  assert.is(await r.run.flush("Approved"), false);
  assert.is(r.calls(), MAX_EXPECT_EXTENSIONS + 1);
  assert.is(r.run.timing.expect_extensions, MAX_EXPECT_EXTENSIONS);
});

test("ScriptRun: the type decides, not the text: an Error with the session's old text is thrown on", async () => {
  const plain = new Error("espruino: no answer to the display to show \"Approved\" in 80000 ms; last output: ");
  const { run } = fakeRun([plain, true]);
  assert.is(await rejection(run.flush("Approved")), plain);
  assert.is(run.timing.expect_extensions, 0);
});

test("ScriptRun: a console call's timeout, or a watch's after the interpreter exited, is thrown on", async () => {
  const call = new BoardTimeout("some text", "posrt.key(\"1\")", false, false);
  const a = fakeRun([call, true]);
  assert.is(await rejection(a.run.flush("Approved")), call);
  const exited = new BoardTimeout("some text", 'the display to show "Approved"', true, true);
  const b = fakeRun([exited, true]);
  assert.is(await rejection(b.run.flush("Approved")), exited);
  const noProgress = fakeRun([watchTimeout(), true]);
  noProgress.run.progress = undefined;
  assert.instance(await rejection(noProgress.run.flush("Approved")), BoardTimeout, "without progress to follow a watch's timeout is thrown on");
});

/** An Espruino session on a process that takes every line and never answers. */
function silentEspruino(): { board: EspruinoBoard; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-timeout-"));
  const board = new EspruinoBoard(process.execPath, dir);
  board.call_timeout_ms = SHORT_MS;
  return { board, dir };
}

test("Espruino session: a call and a display watch without answer are BoardTimeouts, the watch marked", async () => {
  const { board, dir } = silentEspruino();
  try {
    const c = await rejection(board.call("1"));
    assert.instance(c, BoardTimeout);
    assert.is((c as BoardTimeout).watch, false);
    assert.is((c as BoardTimeout).exited, false);
    const w = await rejection(board.expectScreen([], "Approved", SHORT_MS));
    assert.instance(w, BoardTimeout);
    assert.is((w as BoardTimeout).watch, true);
    assert.match((w as BoardTimeout).message, /^espruino: no answer to the display to show "Approved" in \d+ ms/);
    // the actions before the watch time out first: that error is the call's, and the watch's own
    // later timeout is no unhandled rejection (it would end this process)
    const a = await rejection(board.expectScreen(['posrt.key("1")'], "Approved", SHORT_MS));
    assert.instance(a, BoardTimeout);
    assert.is((a as BoardTimeout).watch, false);
    await new Promise((r) => setTimeout(r, 4 * SHORT_MS));
  } finally {
    await board.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Lua session: a call without answer is a BoardTimeout (never a display watch)", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-timeout-"));
  const firmware = path.join(dir, "empty.lua");
  fs.writeFileSync(firmware, "-- no firmware\n");
  const board = new LuaBoard(h.bin!, dir, 0, 0, firmware);
  try {
    await board.boot(5000);
    assert.is(await board.call("1 + 1", 5000), "2");
    // the host waits for a console line that never comes
    const e = await rejection(board.call("host.readline()", SHORT_MS));
    assert.instance(e, BoardTimeout);
    assert.is((e as BoardTimeout).watch, false);
    assert.match((e as BoardTimeout).message, /^lua-host: no answer to host\.readline\(\)/);
  } finally {
    await board.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
