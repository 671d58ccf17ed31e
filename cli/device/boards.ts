// One interface over the two real interpreters, for `posrt device run`, `posrt keys inject
// --target` and the power-cut tests: a board is one interpreter process from power-on to power
// cut on a flash that outlives it (Espruino: `espruino.flash` in the folder; NodeMCU on the Lua
// host: real files in the folder). Espruino runs in real time; the Lua host on a virtual clock
// that only moves when told (`pass`).
import * as fs from "fs";
import * as path from "path";
import { EspruinoBoard, EspruinoMemory, loadStorage } from "./espruino-session";
import { LuaBoard, LUA_FIRMWARE } from "./lua-session";
import { DIST } from "../paths";
import { UsageError } from "../args";
import { espruinoBinary, NO_ESPRUINO } from "./espruino-bin";
import { luaHost } from "./lua-host";

export const ESPRUINO_FIRMWARE = path.join(DIST, "espruino", "posrt.js");

export type Target = "espruino" | "lua";

export interface LuaFigures {
  /** Heap once the code is loaded (bytecode in RAM). */
  code_bytes: number;
  /** Highest heap the allocator saw, garbage included. */
  heap_peak_bytes: number;
  /** Highest live heap beyond the code (after a full collection): the heap a build with its code in LFS needs. */
  data_heap_bytes: number;
}

export interface BoardSpec {
  target: Target;
  /** Espruino binary or the Lua host binary. */
  bin: string;
  /** Folder holding the board's flash. */
  dir: string;
  /** Lua: cap of the whole heap, and of the heap beyond the code (0 = none). */
  cap_bytes?: number;
  data_cap_bytes?: number;
  /** Espruino: run as a build with only this many variables (the rest held at power-on; 0 = all). */
  var_cap?: number;
  firmware?: string;
  onLine?: (line: string) => void;
}

/** Writes the firmware (Espruino: into Storage) and the given files into the board's flash. */
export function prepareFlash(spec: BoardSpec, files: Record<string, string>): void {
  if (spec.target === "espruino") loadStorage(spec.bin, spec.dir, spec.firmware ?? ESPRUINO_FIRMWARE, files);
  else for (const name of Object.keys(files)) fs.writeFileSync(path.join(spec.dir, name), files[name]);
}

/** Where the journal region starts in the Espruino host build's flash file (Flash.getFree()[0].addr = 0x10000000, file offset 0). */
export const ESPRUINO_JOURNAL_FILE_OFFSET = 0;
/** The NodeMCU journal file (hal/nodemcu/flash.ts JOURNAL_FILE). */
export const LUA_JOURNAL_FILE = "posrt.jnl";

/** Writes a journal region image into the board's flash (after prepareFlash). */
export function writeJournalImage(spec: BoardSpec, image: Uint8Array): void {
  if (spec.target === "lua") {
    fs.writeFileSync(path.join(spec.dir, LUA_JOURNAL_FILE), image);
    return;
  }
  const fd = fs.openSync(path.join(spec.dir, "espruino.flash"), "r+");
  try {
    fs.writeSync(fd, image, 0, image.length, ESPRUINO_JOURNAL_FILE_OFFSET);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Longest Espruino boot: opening a nearly full journal takes minutes on the host build (the
 * full day's 93 % image: 114 s with the machine's two cores shared by 8 busy processes; more
 * than 180 s once), recovering one after a torn write too.
 */
export const BOOT_TIMEOUT_MS = 600000;

/** A powered board. */
export class Board {
  readonly esp?: EspruinoBoard;
  readonly lua?: LuaBoard;
  /** Espruino: variables in use after boot. */
  boot_vars = 0;

  constructor(readonly spec: BoardSpec) {
    if (spec.target === "espruino") this.esp = new EspruinoBoard(spec.bin, spec.dir, spec.var_cap ?? 0);
    else this.lua = new LuaBoard(spec.bin, spec.dir, spec.cap_bytes ?? 0, spec.data_cap_bytes ?? 0, spec.firmware ?? LUA_FIRMWARE);
    const b = this.esp ?? this.lua!;
    if (spec.onLine !== undefined) b.onLine = spec.onLine;
  }

  /** Powers on; Espruino: `watch` are the texts of the script's expects right after power-on, armed before the firmware runs. */
  async boot(watch: string[] = []): Promise<void> {
    if (this.esp !== undefined) this.boot_vars = await this.esp.boot(BOOT_TIMEOUT_MS, "", watch);
    else await this.lua!.boot();
  }

  /** Evaluates an expression on the board; its value as JSON text. */
  call(expr: string): Promise<string> {
    return this.esp !== undefined ? this.esp.call(expr) : this.lua!.call(expr);
  }

  /**
   * Runs console calls and then, with `text`, waits until the display shows it (false after
   * `timeout_ms`). Espruino: one round trip, the board watches its own display; the Lua host:
   * one call per expression, the display read between steps of its virtual clock.
   */
  async actThenExpect(exprs: string[], text: string | undefined, timeout_ms: number, poll_ms: number): Promise<boolean> {
    if (this.esp !== undefined) {
      if (text === undefined) {
        await this.esp.act(exprs);
        return true;
      }
      return this.esp.expectScreen(exprs, text, timeout_ms);
    }
    for (const e of exprs) await this.lua!.call(e);
    if (text === undefined) return true;
    for (let waited = 0; waited <= timeout_ms; waited += poll_ms) {
      const v = JSON.parse(await this.lua!.call("posrt.screen()")) as string[] | Record<string, never>;
      if ((Array.isArray(v) ? v : []).join("\n").indexOf(text) >= 0) return true;
      await this.lua!.pass(poll_ms);
    }
    return false;
  }

  /** Lets `ms` of the board's time pass (real time on Espruino, virtual on the Lua host). */
  async pass(ms: number): Promise<void> {
    if (this.lua !== undefined) await this.lua.pass(ms);
    else await new Promise((r) => setTimeout(r, ms));
  }

  get lines(): string[] {
    return (this.esp ?? this.lua!).lines;
  }

  get exited(): boolean {
    return (this.esp ?? this.lua!).exited;
  }

  async espruinoMemory(): Promise<EspruinoMemory> {
    return this.esp!.memory(this.boot_vars);
  }

  async luaMemory(): Promise<LuaFigures> {
    const m = await this.lua!.memory();
    return { code_bytes: m.code_bytes, heap_peak_bytes: m.peak_bytes, data_heap_bytes: m.live_peak_bytes - m.code_bytes };
  }

  /** Power cut: the process is killed at once. */
  kill(): Promise<void> {
    return (this.esp ?? this.lua!).kill();
  }
}

/** The interpreter a device command runs: `given`, else the ESP32-class Espruino build or the Lua host (built on demand). */
export function interpreterOf(target: string, given: string): string {
  if (given !== "") return given;
  if (target === "espruino") {
    const bin = espruinoBinary("16383");
    if (bin === undefined) throw new UsageError(NO_ESPRUINO);
    return bin;
  }
  const h = luaHost();
  if (h.bin === undefined) throw new UsageError(`the Lua host cannot be built: ${h.error}`);
  return h.bin;
}
