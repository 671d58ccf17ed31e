import { test } from "uvu";
import * as assert from "uvu/assert";
import * as net from "net";
import { AcquirerCore } from "../../cli/acquirer/core";
import { TestTerminal } from "../../cli/acquirer/client";
import { FAULT_KINDS, FaultyAcquirer, parseFaultSpec } from "../../cli/acquirer/faults";
import { startServer } from "../../cli/acquirer/server";
import { runLoad } from "../../cli/acquirer/load";
import { Rng } from "../../cli/acquirer/rng";
import { WIRE_OVERHEAD_BYTES } from "../../src/iso8583/index";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const PAN = "6214830000000009";

function signedIn(core: AcquirerCore, tid = "T0000001"): TestTerminal {
  const term = new TestTerminal({ tid, mid: "M00000000000001" });
  term.acceptSignIn(core.handle(term.signIn(), NOW) as Uint8Array);
  return term;
}

function balance(core: AcquirerCore): number {
  return core.accounts().find((a) => a.pan === PAN)?.balance_minor as number;
}

test("load: 100 connections, 10,000 transactions on loopback, no money lost or duplicated", async () => {
  const r = await runLoad({ connections: 100, transactions: 10000, seed: 5 });
  assert.is(r.transactions, 10000);
  assert.is(r.approved + r.declined, 10000);
  assert.ok(r.declined > 0 && r.approved > 9000, `approved ${r.approved}, declined ${r.declined}`);
  assert.is(r.money_mismatches, 0);
  assert.is(r.books_unbalanced, false);
  assert.is(r.settled_balanced, 100, "every terminal's totals agree with the acquirer's");
});

test("fuzz: 4,000 garbage and mutated frames never crash the core and never move money", () => {
  const core = new AcquirerCore({ seed: 1 });
  const term = signedIn(core);
  const rng = new Rng(77);
  const seeds = [term.sale(PAN, 1000), term.refund(PAN, 1, "000000000001", "1126"), term.reversalOf(term.sale(PAN, 5), "98"), term.settlement("0".repeat(31)), term.signIn()];
  const before = balance(core);
  let closed = 0;
  for (let i = 0; i < 4000; i++) {
    let frame: Uint8Array;
    if (i % 4 === 0) {
      frame = rng.bytes(2 + rng.below(300));
      if (i % 8 === 0 && frame.length >= 2) { frame[0] = (frame.length - 2) >>> 8; frame[1] = (frame.length - 2) & 0xff; }
    } else {
      frame = seeds[i % seeds.length].slice();
      // Flips land in the MAC-covered message (MTI onward, after the 2-byte length, 5-byte TPDU
      // and 6-byte header): a flip in TPDU or header alone leaves a valid request, which may move money.
      const flips = 1 + rng.below(4);
      // flips land in the ISO message (the TPDU and header before it are not authenticated: a
      // request with only those changed is still the terminal's request)
      for (let k = 0; k < flips; k++) frame[WIRE_OVERHEAD_BYTES + rng.below(frame.length - WIRE_OVERHEAD_BYTES)] ^= 1 << rng.below(8);
      if (i % 7 === 0) frame = frame.slice(0, 2 + rng.below(frame.length - 2));
    }
    const a = core.respond(frame as never, NOW); // must not throw
    if (a.close) closed++;
  }
  assert.ok(closed > 1000, `garbage closes the connection (${closed})`);
  assert.is(balance(core), before, "a mutated frame fails its MAC (A0) or parsing; none moved money");
  assert.is(term.read(core.handle(term.sale(PAN, 300), NOW) as Uint8Array).msg.fields["39"], "00", "still serving");
});

test("server: garbage closes only its own connection; other terminals keep being served", async () => {
  const core = new AcquirerCore({ seed: 1 });
  const running = await startServer({ acquirer: new FaultyAcquirer(core, parseFaultSpec("none")), port: 0, host: "127.0.0.1" });
  try {
    const good = signedIn(core);
    const ok = net.connect(running.port, "127.0.0.1");
    await new Promise((r) => ok.once("connect", r));
    for (const junk of [Buffer.from("GET / HTTP/1.1\r\n\r\n"), Buffer.from([0xff, 0xff, 1, 2, 3]), Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5]), Buffer.concat([Buffer.from([0x00, 0x30]), Buffer.alloc(0x30, 0x99)])]) {
      const bad = net.connect(running.port, "127.0.0.1");
      const ended = new Promise<void>((r) => bad.on("close", () => r()));
      bad.on("error", () => undefined);
      bad.write(junk);
      await ended;
    }
    const reply = await new Promise<Buffer>((resolve) => {
      ok.once("data", (b: Buffer) => resolve(b));
      ok.write(good.sale(PAN, 1234));
    });
    assert.is(good.read(new Uint8Array(reply)).msg.fields["39"], "00");
    ok.destroy();
  } finally {
    await running.close();
  }
});

test("faults: each kind does what it says, deterministically", () => {
  const core = new AcquirerCore({ seed: 1 });
  const term = signedIn(core);
  const faulty = new FaultyAcquirer(core, parseFaultSpec("delay_ms=30000"));
  const clean = (f: Uint8Array) => faulty.handle(f, NOW);
  let before = balance(core);
  faulty.force("drop_request");
  let o = clean(term.sale(PAN, 100));
  assert.equal([o.deliveries.length, balance(core)], [0, before], "drop_request: not processed");
  faulty.force("drop_reply");
  o = clean(term.sale(PAN, 100));
  assert.equal([o.deliveries.length, balance(core)], [0, before - 100], "drop_reply: processed, no reply");
  before = balance(core);
  faulty.force("delay");
  o = clean(term.sale(PAN, 100));
  assert.is(o.deliveries[0].at_ms, NOW + 30000);
  faulty.force("duplicate");
  o = clean(term.sale(PAN, 100));
  assert.is(o.deliveries.length, 2);
  assert.equal(o.deliveries[0].frame, o.deliveries[1].frame);
  faulty.force("wrong_stan");
  const req = term.sale(PAN, 100);
  o = clean(req);
  const r = term.read(o.deliveries[0].frame);
  assert.ok(r.macOk, "wrong_stan keeps an authentic MAC");
  assert.is.not(r.msg.fields["11"], term.read(req).msg.fields["11"]);
  faulty.force("corrupt");
  o = clean(term.sale(PAN, 100));
  let readable = true;
  try {
    readable = term.read(o.deliveries[0].frame).macOk;
  } catch {
    readable = false;
  }
  assert.not.ok(readable, "corrupt: unparseable or MAC fails");
  faulty.force("close");
  o = clean(term.sale(PAN, 100));
  const part = o.deliveries[0].frame;
  assert.ok(o.close && o.deliveries.length === 1, "close: one delivery, then the connection closes");
  assert.ok(part.length < 2 + part[0] * 256 + part[1], "close: the reply is cut short of its length prefix");
  const a = new FaultyAcquirer(new AcquirerCore({ seed: 1 }), parseFaultSpec("net,seed=9"));
  const b = new FaultyAcquirer(new AcquirerCore({ seed: 1 }), parseFaultSpec("net,seed=9"));
  const junk = new Uint8Array([0, 1, 0]);
  const seqA = Array.from({ length: 300 }, () => a.handle(junk, NOW).fault);
  const seqB = Array.from({ length: 300 }, () => b.handle(junk, NOW).fault);
  assert.equal(seqA, seqB);
  assert.ok(FAULT_KINDS.every((k) => seqA.includes(k)), "net preset reaches every kind in 300 messages");
});

test("fault specs: presets, explicit kinds, clear errors", () => {
  assert.is(parseFaultSpec("none").p.drop_reply, undefined);
  assert.is(parseFaultSpec("net").p.close, 0.01);
  assert.equal(parseFaultSpec("drop_reply=0.5,delay_ms=100,seed=3"), { p: { drop_reply: 0.5 }, delay_ms: 100, seed: 3 });
  assert.throws(() => parseFaultSpec("drop=0.1"), /unknown kind "drop"/);
  assert.throws(() => parseFaultSpec("drop_reply=0.7,delay=0.7"), /more than 1/);
  assert.throws(() => parseFaultSpec("delay=x"), /non-negative number/);
});

test.run();
