// A small, strict command-line parser: known flags only, clear one-line errors.
// Also the one place that reads command input (argument, `-` for stdin, or @FILE).
import * as fs from "fs";

export interface FlagSpec {
  /** Flags taking a value, e.g. ["--seed", "--ops"]. */
  values?: string[];
  /** Flags without a value, e.g. ["--json"]. */
  booleans?: string[];
}

export interface Parsed {
  flags: { [flag: string]: string | true };
  positional: string[];
}

/** Bad usage (unknown option, bad value, missing argument): exit code 2. */
export class UsageError extends Error {}

/** Bad data or a failed check, already explained in one line: exit code 1. */
export class InputError extends Error {}

/** Flags every command accepts: --quiet silences progress (see cli/progress.ts). */
export const GLOBAL_BOOLEANS = ["--quiet"];

/** Parses argv against `spec`; unknown flags or missing values throw UsageError. */
export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const values = spec.values ?? [];
  const booleans = [...(spec.booleans ?? []), ...GLOBAL_BOOLEANS];
  const out: Parsed = { flags: {}, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (booleans.includes(name)) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out.flags[name] = true;
    } else if (values.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      out.flags[name] = v;
    } else {
      const known = [...values, ...booleans].sort();
      throw new UsageError(`unknown option ${name}${known.length > 0 && known.length <= 8 ? ` (options: ${known.join(", ")})` : ""}`);
    }
  }
  return out;
}

/** A flag's string value, or the default. */
export function flagString(p: Parsed, name: string, dflt: string): string {
  const v = p.flags[name];
  return typeof v === "string" ? v : dflt;
}

/** A flag's value, which must be one of `choices`; the default when absent. */
export function flagChoice(p: Parsed, name: string, choices: string[], dflt: string): string {
  const v = flagString(p, name, dflt);
  if (!choices.includes(v)) throw new UsageError(`${name} must be one of ${choices.join(", ")}, got "${v}"`);
  return v;
}

export interface IntRange {
  min?: number;
  max?: number;
}

/** A decimal integer argument within [min, max] (default 0 .. 2^53-1); `name` for the error. */
export function parseIntArg(name: string, v: string, range: IntRange = {}): number {
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${name} must be from ${min} to ${max}, got ${v}`);
  return n;
}

/** A flag's integer value within `range` (default: non-negative), or the default. */
export function flagInt(p: Parsed, name: string, dflt: number, range: IntRange = {}): number {
  const v = p.flags[name];
  if (typeof v !== "string") return dflt;
  return parseIntArg(name, v, range);
}

/** Largest TCP port. */
export const MAX_PORT = 65535;

/** A TCP port flag (0 = any free port). */
export function flagPort(p: Parsed, name: string, dflt: number): number {
  return flagInt(p, name, dflt, { min: 0, max: MAX_PORT });
}

export function flagBool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}

/** Flags that may not be combined: throws naming the first pair given together. */
export function exclusive(p: Parsed, names: string[]): void {
  const given = names.filter((n) => p.flags[n] !== undefined);
  if (given.length > 1) throw new UsageError(`${given[0]} and ${given[1]} cannot be combined`);
}

/** Largest input read from stdin or @FILE (and so the largest data any command accepts). */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** Bound on read calls for one input (16 MiB in 64 KiB chunks, plus retries while stdin waits). */
const MAX_READS = 1 << 20;
const CHUNK_BYTES = 64 * 1024;

function tooLarge(what: string): InputError {
  return new InputError(`${what} is larger than the ${MAX_INPUT_BYTES / (1024 * 1024)} MiB input limit`);
}

/** Reads all of file descriptor `fd` up to MAX_INPUT_BYTES (stdin may be a non-blocking pipe). */
function readFd(fd: number, what: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let reads = 0; reads < MAX_READS; reads++) {
    const buf = Buffer.alloc(CHUNK_BYTES);
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(sleeper, 0, 0, 10);
        continue;
      }
      if (code === "EOF") break;
      throw e;
    }
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > MAX_INPUT_BYTES) throw tooLarge(what);
    chunks.push(buf.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/**
 * The data of a command argument: `-` reads stdin, `@FILE` reads FILE, anything else is the
 * data itself. At most MAX_INPUT_BYTES; `what` names the argument in errors.
 */
export function readInput(arg: string, what: string): string {
  if (arg === "-") return readFd(0, `${what} on stdin`).toString("utf8");
  if (arg.startsWith("@")) {
    const file = arg.slice(1);
    if (file === "") throw new UsageError(`${what}: @ needs a file name (@FILE)`);
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new InputError(`cannot read ${file}: is a directory`);
    if (st.size > MAX_INPUT_BYTES) throw tooLarge(`${what} ${file}`);
    const fd = fs.openSync(file, "r");
    try {
      return readFd(fd, `${what} ${file}`).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  }
  if (Buffer.byteLength(arg) > MAX_INPUT_BYTES) throw tooLarge(what);
  return arg;
}

/** Plain words for the file-system errors people meet. */
const ERRNO_TEXT: { [code: string]: string } = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EEXIST: "already exists",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
  EMFILE: "too many open files",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "address not available on this machine",
};

/** A one-line text for a Node system error (with the path it names), or undefined for others. */
export function systemErrorText(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (typeof err !== "object" || err === null || typeof err.code !== "string" || typeof err.syscall !== "string") return undefined;
  const why = ERRNO_TEXT[err.code] ?? err.code;
  const s = err.syscall;
  const verb = s === "open" ? "cannot open" : s === "listen" || s === "bind" ? "cannot listen on" : /write|mkdir|rename|unlink|copyfile/.test(s) ? "cannot write" : "cannot read";
  const net = err as { address?: string; port?: number };
  const where = err.path ?? (net.port !== undefined ? `${net.address ?? ""}:${net.port}` : "");
  return where === "" ? `${verb}: ${why}` : `${verb} ${where}: ${why}`;
}
