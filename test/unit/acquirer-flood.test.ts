// Issue 11, acquirer point 6: 2,000 idle or trickling connections (all from 127.0.0.1, like
// the terminals) do not stop 100 terminals from being served; a frame trickled a byte at a
// time is cut off at the whole-frame deadline. Needs about 2,500 file descriptors (ulimit -n).
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as net from "net";
import { AcquirerCore } from "../../cli/acquirer/core";
import { FaultyAcquirer, parseFaultSpec } from "../../cli/acquirer/faults";
import { DEFAULT_LIMITS, startServer } from "../../cli/acquirer/server";
import { runClients } from "../../cli/acquirer/load";

const FLOOD = 2000;
const TERMINALS = 100;
const FRAME_DEADLINE_MS = 400;

function open(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    s.once("connect", () => resolve(s));
    s.once("close", () => resolve(s));
  });
}

async function openMany(port: number, n: number, batch: number): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  for (let i = 0; i < n; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => open(port)))));
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(what + ": no answer within " + ms + " ms")), ms).unref())]);
}

test("2,000 idle and trickling connections: 100 terminals are still served, tricklers are cut off", async () => {
  const core = new AcquirerCore({ seed: 3 });
  const running = await startServer({ acquirer: new FaultyAcquirer(core, parseFaultSpec("none")), port: 0, host: "127.0.0.1", limits: { frameDeadline_ms: FRAME_DEADLINE_MS } });
  const flood: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    // half trickle a frame one byte every 100 ms (each byte would have reset an idle timer), half send nothing
    const tricklers = await openMany(running.port, FLOOD / 2, 250);
    for (const s of tricklers) s.write(Buffer.from([0x00, 0x40]));
    timers.push(setInterval(() => { for (const s of tricklers) if (!s.destroyed) s.write(Buffer.from([0x30])); }, 100));
    flood.push(...tricklers, ...(await openMany(running.port, FLOOD / 2, 250)));
    // the kernel completes handshakes before the server accepts them: wait until it has seen all 2,000
    let during = running.stats();
    for (let i = 0; i < 100 && during.open + during.evicted + during.deadline < FLOOD; i++) {
      await new Promise((r) => setTimeout(r, 20));
      during = running.stats();
    }
    assert.is(during.open + during.evicted + during.deadline, FLOOD, "every flood connection reached the server");
    assert.ok(during.open <= DEFAULT_LIMITS.maxPerAddress, `open ${during.open} within the per-address cap`);
    assert.ok(during.evicted + during.deadline >= FLOOD - DEFAULT_LIMITS.maxPerAddress, `closed by the cap ${during.evicted}, by the deadline ${during.deadline}`);
    assert.ok(during.evicted > FLOOD / 4, `the cap made room (${during.evicted} evicted)`);
    const idleLeft = flood.slice(FLOOD / 2).filter((s) => !s.destroyed).length;
    assert.ok(idleLeft > DEFAULT_LIMITS.maxPerAddress / 2, `the table is full of idle connections (${idleLeft}) when the terminals come`);
    // 100 terminals: sign-in, 3 transactions each, settlement; every one must balance
    const tally = await withTimeout(runClients(running.port, { connections: TERMINALS, transactions: 3 * TERMINALS, seed: 8 }), 20000, "terminals");
    assert.is(tally.approved + tally.declined, 3 * TERMINALS, "every transaction answered");
    assert.is(tally.balanced, TERMINALS, "every terminal settled");
    // a lone trickler on a quiet server: a byte every 100 ms does not keep it open past the deadline
    const lone = await open(running.port);
    const closed = new Promise<number>((r) => { const t0 = Date.now(); lone.once("close", () => r(Date.now() - t0)); });
    lone.write(Buffer.from([0x00, 0x40]));
    let sent = 0;
    timers.push(setInterval(() => { if (!lone.destroyed) { lone.write(Buffer.from([0x31])); sent++; } }, 100));
    const after = await withTimeout(closed, FRAME_DEADLINE_MS * 4, "trickler");
    assert.ok(sent >= 3 && after >= FRAME_DEADLINE_MS, `closed after ${after} ms and ${sent} trickled bytes`);
    assert.ok(running.stats().deadline >= 1);
  } finally {
    for (const t of timers) clearInterval(t);
    for (const s of flood) s.destroy();
    await running.close();
  }
});

test.run();
