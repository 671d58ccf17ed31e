// Load run against the acquirer over TCP loopback, clients and server in this one process:
// N connections (one terminal each, one request in flight, as a real terminal), a seeded mix
// of sales, voids, refunds and reversals, then every terminal settles. Used by the load test
// and by `posrt bench` (acquirer.tps, acquirer.p99_ms).
import * as crypto from "crypto";
import * as net from "net";
import { StateStore } from "./durable";
import { AcquirerCore } from "./core";
import { FaultyAcquirer, parseFaultSpec } from "./faults";
import { startServer } from "./server";
import { TestTerminal } from "./client";
import { Rng } from "./rng";
import { BatchTotals, TEST_CARDS, buildTotals48, padDigits } from "../../src/acquirer/protocol";
import { IsoMessage } from "../../src/iso8583/index";

export interface LoadOptions {
  connections: number;
  transactions: number;
  seed: number;
  /** When given, the server keeps durable state there (as `--state`): each changed request sealed, appended and fsync'ed before its reply. */
  stateFile?: string;
}

export interface LoadResult {
  transactions: number;
  elapsed_ms: number;
  tps: number;
  p50_ms: number;
  p99_ms: number;
  approved: number;
  declined: number;
  settled_balanced: number;
  /** Cards whose acquirer-side net movement differs from what the terminals were told. */
  money_mismatches: number;
  /** The acquirer's balances disagree with its own transactions (lost or duplicated money). */
  books_unbalanced: boolean;
}

/** Request/reply over one socket, cup framing, one request in flight. */
class Wire {
  private buf = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined = undefined;

  constructor(private sock: net.Socket) {
    sock.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      if (this.buf.length >= 2 && this.buf.length >= 2 + this.buf.readUInt16BE(0) && this.waiting !== undefined) {
        const n = 2 + this.buf.readUInt16BE(0);
        const frame = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        const w = this.waiting;
        this.waiting = undefined;
        w(frame);
      }
    });
  }

  ask(frame: Uint8Array): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.sock.write(frame);
    });
  }
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.setNoDelay(true);
    s.once("error", reject);
  });
}

export interface Tally {
  latencies: number[];
  approved: number;
  declined: number;
  balanced: number;
  /** Net money the terminals believe moved per card. */
  expected: Map<string, number>;
}

const PANS = [TEST_CARDS[0].pan, TEST_CARDS[1].pan, "6222020000000007", "4000000000000002"];

/** One terminal's session: sign in, `count` financial requests, settle. */
async function session(port: number, index: number, count: number, rng: Rng, tally: Tally): Promise<void> {
  const sock = await connect(port);
  const wire = new Wire(sock);
  const term = new TestTerminal({ tid: "L" + padDigits(index, 7, "tid"), mid: "M00000000000001" });
  term.acceptSignIn(await wire.ask(term.signIn()));
  const totals: BatchTotals = { debit_count: 0, debit_minor: 0, credit_count: 0, credit_minor: 0 };
  const live: { frame: Uint8Array; msg: IsoMessage; pan: string; amount: number }[] = [];
  const ask = async (frame: Uint8Array): Promise<IsoMessage> => {
    const t0 = process.hrtime.bigint();
    const reply = term.read(await wire.ask(frame)).msg;
    tally.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (reply.fields["39"] === "00") tally.approved++;
    else tally.declined++;
    return reply;
  };
  const move = (pan: string, delta: number) => tally.expected.set(pan, (tally.expected.get(pan) ?? 0) + delta);
  for (let i = 0; i < count; i++) {
    const r = rng.below(100);
    const last = live.length > 0 ? live[live.length - 1] : undefined;
    if (r < 10 && last !== undefined) {
      live.pop();
      const m = await ask(term.voidSale(last.pan, last.amount, term.batch, last.msg.fields["11"]));
      if (m.fields["39"] === "00") { move(last.pan, -last.amount); totals.debit_count--; totals.debit_minor -= last.amount; }
    } else if (r < 18 && last !== undefined) {
      live.pop();
      const m = await ask(term.reversalOf(last.frame, "98"));
      if (m.fields["39"] === "00") { move(last.pan, -last.amount); totals.debit_count--; totals.debit_minor -= last.amount; }
    } else if (r < 25 && last !== undefined) {
      const part = 1 + rng.below(last.amount);
      const m = await ask(term.refund(last.pan, part, last.msg.fields["37"], last.msg.fields["13"]));
      live.pop();
      if (m.fields["39"] === "00") { move(last.pan, -part); totals.credit_count++; totals.credit_minor += part; }
    } else {
      const pan = PANS[rng.below(PANS.length)];
      const amount = 100 * (1 + rng.below(500)) + (rng.below(10) === 0 ? 51 : 0);
      const frame = term.sale(pan, amount);
      const m = await ask(frame);
      if (m.fields["39"] === "00") { move(pan, amount); totals.debit_count++; totals.debit_minor += amount; live.push({ frame, msg: m, pan, amount }); }
    }
  }
  const s = term.read(await wire.ask(term.settlement(buildTotals48(totals, "0")))).msg;
  if (s.fields["39"] === "00") tally.balanced++;
  sock.destroy();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The client side of a load run: every session, concurrently, against `port`. */
export async function runClients(port: number, opts: LoadOptions): Promise<Tally> {
  const tally: Tally = { latencies: [], approved: 0, declined: 0, balanced: 0, expected: new Map() };
  const per = Math.floor(opts.transactions / opts.connections);
  const rng = new Rng(opts.seed);
  const sessions: Promise<void>[] = [];
  for (let c = 0; c < opts.connections; c++) sessions.push(session(port, c, per, new Rng(rng.next()), tally));
  await Promise.all(sessions);
  return tally;
}

/** Runs the load; the server is started and stopped here, the clients run in this same process. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const core = new AcquirerCore({ seed: opts.seed });
  const front = new FaultyAcquirer(core, parseFaultSpec("none"));
  const store = opts.stateFile === undefined ? undefined : new StateStore(opts.stateFile, crypto.randomBytes(32));
  if (store !== undefined) {
    store.compact(core.snapshot());
    front.commit = (frame, now_ms) => {
      if (store.append(now_ms, frame)) store.compact(core.snapshot());
    };
  }
  const running = await startServer({ acquirer: front, port: 0, host: "127.0.0.1" });
  const t0 = process.hrtime.bigint();
  let tally: Tally;
  try {
    tally = await runClients(running.port, opts);
  } finally {
    await running.close();
    store?.close();
  }
  const elapsed_ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const sorted = tally.latencies.slice().sort((a, b) => a - b);
  const net = core.book.netByPan();
  let mismatches = 0;
  for (const pan of new Set([...net.keys(), ...tally.expected.keys()])) if ((net.get(pan) ?? 0) !== (tally.expected.get(pan) ?? 0)) mismatches++;
  const fromTxns = core.book.netFromTransactions();
  const unbalanced = net.size !== fromTxns.size || [...net].some(([pan, v]) => fromTxns.get(pan) !== v);
  const transactions = Math.floor(opts.transactions / opts.connections) * opts.connections;
  return {
    transactions, elapsed_ms, tps: transactions / (elapsed_ms / 1000), p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99),
    approved: tally.approved, declined: tally.declined, settled_balanced: tally.balanced, money_mismatches: mismatches, books_unbalanced: unbalanced,
  };
}
