// AppRunner's hand-over mode (handoffTasks): work between the app and the engine runs in a
// clock timer of 0 ms of its own, and an event from outside first runs what is still waiting.
// Two runners, mode off and on, get the same inputs on a manual clock whose timers the test
// fires itself; the acquirer simulator answers through a fake Link, the journal is on the
// simulated NOR flash as in Session, the display records frames.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AppRunner } from "../../src/app/runner";
import { parseScript, STEP_EXPECT, STEP_INSERT, STEP_KEY, STEP_REMOVE, STEP_SWIPE, STEP_TAP, STEP_WAIT } from "../../src/app/script";
import { findCard } from "../../src/app/cards";
import { CARD_REMOVE } from "../../src/app/types";
import { TERMINAL_CONFIG, terminalFlash } from "../../src/app/config";
import { SESSION_EPOCH_MS, ACQUIRER_LATENCY_MS } from "../../src/app/session";
import { MemoryAppStore, storeOf } from "../../src/app/store";
import { openJournal } from "../../src/journal/recover";
import { SoftSecurity } from "../../src/crypto/soft-security";
import { profileHost } from "../../src/host/profile";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { Bytes, copy, len, slice, toHex } from "../../src/bytes/index";
import { Clock, TimerOptions, WallTime } from "../../hal/clock";
import { Display } from "../../hal/display";
import { Link, LinkOptions } from "../../hal/link";
import { Printer } from "../../hal/printer";
import { msOfWallTime, wallTimeOf } from "../../hal/shared/wall";
import { READY } from "../support/app-scripts";

interface FakeTimer {
  id: number;
  at: number;
  every: number;
  delay: number;
  onFire: () => void;
}

/** Manual time: nothing fires until the test says so; the earliest timer (then the oldest) first. */
class ManualClock implements Clock {
  t = 0;
  fired = 0;
  private wall0 = SESSION_EPOCH_MS;
  private timers: FakeTimer[] = [];
  private nextId = 1;
  now_ms(): number {
    return this.t;
  }
  wall(): WallTime {
    return wallTimeOf(this.wall0 + this.t);
  }
  setWall(w: WallTime): void {
    this.wall0 = msOfWallTime(w) - this.t;
  }
  start(o: TimerOptions): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + o.delay_ms, every: o.interval_ms ?? 0, delay: o.delay_ms, onFire: o.onFire });
    return id;
  }
  cancel(id: number): void {
    this.timers = this.timers.filter((x) => x.id !== id);
  }
  /** Timers of 0 ms waiting now (the runner's hand-overs). */
  zeroTimers(): number {
    return this.timers.filter((x) => x.delay === 0).length;
  }
  /** Fires the earliest timer (moving time to it); false when none is due by `until`. */
  fireNext(until = Infinity): boolean {
    let best: FakeTimer | undefined;
    for (const x of this.timers) if (best === undefined || x.at < best.at || (x.at === best.at && x.id < best.id)) best = x;
    if (best === undefined || best.at > until) return false;
    this.t = best.at;
    if (best.every > 0) best.at += best.every;
    else this.cancel(best.id);
    this.fired++;
    best.onFire();
    return true;
  }
}

/** One terminal: the journal on NOR flash as Session opens it, the software SecurityModule, fakes for the rest. */
class Rig {
  clock = new ManualClock();
  frames: string[] = [];
  /** Wire bytes in order: "out HEX" / "in HEX". */
  wire: string[] = [];
  runner: AppRunner;

  constructor(handoffTasks: boolean) {
    const flash = terminalFlash(1);
    flash.powerOn();
    const journal = openJournal(flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80 });
    const host = profileHost(undefined);
    const acquirer = embeddedAcquirer(1);
    const clock = this.clock;
    const rig = this;
    const display: Display = {
      rows: 8, columns: 32,
      line: (row, text) => { rows[row] = text; },
      clear: () => { rows = []; },
      flush: () => { rig.frames.push(clock.t + ": " + rows.join(" | ")); },
      close: () => undefined,
    };
    let rows: string[] = [];
    const printer: Printer = {
      columns: 32,
      // a job is on paper 5 ms later (an event from outside, as a printer driver gives it)
      write: () => { clock.start({ delay_ms: 5, onFire: () => rig.runner.printerStatus(true, "") }); return true; },
      line: () => true, feed: () => undefined, cut: () => undefined, resume: () => undefined, close: () => undefined,
    };
    const openLink = (o: LinkOptions): Link => {
      let inbox: Bytes | undefined;
      return {
        write(data: Bytes, off: number, n: number): number {
          const frame = slice(data, off, n);
          rig.wire.push("out " + toHex(frame));
          const reply = acquirer(frame, msOfWallTime(clock.wall()));
          if (reply !== undefined) {
            clock.start({ delay_ms: ACQUIRER_LATENCY_MS, onFire: () => {
              inbox = reply;
              rig.wire.push("in " + toHex(reply));
              o.onReadable(len(reply));
            } });
          }
          return n;
        },
        read(into: Bytes, off: number, max: number): number {
          if (inbox === undefined) return 0;
          const n = Math.min(max, len(inbox));
          copy(inbox, 0, into, off, n);
          inbox = n === len(inbox) ? undefined : slice(inbox, n, len(inbox) - n);
          return n;
        },
        close: () => undefined,
      };
    };
    this.runner = new AppRunner({
      journal, store: storeOf(journal, new MemoryAppStore()), security: new SoftSecurity({ mac_algorithm: host.mac_algorithm }), codec: host.codec,
      config: TERMINAL_CONFIG, openLink, address: "127.0.0.1:0", clock, display, printer, handoffTasks,
    });
    this.runner.start();
  }

  shows(text: string): boolean {
    return this.runner.screen().some((r) => r.includes(text));
  }

  /** Fires timers until `text` shows (65 s of clock time at most). */
  expect(text: string): void {
    const until = this.clock.t + 65000;
    for (let n = 0; n < 100000 && !this.shows(text); n++) if (!this.clock.fireNext(until)) break;
    assert.ok(this.shows(text), `"${text}" not shown; screen:\n${this.runner.screen().join("\n")}`);
  }

  /** Fires timers until the acquirer's next reply has arrived (nothing after it). */
  untilReply(): void {
    const n0 = this.wire.filter((w) => w.startsWith("in ")).length;
    for (let n = 0; n < 100000 && this.wire.filter((w) => w.startsWith("in ")).length === n0; n++) {
      assert.ok(this.clock.fireNext(this.clock.t + 65000), "no reply from the acquirer");
    }
  }

  /**
   * The `posrt terminal --script` steps (no power cuts) on this runner. `idle`: before each key
   * or card, the timers due by now run (a person is slower than the device's tasks), so no
   * hand-over waits when it comes; else keys may come while hand-overs wait.
   */
  play(script: string, idle = false): void {
    for (const st of parseScript(script)) {
      if (idle && st.k !== STEP_EXPECT && st.k !== STEP_WAIT) while (this.clock.fireNext(this.clock.t));
      if (st.k === STEP_KEY) this.runner.key(st.arg);
      else if (st.k === STEP_SWIPE || st.k === STEP_INSERT || st.k === STEP_TAP) this.runner.card(st.k, findCard(st.arg));
      else if (st.k === STEP_REMOVE) this.runner.card(CARD_REMOVE, undefined);
      else if (st.k === STEP_WAIT) {
        const until = this.clock.t + st.ms;
        while (this.clock.fireNext(until));
        this.clock.t = until;
      } else if (st.k === STEP_EXPECT) this.expect(st.arg);
      else throw new Error("step not supported here: line " + st.line);
    }
  }
}

/** Equal lists, else the first difference in one short message (frames are long). */
function same(on: string[], off: string[], what: string): void {
  let i = 0;
  while (i < on.length && i < off.length && on[i] === off[i]) i++;
  if (i === on.length && i === off.length) return;
  // a wire line only up to its MTI (no card data in a test log)
  const cut = (x: string | undefined): string => (x === undefined ? "(none)" : x.startsWith("out ") || x.startsWith("in ") ? x.slice(0, 48) + "..." : x);
  assert.unreachable(`${what} differ at #${i} of ${on.length} (on) / ${off.length} (off):\n  on:  ${cut(on[i])}\n  off: ${cut(off[i])}`);
}

const outs = (r: Rig): string[] => r.wire.filter((w) => w.startsWith("out "));
const PIN_ENTERED = "key enter\nkey 1\nkeys 2500\nkey enter\nswipe debit\nkeys 1234";
const SALE_END = "expect Tear off the\nkey enter\nexpect enter: menu";

test("sign-on, host sign-in and a swiped sale: the same frames and wire bytes with hand-over tasks as without", () => {
  const off = new Rig(false);
  const on = new Rig(true);
  const onIdle = new Rig(true);
  const script = READY + "\n" + PIN_ENTERED + "\nkey enter\n" + SALE_END;
  for (const r of [off, on]) r.play(script);
  onIdle.play(script, true);
  same(onIdle.frames, off.frames, "frames (tasks run between keys)");
  same(onIdle.wire, off.wire, "wire bytes (tasks run between keys)");
  assert.ok(outs(off).length >= 2, "sign-in and sale went out");
  assert.ok(off.frames.some((f) => f.includes("Tear off the")), "the sale was approved");
  same(on.frames, off.frames, "frames");
  same(on.wire, off.wire, "wire bytes");
  assert.ok(on.clock.fired > off.clock.fired, "the mode ran hand-overs in timers of their own");
});

test("mode on: the key that starts the sale sends nothing until its 0-ms timer fires", () => {
  const off = new Rig(false);
  const on = new Rig(true);
  for (const r of [off, on]) {
    r.play(READY + "\n" + PIN_ENTERED, true);
    while (r.clock.fireNext(r.clock.t));
  }
  const before = outs(on).length;
  assert.is(outs(off).length, before);
  off.runner.key("enter");
  assert.is(outs(off).length, before + 1, "without the mode the sale goes out at once");
  on.runner.key("enter");
  assert.is(outs(on).length, before, "nothing sent right after the key");
  assert.is(on.clock.zeroTimers(), 1, "one hand-over timer waits");
  const t = on.clock.t;
  assert.ok(on.clock.fireNext(), "the hand-over timer fires");
  assert.is(on.clock.t, t, "a 0-ms timer: no time passed");
  assert.is(outs(on).length, before + 1, "sent after the timer");
  assert.is(outs(on)[before], outs(off)[before], "the same sale request");
});

test("keys pressed while a hand-over waits run after it (drain): enter then cancel at once", () => {
  const off = new Rig(false);
  const on = new Rig(true);
  for (const r of [off, on]) {
    r.play(READY + "\n" + PIN_ENTERED, true);
    while (r.clock.fireNext(r.clock.t));
    r.runner.key("enter");
    r.runner.key("cancel");
  }
  same(on.frames, off.frames, "frames right after the two keys");
  same(on.wire, off.wire, "wire right after the two keys");
  for (const r of [off, on]) r.play("wait 40000\nkey enter\nkey cancel\nwait 2000");
  same(on.frames, off.frames, "frames");
  same(on.wire, off.wire, "wire bytes");
});

test("a key pressed while the approval waits for its hand-over reaches the app after it", () => {
  const off = new Rig(false);
  const on = new Rig(true);
  for (const r of [off, on]) {
    r.play(READY + "\n" + PIN_ENTERED + "\nkey enter", true);
    r.untilReply();
  }
  assert.ok(on.clock.zeroTimers() >= 1, "the reply's effects wait for their task");
  assert.not.ok(on.shows("Tear off the"), "not yet shown with the mode on");
  for (const r of [off, on]) {
    r.runner.key("enter");
    r.runner.key("enter");
  }
  same(on.frames, off.frames, "frames");
  same(on.wire, off.wire, "wire bytes");
  for (const r of [off, on]) r.play("expect enter: menu");
  same(on.frames, off.frames, "frames");
  same(on.wire, off.wire, "wire bytes");
});

test.run();
