// The NodeMCU firmware (stripped bytecode) under tools/lua-host with a heap cap: one process
// is one board from power-on to power cut; NodeMCU's modules come from
// firmware/nodemcu/host-device.lua (virtual clock, real TCP to 127.0.0.1, real files in `dir`).
import * as path from "path";
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import { DIST, ROOT } from "../paths";
import { BoardTimeout } from "./board-timeout";

export const LUA_FIRMWARE = path.join(DIST, "nodemcu", "posrt.luac");
export const HOST_DEVICE = path.join(ROOT, "firmware", "nodemcu", "host-device.lua");
/** NodeMCU on an ESP32: free Lua heap (bytes). */
export const NODEMCU_HEAP_CAP_BYTES = 160 * 1024;
export const LUA_CALL_TIMEOUT_MS = 60000;

export interface LuaMemory {
  /** Heap once all code is loaded (after a full collection). */
  code_bytes: number;
  /** Highest heap the allocator saw (garbage not yet collected included). */
  peak_bytes: number;
  /** Highest heap after a full collection at the end of a console command. */
  live_peak_bytes: number;
}

export class LuaBoard {
  private proc: ChildProcessWithoutNullStreams;
  private buf = "";
  private waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void; reject: (e: Error) => void }[] = [];
  private seq = 0;
  readonly lines: string[] = [];
  exited = false;
  onLine?: (line: string) => void;

  /** `cap_bytes` caps the whole heap; `data_cap_bytes` caps what is used beyond the loaded code (0 = no cap). */
  constructor(bin: string, dir: string, cap_bytes: number, data_cap_bytes = 0, firmware = LUA_FIRMWARE) {
    const args = cap_bytes > 0 ? ["--cap", String(cap_bytes), HOST_DEVICE, firmware] : [HOST_DEVICE, firmware];
    if (data_cap_bytes > 0) args.push(String(data_cap_bytes));
    this.proc = spawn(bin, args, { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stdout.setEncoding("latin1");
    this.proc.stderr.setEncoding("latin1");
    this.proc.stdout.on("data", (d: string) => this.data(d));
    this.proc.stderr.on("data", (d: string) => this.data(d));
    this.proc.on("exit", () => {
      this.exited = true;
      // let the last output arrive, then nobody waits for an answer that cannot come
      setTimeout(() => {
        for (const w of this.waiters.splice(0)) w.reject(new Error(`lua-host exited: ${this.lines.slice(-3).join(" | ")}`));
      }, 50);
    });
  }

  private data(d: string): void {
    this.buf += d;
    let nl = this.buf.indexOf("\n");
    while (nl >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (!line.startsWith("@@")) {
        this.lines.push(line);
        this.onLine?.(line);
      }
      for (let i = 0; i < this.waiters.length; i++) {
        const m = this.waiters[i].re.exec(line);
        if (m !== null) {
          this.waiters.splice(i, 1)[0].resolve(m);
          break;
        }
      }
      nl = this.buf.indexOf("\n");
    }
  }

  /** Waits for a line matching `re`; after `timeout_ms` a BoardTimeout (never a display watch: the Lua host's display is read by calls). */
  private waitLine(re: RegExp, what: string, timeout_ms = LUA_CALL_TIMEOUT_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new BoardTimeout(`lua-host: no answer to ${what}${this.exited ? " (the interpreter exited)" : ""}; last output: ${this.lines.slice(-3).join(" | ")}`, what, false, this.exited)), timeout_ms);
      this.waiters.push({ re, resolve: (m) => { clearTimeout(t); resolve(m); }, reject: (e) => { clearTimeout(t); reject(e); } });
      if (this.exited) {
        clearTimeout(t);
        reject(new Error(`lua-host exited: ${this.lines.slice(-3).join(" | ")}`));
      }
    });
  }

  /** Evaluates a Lua expression on the board; resolves to its value as JSON text. */
  async call(expr: string, timeout_ms = LUA_CALL_TIMEOUT_MS): Promise<string> {
    const n = ++this.seq;
    const wait = this.waitLine(new RegExp(`^@@${n} (.*)$`), expr, timeout_ms);
    this.proc.stdin.write(`${n}\t${expr}\n`);
    const m = await wait;
    if (m[1].startsWith('["ERROR"')) throw new Error(`lua: ${expr}: ${m[1]}`);
    return m[1];
  }

  async boot(timeout_ms = LUA_CALL_TIMEOUT_MS): Promise<number> {
    const m = await this.waitLine(/^@@BOOT (\d+)$/, "the boot", timeout_ms);
    return Number(m[1]);
  }

  /** Lets `ms` of the board's (virtual) time pass. */
  async pass(ms: number): Promise<void> {
    await this.call(`__run(${ms})`);
  }

  async memory(): Promise<LuaMemory> {
    const v = JSON.parse(await this.call("__mem()")) as number[];
    return { code_bytes: v[2], peak_bytes: v[1], live_peak_bytes: v[3] };
  }

  kill(): Promise<void> {
    return new Promise((resolve) => {
      if (this.exited) return resolve();
      this.proc.once("exit", () => resolve());
      this.proc.kill("SIGKILL");
    });
  }
}
