import { test } from "uvu";
import * as assert from "uvu/assert";
import { FrameReader, MAX_FRAME_BYTES } from "../../src/host/frame";
import { mismatch, replyMti } from "../../src/host/exchange";
import { concat, fromHex, toHex, alloc, writeU16 } from "../../src/bytes/index";
import { TerminalRunner } from "../../src/host/runner";
import { LinkOptions } from "../../hal/link";
import { TimerOptions, WallTime } from "../../hal/clock";
import { TxnEngine } from "../../src/txn/engine";
import { OpResult, OP_SALE, OP_SIGNIN } from "../../src/txn/types";
import { MemoryJournal } from "../support/memory-journal";
import { TestSecurity, testField62 } from "../support/test-security";
import { CUP_CODEC } from "../../src/host/cup";
import { TestAcquirer } from "../support/test-acquirer";
import { CARD, TEST_CONFIG, op } from "../support/harness";

test("frame reader: partial reads, two frames in one read, bad lengths", () => {
  const r = new FrameReader();
  assert.equal(r.push(fromHex("00")).frames.length, 0);
  assert.equal(r.push(fromHex("03AA")).frames.length, 0);
  const got = r.push(fromHex("BBCC0001DD"));
  assert.equal(got.frames.map((f) => toHex(f)), ["0003AABBCC", "0001DD"]);
  assert.is(r.pending(), 0);
  const big = alloc(2);
  writeU16(big, 0, MAX_FRAME_BYTES + 1);
  assert.match(r.push(big).error, /outside/);
  assert.match(r.push(fromHex("0000")).error, /outside/);
  assert.is(r.pending(), 0);
});

test("frame reader: a read longer than the buffer holding many frames is bounded", () => {
  const r = new FrameReader();
  const parts = [];
  for (let i = 0; i < 20; i++) parts.push(fromHex("0001EE"));
  const got = r.push(concat(parts));
  assert.is(got.frames.length, 8, "at most 8 frames per read");
  assert.is(r.pending(), 12 * 3, "the rest waits for the next read");
});

test("reply MTI and matching rules", () => {
  assert.is(replyMti("0200"), "0210");
  assert.is(replyMti("0400"), "0410");
  assert.is(replyMti("0800"), "0810");
  assert.throws(() => replyMti("0290"), /no reply class/);
  const req = { mti: "0200", fields: { "3": "000000", "11": "000001", "41": "T1", "42": "M1" } };
  assert.is(mismatch(req, { mti: "0210", fields: { ...req.fields, "39": "00" } }), "");
  assert.match(mismatch(req, { mti: "0210", fields: { ...req.fields, "11": "000002" } }), /field 11/);
  assert.match(mismatch(req, { mti: "0210", fields: { "3": "000000", "11": "000001", "41": "T1" } }), /field 42/);
  assert.match(mismatch(req, { mti: "0230", fields: req.fields }), /MTI/);
});

test("runner: HAL callbacks in, HAL calls out (link loop-back to the test acquirer, clock timers)", async () => {
  const acqSm = new TestSecurity();
  acqSm.installWorkingKeys(fromHex(testField62(77)));
  const acq = new TestAcquirer({ codec: CUP_CODEC, security: acqSm, field62: testField62(77) });
  let opts: LinkOptions | undefined;
  let inbox = alloc(0);
  const timers: { id: number; o: TimerOptions }[] = [];
  let wall: WallTime = { year: 2026, month: 3, day: 4, hour: 5, minute: 6, second: 7 };
  let answer = true;
  const printed: string[] = [];
  const results: OpResult[] = [];
  const runner = new TerminalRunner({
    engine: new TxnEngine({ journal: new MemoryJournal(), security: new TestSecurity(), codec: CUP_CODEC, config: TEST_CONFIG }),
    address: "loopback",
    openLink: (o) => {
      opts = o;
      return {
        write: (data, off, n) => {
          const reply = answer ? acq.handle(data) : undefined;
          if (reply !== undefined) inbox = reply;
          if (reply !== undefined) setTimeout(() => opts!.onReadable(1), 0);
          return n;
        },
        read: (into, off, max) => {
          const n = Math.min(max, (inbox as unknown as Uint8Array).length);
          for (let i = 0; i < n; i++) (into as unknown as Uint8Array)[off + i] = (inbox as unknown as Uint8Array)[i];
          inbox = (inbox as unknown as Uint8Array).slice(n) as never;
          return n;
        },
        close: () => undefined,
      };
    },
    clock: {
      now_ms: () => 0,
      wall: () => wall,
      setWall: (w) => { wall = w; },
      start: (o) => { timers.push({ id: timers.length + 1, o }); return timers.length; },
      cancel: (id) => { const t = timers.find((x) => x.id === id); if (t) t.o = { delay_ms: 0, onFire: () => undefined }; },
    },
    printer: { columns: 32, write: () => true, line: (t) => { printed.push(t); return true; }, feed: () => undefined, cut: () => undefined, resume: () => undefined, close: () => undefined },
    onResult: (r) => results.push(r),
  });
  runner.start();
  runner.operate(op(OP_SIGNIN));
  await until(() => results.length >= 1, "the sign-in result");
  assert.is(results[0].text, "signed in");
  assert.is(wall.month, 1, "clock set from the 0810");
  runner.operate(op(OP_SALE, { amount_minor: 4200, card: CARD }));
  await until(() => results.length >= 2, "the sale result");
  assert.is(results[1].ok, true);
  assert.ok(printed.some((l) => l === "CARD 621483******0009"));
  answer = false;
  runner.operate(op(OP_SALE, { amount_minor: 4300, card: CARD }));
  timers[timers.length - 1].o.onFire(); // the reply never comes: the clock timer fires
  assert.match(results[2].text, /reversal 98 queued/);
});

/** Waits (in 5 ms steps, at most 10 s) until `cond` holds; fails naming `what` otherwise. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}

test.run();
