// Power cuts on the real Espruino interpreter, at chosen flash writes of a sale.
//
// One board, one flash, one acquirer simulator on 127.0.0.1. After the sign-in, each cycle
// powers the board on with a hook in front of `Flash.write`/`Flash.erasePage` that counts the
// flash operations since power-on and, at operation `cut`, prints a marker and stops dead
// (a busy loop: no more flash, console or network) — optionally after writing the first half of
// that write (a torn write). The test kills the process as soon as it sees the marker: the
// power cut. The cycle's sale is started right after the boot; a cut point beyond the sale's
// last flash operation cuts the board once it is idle again. The next cycle's boot recovers
// from what the cut left (a pending reversal goes out before its sale), so one interpreter
// start is one cut: no boots are spent on set-up. At the end the board boots without a hook,
// lets pending reversals go, settles, and the books are compared:
// - the acquirer's live sales (approved, not reversed) equal the sales the terminal settled
//   with, in count and total, and the settlement balances at once (no batch upload needed);
// - no trace number (batch/STAN) is used for two transactions.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EspruinoBoard } from "./espruino-session";
import { prepareFlash } from "./boards";
import { devConfigFiles } from "./dev-config";
import { startDevAcquirer } from "./run";

/**
 * Longest wait for a boot, a console answer, a sale or a settlement (real time): opening the
 * journal after a torn write took 45 s on espruino-host-big on a busy machine.
 */
export const OP_TIMEOUT_MS = 180000;
export const POLL_MS = 100;
/** Most cut cycles in one sweep. */
export const MAX_CUTS = 64;

export interface CutPoint {
  /** Where the flash operations are counted from: the power-on, or the start of the cycle's sale. */
  from: "boot" | "sale";
  /** Flash operation (write or erase) the power dies at, 1 = the first after `from`. */
  op: number;
  /** The first half of that write still reaches the flash. */
  torn: boolean;
}

export interface CutResult extends CutPoint {
  /** The cut happened (false: the cycle finished first and the board was cut while idle). */
  hit: boolean;
  /** Status once this cycle's boot had sent the pending reversals ("" when cut before). */
  after: string;
}

export interface SweepReport {
  cuts: CutResult[];
  problems: string[];
  /** Flash operations of a boot and of a sale without a cut, measured first. */
  ops_per_boot: number;
  ops_per_sale: number;
  /** The sales the terminal settled with (count and total of its settlement). */
  terminal: { txns: number; total_minor: number };
  acquirer: { live_sales: number; live_total_minor: number; seen_sales: number };
  boots: number;
}

export interface SweepOptions {
  bin: string;
  /** The cut points; by default every flash operation of a sale, clean and torn. */
  points?: CutPoint[];
  log?: (line: string) => void;
}

/** The hook typed on the console before the firmware boots. */
function hook(p: CutPoint | undefined): string {
  const cut = p === undefined ? 0 : p.op;
  const torn = p !== undefined && p.torn ? 1 : 0;
  const armed = p === undefined || p.from === "boot" ? 1 : 0;
  return [
    `var __F=require("Flash"),__fw=__F.write,__fe=__F.erasePage,__fn=0,__on=${armed};`,
    `function __arm(){__fn=0;__on=1;}`,
    `function __hit(d,a){if(!__on)return;__fn++;if(__fn!==${cut})return;`,
    `if(${torn}&&d!==undefined){var h=(d.length>>>3)<<2;if(h>0)__fw.call(__F,typeof d==="string"?d.substr(0,h):new Uint8Array(d.buffer,d.byteOffset,h),a);}`,
    `print("@@CUT "+__fn);while(true){}}`,
    `__F.write=function(d,a){__hit(d,a);return __fw.call(__F,d,a);};`,
    `__F.erasePage=function(a){__hit(undefined,a);return __fe.call(__F,a);};`,
  ].join("");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function parseStatus(s: string): { txns: number; total_minor: number; reversals: number } {
  const m = /(\d+) txn\(s\) (-?[\d,]+)\.(\d\d), (\d+) reversal/.exec(s);
  if (m === null) return { txns: -1, total_minor: -1, reversals: -1 };
  return { txns: Number(m[1]), total_minor: Number(m[2].replace(/,/g, "")) * 100 + Number(m[3]), reversals: Number(m[4]) };
}

class Sweep {
  board!: EspruinoBoard;
  boots = 0;
  cutSeen = false;

  constructor(private o: SweepOptions, private dir: string) {}

  /** Powers on with the hook; false when the cut came during the boot itself. */
  async boot(p: CutPoint | undefined): Promise<boolean> {
    this.boots++;
    this.cutSeen = false;
    const b = new EspruinoBoard(this.o.bin, this.dir);
    this.board = b;
    const seen = (line: string): void => {
      if (line.indexOf("@@CUT ") >= 0 && !this.cutSeen) {
        this.cutSeen = true;
        void b.kill();
      }
    };
    b.onMarker = seen;
    b.onLine = (line) => {
      seen(line);
      this.o.log?.(line);
    };
    try {
      await b.boot(OP_TIMEOUT_MS, hook(p));
    } catch (e) {
      if (this.cutSeen) return false;
      throw e;
    }
    return true;
  }

  async status(): Promise<string> {
    return JSON.parse(await this.board.call("posrt.status()", OP_TIMEOUT_MS)) as string;
  }

  /** Starts `op` and waits for its result line (`name`), or the cut; the status at the end ("" when cut). */
  async operate(op: string, name: string): Promise<string> {
    try {
      await this.board.call(op, OP_TIMEOUT_MS);
      const until = Date.now() + OP_TIMEOUT_MS;
      while (Date.now() < until) {
        const s = await this.status();
        if (s.indexOf("last " + name + ": ") >= 0) return s;
        await sleep(POLL_MS);
      }
      throw new Error(`${op}: no result in ${OP_TIMEOUT_MS} ms`);
    } catch (e) {
      if (this.cutSeen) return "";
      throw e;
    }
  }

  /** Waits until no reversal is pending (the board sends them at power-on); the status, "" when cut. */
  async settled(): Promise<string> {
    try {
      const until = Date.now() + OP_TIMEOUT_MS;
      let s = await this.status();
      while (parseStatus(s).reversals !== 0 && Date.now() < until) {
        await sleep(POLL_MS);
        s = await this.status();
      }
      return s;
    } catch (e) {
      if (this.cutSeen) return "";
      throw e;
    }
  }

  /** Counts the flash operations since power-on. */
  async ops(): Promise<number> {
    return Number(await this.board.call("__fn", OP_TIMEOUT_MS));
  }

  async off(): Promise<void> {
    await this.board.kill();
  }
}

/** Fewest cut points of the default sweep (issue 9: 20 or more). */
export const MIN_CUT_POINTS = 20;

/**
 * Every flash operation of a boot and of a sale, each cut clean and torn (a torn erase is cut
 * clean); when that makes fewer than MIN_CUT_POINTS, operations counted from power-on past the
 * boot (they fall into the sale, after the reversal of the cycle before).
 */
export function defaultPoints(bootOps: number, saleOps: number): CutPoint[] {
  const pts: CutPoint[] = [];
  for (let op = 1; op <= saleOps; op++) pts.push({ from: "sale", op, torn: false }, { from: "sale", op, torn: true });
  for (let op = 1; op <= bootOps; op++) pts.push({ from: "boot", op, torn: false }, { from: "boot", op, torn: true });
  for (let op = bootOps + 1; pts.length < MIN_CUT_POINTS; op++) pts.push({ from: "boot", op, torn: false });
  return pts.slice(0, MAX_CUTS);
}

/** Runs the sweep; the flash lives in a temporary folder. */
export async function runPowerCutSweep(o: SweepOptions): Promise<SweepReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-cuts-"));
  const acq = await startDevAcquirer();
  const sw = new Sweep(o, dir);
  const r: SweepReport = { cuts: [], problems: [], ops_per_boot: 0, ops_per_sale: 0, terminal: { txns: 0, total_minor: 0 }, acquirer: { live_sales: 0, live_total_minor: 0, seen_sales: 0 }, boots: 0 };
  try {
    prepareFlash({ target: "espruino", bin: o.bin, dir }, devConfigFiles(acq.server.port));
    await sw.boot(undefined);
    if ((await sw.operate("posrt.signIn()", "sign-in")).indexOf("last sign-in: OK") < 0) r.problems.push("sign-in failed");
    await sw.off();
    // one cycle without a cut: how many flash operations a boot and a sale take
    await sw.boot(undefined);
    r.ops_per_boot = await sw.ops();
    const first = await sw.operate("(__arm(),posrt.sale(1000))", "sale");
    if (first.indexOf("last sale: OK") < 0) r.problems.push("the calibration sale failed: " + first);
    r.ops_per_sale = await sw.ops();
    await sw.off();
    const points = o.points ?? defaultPoints(r.ops_per_boot, r.ops_per_sale);
    for (let i = 0; i < points.length && i < MAX_CUTS; i++) {
      const p = points[i];
      let hit = !(await sw.boot(p));
      let after = "";
      if (!hit) after = await sw.settled();
      if (!hit && !sw.cutSeen) await sw.operate(`(__arm(),posrt.sale(${1100 + 100 * i}))`, "sale");
      hit = sw.cutSeen;
      await sw.off();
      const res: CutResult = { ...p, hit, after };
      r.cuts.push(res);
      o.log?.(`cut ${i + 1}/${points.length}: flash op ${p.op} of the ${p.from}${p.torn ? " (torn)" : ""} ${hit ? "cut" : "not reached"}`);
    }
    await settleAndCompare(sw, r, acq.core);
  } catch (e) {
    r.problems.push(e instanceof Error ? e.message : String(e));
  } finally {
    if (sw.board !== undefined) await sw.board.kill();
    await acq.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  r.boots = sw.boots;
  return r;
}

type Core = Awaited<ReturnType<typeof startDevAcquirer>>["core"];

/** Boots without a hook, waits for the reversals to go, settles, and compares the books. */
async function settleAndCompare(sw: Sweep, r: SweepReport, core: Core): Promise<void> {
  await sw.boot(undefined);
  const st = parseStatus(await sw.settled());
  if (st.reversals !== 0) r.problems.push(`${st.reversals} reversal(s) still pending after the last boot`);
  const settled = await sw.operate("posrt.settle()", "settlement");
  if (settled.indexOf("last settlement: OK") < 0) r.problems.push("settlement: " + settled);
  await sw.off();
  const l = core.ledger();
  const sales = l.txns.filter((t) => t.kind === "sale");
  const live = sales.filter((t) => t.approved && !t.reversed && !t.voided);
  r.acquirer = { live_sales: live.length, live_total_minor: live.reduce((a, t) => a + t.amount_minor, 0), seen_sales: sales.length };
  // the terminal's own account of its sales: the totals it settled with
  const last = l.settlements[l.settlements.length - 1];
  if (last === undefined) return void r.problems.push("the acquirer saw no settlement");
  r.terminal = { txns: last.terminal.debit_count, total_minor: last.terminal.debit_minor };
  if (!last.balanced || last.uploads > 0) r.problems.push(`the settlement did not balance at once (${last.uploads} batch-upload items)`);
  if (live.length !== r.terminal.txns || r.acquirer.live_total_minor !== r.terminal.total_minor) {
    r.problems.push(`money: the acquirer books ${live.length} live sales for ${r.acquirer.live_total_minor}, the terminal settled ${r.terminal.txns} for ${r.terminal.total_minor}`);
  }
  const seen = new Set<string>();
  for (const t of l.txns) {
    const k = t.batch + "/" + t.stan;
    if (seen.has(k)) r.problems.push("trace number used twice: " + k);
    seen.add(k);
  }
  const amounts = new Set<number>();
  for (const t of sales) {
    if (amounts.has(t.amount_minor)) r.problems.push(`the sale of ${t.amount_minor} reached the acquirer twice`);
    amounts.add(t.amount_minor);
  }
}
