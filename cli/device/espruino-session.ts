// Runs the device firmware on the real Espruino interpreter the way a board runs it: the file
// is written into Storage in chunks (one short run of the interpreter, as `posrt flash` would),
// then every boot is a fresh interpreter process that evaluates it from Storage (function
// bodies stay in flash) and is driven over its console (the REPL on stdin). The flash file
// (`espruino.flash` in the session folder) survives a killed process: a power cut.
import * as fs from "fs";
import * as path from "path";
import * as net from "net";
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from "child_process";
import { BoardTimeout } from "./board-timeout";

/** Bytes written per Storage.write while loading the firmware. */
export const STORAGE_CHUNK_BYTES = 2048;
/** Most chunks: the firmware must fit Storage (256 KB). */
export const MAX_STORAGE_CHUNKS = 128;
/** How often the interpreter samples its own variable use (no garbage collection). */
export const SAMPLE_MS = 10;
/** Longest a console call may take. */
export const CALL_TIMEOUT_MS = 20000;
/** How often a board-side wait (`expectScreen`) looks at the display. */
export const SCREEN_CHECK_MS = 20;
/** How long after the boot a display watch armed at power-on may wait (the expect timeout of src/app/run-script). */
export const ARMED_EXPECT_MS = 65000;
/** Most console calls sent as one line (`act`). */
export const MAX_CALLS_PER_LINE = 24;
export const FIRMWARE_FILE = "posrt.js";
/**
 * The console is used only for two short lines at power-on (pieces of CONSOLE_CHUNK_BYTES,
 * CONSOLE_GAP_MS apart); every later command comes over a TCP connection on 127.0.0.1 that
 * those lines open. Why: the Linux host build reads stdin on a second thread that appends to
 * an event the main loop may be reading at that moment, so under load a burst of console input
 * now and then corrupts the event queue (`ASSERT(len <= 64) FAILED AT src/jsdevices.c`, or
 * silently lost characters). Socket data is read by the main loop itself. A UART on a board
 * has no such thread.
 */
export const CONSOLE_CHUNK_BYTES = 16;
export const CONSOLE_GAP_MS = 4;

/** Single variables the reserve may add after its flat block (its size is estimated from a probe). */
const RESERVE_SLACK_VARS = 40;
/** Rounds of single variables the reserve adds at most (each measures what is still missing). */
const RESERVE_ROUNDS = 3;

export interface EspruinoMemory {
  /** Variables in use right after the firmware booted (after a garbage collection). */
  boot_vars: number;
  /** Highest variable use sampled every SAMPLE_MS and after every call (no collection: garbage counts). */
  peak_vars: number;
  /** Highest live use: after a garbage collection at the end of every call. */
  peak_live_vars: number;
  total_vars: number;
}

function jsString(s: string): string {
  return JSON.stringify(s);
}

/** Writes `firmware` and the extra files into Storage in the flash file under `dir`. */
export function loadStorage(bin: string, dir: string, firmware: string, files: Record<string, string>): void {
  const size = fs.statSync(firmware).size;
  if (size > STORAGE_CHUNK_BYTES * MAX_STORAGE_CHUNKS) throw new Error(`${firmware} (${size} bytes) does not fit Storage`);
  const lines = [
    `var S = require("Storage"), f = E.openFile(${jsString(firmware)}, "r"), off = 0, c, n = 0;`,
    `S.erase(${jsString(FIRMWARE_FILE)});`,
    `while (n < ${MAX_STORAGE_CHUNKS} && (c = f.read(${STORAGE_CHUNK_BYTES})) !== undefined) { S.write(${jsString(FIRMWARE_FILE)}, c, off, ${size}); off += c.length; n++; }`,
    "f.close();",
  ];
  for (const name of Object.keys(files)) lines.push(`S.write(${jsString(name)}, ${jsString(files[name])});`);
  lines.push(`print("LOADED " + off + " " + (S.read(${jsString(FIRMWARE_FILE)}) || "").length);`, "quit();");
  const loader = path.join(dir, "posrt-load.js");
  fs.writeFileSync(loader, lines.join("\n") + "\n");
  const p = spawnSync(bin, [loader], { cwd: dir, input: "", encoding: "utf8", timeout: 60000 });
  fs.rmSync(loader, { force: true });
  const m = /LOADED (\d+) (\d+)/.exec(p.stdout ?? "");
  if (m === null || Number(m[1]) !== size || Number(m[2]) !== size) {
    throw new Error(`loading ${firmware} into Storage failed: ${(p.stdout + p.stderr).trim().split("\n").slice(-3).join(" | ")}`);
  }
}

/** One interpreter process: a board from power-on to power cut. */
export class EspruinoBoard {
  private proc: ChildProcessWithoutNullStreams;
  private buf = "";
  private waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  private seq = 0;
  /** Console lines the firmware printed (receipts, results), without the call markers. */
  readonly lines: string[] = [];
  exited = false;
  onLine?: (line: string) => void;
  /** Every marker line ("@@..."): call answers, the boot, test hooks' own markers. */
  onMarker?: (line: string) => void;
  private pending = "";
  private draining = false;
  /** Display watches armed at power-on (boot's `watch`), taken in order by expectScreen. */
  private armed: { text: string; wait: Promise<RegExpExecArray> }[] = [];
  /** The command connection (after boot's first lines); undefined: commands go to the console. */
  private cmd?: net.Socket;
  /** Variables held at power-on so that only `var_cap` are left (0: none held). */
  private reserved_vars = 0;
  /** Longest a console call may take (CALL_TIMEOUT_MS; shorter only in tests of the timeouts). */
  call_timeout_ms = CALL_TIMEOUT_MS;

  /** `var_cap` > 0: run as a build with that many variables (the rest is held at power-on). */
  constructor(bin: string, dir: string, readonly var_cap = 0) {
    this.proc = spawn(bin, [], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stdout.setEncoding("latin1");
    this.proc.stdout.on("data", (d: string) => this.data(d));
    this.proc.stderr.on("data", () => undefined);
    this.proc.on("exit", () => {
      this.exited = true;
      // nobody waits for an answer that cannot come
      for (const w of this.waiters.splice(0)) w.reject(new Error(`espruino: the interpreter is off; last output: ${this.lines.slice(-3).join(" | ")}`));
    });
  }

  /** Sends `text` (whole lines) over the command connection, or types it on the console. */
  private send(text: string): void {
    if (this.cmd !== undefined) {
      if (!this.exited) this.cmd.write(text, "latin1");
      return;
    }
    this.pending += text;
    if (this.draining) return;
    this.draining = true;
    const next = (): void => {
      if (this.pending.length === 0 || this.exited) {
        this.draining = false;
        return;
      }
      this.proc.stdin.write(this.pending.slice(0, CONSOLE_CHUNK_BYTES));
      this.pending = this.pending.slice(CONSOLE_CHUNK_BYTES);
      setTimeout(next, CONSOLE_GAP_MS);
    };
    next();
  }

  private data(d: string): void {
    this.buf += d;
    let nl = this.buf.indexOf("\n");
    while (nl >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, "");
      this.buf = this.buf.slice(nl + 1);
      if (!line.startsWith("@@")) {
        this.lines.push(line);
        this.onLine?.(line);
      } else this.onMarker?.(line);
      for (let i = 0; i < this.waiters.length; i++) {
        const m = this.waiters[i].re.exec(line);
        if (m !== null) {
          const w = this.waiters.splice(i, 1)[0];
          w.resolve(m);
          break;
        }
      }
      nl = this.buf.indexOf("\n");
    }
  }

  /** Waits for a line matching `re`; after `timeout_ms` a BoardTimeout (`watch`: the line is a display watch's answer). */
  private waitLine(re: RegExp, timeout_ms: number, what: string, watch = false): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        const msg = `espruino: no answer to ${what} in ${timeout_ms} ms${this.exited ? " (the interpreter exited)" : ""}; last output: ${this.lines.slice(-3).join(" | ")}`;
        reject(new BoardTimeout(msg, what, watch, this.exited));
      }, timeout_ms);
      const done = (m: RegExpExecArray) => {
        clearTimeout(t);
        resolve(m);
      };
      const fail = (e: Error) => {
        clearTimeout(t);
        reject(e);
      };
      if (this.exited) fail(new Error(`espruino: ${what}: the interpreter is off`));
      else this.waiters.push({ re, resolve: done, reject: fail });
    });
  }

  /** Evaluates `expr` on the board and resolves to its value as text (one line). */
  async call(expr: string, timeout_ms = this.call_timeout_ms): Promise<string> {
    const n = ++this.seq;
    const wait = this.waitLine(new RegExp(`^@@${n} (.*)$`), timeout_ms, expr);
    this.send(`__c(${n},${expr})\n`);
    const m = await wait;
    return m[1];
  }

  /**
   * Powers on: console echo off, the sampler, display watches for the texts `watch` (the
   * script's expects right after power-on), `preBoot` (test hooks), then the firmware from Storage.
   */
  async boot(timeout_ms = CALL_TIMEOUT_MS, preBoot = "", watch: string[] = []): Promise<number> {
    const port = await freePort();
    const ready = this.waitLine(/^@@CMD$/, timeout_ms, "the command connection");
    this.send("echo(0);\n");
    // each line that arrives runs in the global scope (a string timeout), in order
    this.send(`require("net").createServer(function(c){var b="";c.on("data",function(d){b+=d;var i=b.indexOf("\\n");while(i>=0){setTimeout(b.substr(0,i),0);b=b.substr(i+1);i=b.indexOf("\\n");}});}).listen(${port});print("@@"+"CMD");\n`);
    await ready;
    this.cmd = await connectTo(port, timeout_ms);
    if (this.var_cap > 0) await this.reserve(timeout_ms);
    this.send(`var __pk=0,__pl=0;function __pm(){var u=process.memory(false).usage;if(u>__pk)__pk=u;}setInterval(__pm,${SAMPLE_MS});\n`);
    // the marker is built on the board, so an echoed input line can never match it
    this.send('function __c(n,v){print("@@"+n+" "+JSON.stringify(v));__pm();}\n');
    // live(): a short call, so that no call's text is ever over the 64 bytes one read may bring
    this.send("function __lv(){var u=process.memory().usage;if(u>__pl)__pl=u;return u;}\n");
    // __w: the board watches its own display for a text and answers once (true), or false at its deadline
    this.send(`function __w(n,t,ms){var u=getTime()+ms/1000,i;function c(){var f=typeof posrt==="object"&&posrt.screen().join("\\n").indexOf(t)>=0;if(f||getTime()>u){if(i)clearInterval(i);__c(n,f);return 1;}}if(!c())i=setInterval(c,${SCREEN_CHECK_MS});}\n`);
    // watches armed before the firmware runs see its first screen (the power-on report moves on
    // by itself after 3 s of quiet, which a slow boot may have used up before any later call)
    for (const text of watch) {
      const n = ++this.seq;
      const wait = this.waitLine(new RegExp(`^@@${n} (.*)$`), timeout_ms + ARMED_EXPECT_MS + this.call_timeout_ms, `the display to show ${JSON.stringify(text)} after power-on`, true);
      wait.catch(() => undefined); // a watch nobody takes (the board died first) is no crash
      this.armed.push({ text, wait });
      this.send(`__w(${n},${jsString(text)},${timeout_ms + ARMED_EXPECT_MS})\n`);
    }
    if (preBoot !== "") this.send(preBoot + "\n");
    const m = this.waitLine(/^@@BOOT (\d+)$/, timeout_ms, "the boot");
    this.send(`eval(require("Storage").read(${jsString(FIRMWARE_FILE)}));print("@@BOOT "+(process.memory().usage-${this.reserved_vars}));\n`);
    return Number((await m)[1]);
  }

  /**
   * Holds all variables above `var_cap` before the firmware runs (one flat block, then single
   * ones to the exact count), so the board runs as a build with only `var_cap` variables would:
   * Espruino collects garbage when an allocation finds no free variable, and runs out of memory
   * only when the live set does not fit.
   */
  private async reserve(timeout_ms: number): Promise<void> {
    const wait = this.waitLine(/^@@RSV (-?\d+) (-?\d+) (\d+)$/, timeout_ms, "the variable reserve");
    // One line, globals only: its own text and function are in RAM at both measurements (so they
    // cancel out), no other line is waiting then, and no local of a function is counted.
    // one short each round: a long array may take one variable more than its elements
    const round = "__ra=__rm();__rk=__rn-(__ra-__rb);if(__rk>1)__rk--;for(__rj=0;__rj<__rk;__rj++)__rsv[1].push(0);";
    this.send("var __rsv=[],__rb=0,__ra=0,__rn=0,__rp=0,__rk=0,__rj=0;function __rm(){return process.memory().usage;}\n");
    this.send(
      `(function(){__rn=process.memory().total-${this.var_cap};__rp=new Uint8Array(1800);__rb=__rm();` +
        `__rsv.push(new Uint8Array(Math.max(0,Math.floor((__rn-${RESERVE_SLACK_VARS}-__rn/64)*1800/(E.getSizeOf(__rp)-1)))));__rp=0;__rsv.push([]);` +
        // the flat block is an estimate: single variables up to the count, measured again each round
        round.repeat(RESERVE_ROUNDS) +
        '__ra=__rm();print("@@RSV "+(__rn-(__ra-__rb))+" "+(__ra-__rb)+" "+process.memory().total);})();\n',
    );
    const m = await wait;
    if (this.var_cap > Number(m[3])) throw new Error(`espruino: --var-cap ${this.var_cap} is more than the interpreter's ${m[3]} variables`);
    this.reserved_vars = Number(m[2]);
    if (Number(m[1]) !== 0) throw new Error(`espruino: could not hold exactly ${this.reserved_vars + Number(m[1])} variables above the cap of ${this.var_cap} (held ${this.reserved_vars})`);
  }

  /** Runs console calls (expressions) one after the other in one line, one round trip; each has `timeout_ms`. */
  async act(exprs: string[], timeout_ms = this.call_timeout_ms): Promise<void> {
    if (exprs.length === 0) return;
    if (exprs.length > MAX_CALLS_PER_LINE) throw new Error(`espruino: more than ${MAX_CALLS_PER_LINE} calls in one line`);
    await this.call("(" + exprs.join(",") + ",0)", timeout_ms * exprs.length);
  }

  /**
   * Runs `exprs` (as act) and then waits on the board until `text` is on its display (checked
   * every SCREEN_CHECK_MS there): both go in one write, the answer is one line. False when the
   * text did not show within `timeout_ms`.
   */
  async expectScreen(exprs: string[], text: string, timeout_ms: number): Promise<boolean> {
    const armed = this.armed.shift();
    if (armed !== undefined) {
      if (exprs.length > 0 || armed.text !== text) throw new Error(`espruino: the watch armed at power-on was for ${JSON.stringify(armed.text)}, the script goes on with ${JSON.stringify(text)}`);
      return (await armed.wait)[1] === "true";
    }
    if (exprs.length > MAX_CALLS_PER_LINE) throw new Error(`espruino: more than ${MAX_CALLS_PER_LINE} calls in one line`);
    // each call keeps the budget a call of its own has (a key may take seconds of firmware work)
    const acted = exprs.length === 0 ? undefined : this.expectMarker(this.call_timeout_ms * exprs.length, exprs.join(","));
    const n = ++this.seq;
    const seen = this.waitLine(new RegExp(`^@@${n} (.*)$`), timeout_ms + this.call_timeout_ms, `the display to show ${JSON.stringify(text)}`, true);
    this.send((acted === undefined ? "" : `__c(${acted.n},(${exprs.join(",")},0))\n`) + `__w(${n},${jsString(text)},${timeout_ms})\n`);
    if (acted !== undefined) {
      // the actions' own failure is the one thrown: the watch's later one is then nobody's
      seen.catch(() => undefined);
      await acted.wait;
    }
    return (await seen)[1] === "true";
  }

  private expectMarker(timeout_ms: number, what: string): { n: number; wait: Promise<RegExpExecArray> } {
    const n = ++this.seq;
    return { n, wait: this.waitLine(new RegExp(`^@@${n} (.*)$`), timeout_ms, what) };
  }

  /** Live variables after a collection, folded into the live peak. */
  async live(): Promise<number> {
    return Number(await this.call("__lv()"));
  }

  /** Figures as on a build with only `var_cap` variables when one is set (the reserve not counted). */
  async memory(boot_vars: number): Promise<EspruinoMemory> {
    await this.live();
    const v = JSON.parse(await this.call("[__pk,__pl,process.memory(false).total]")) as number[];
    const r = this.reserved_vars;
    return { boot_vars, peak_vars: Math.max(v[0] - r, boot_vars), peak_live_vars: Math.max(v[1] - r, boot_vars), total_vars: v[2] - r };
  }

  /** Power cut: the process is killed at once; the flash file keeps what was written. */
  kill(): Promise<void> {
    return new Promise((resolve) => {
      this.cmd?.destroy();
      if (this.exited) return resolve();
      this.proc.once("exit", () => resolve());
      this.proc.kill("SIGKILL");
    });
  }
}

/** A TCP port on 127.0.0.1 that is free now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Connects to the board's command server (it may take a moment to accept). */
async function connectTo(port: number, timeout_ms: number): Promise<net.Socket> {
  const until = Date.now() + timeout_ms;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const c = net.connect(port, "127.0.0.1", () => {
          c.removeListener("error", reject);
          c.on("error", () => undefined); // a power cut resets it
          c.setNoDelay(true);
          resolve(c);
        });
        c.once("error", reject);
      });
    } catch (e) {
      if (Date.now() > until) throw new BoardTimeout(`espruino: the board's command port ${port} did not accept in ${timeout_ms} ms: ${(e as Error).message}`, "the command connection", false, false);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
