// `posrt acquirer --state FILE`: the acquirer's state at rest, durable and sealed.
//
// - FILE       a snapshot: {format, version, seq, sealed}; the state JSON is sealed with
//              AES-256-GCM, so it holds no clear PAN or key.
// - FILE.log   append-only: one line per request that changed the state, {s, iv, tag, c}, the
//              sealed {t: now_ms, f: frame hex}. A record is written and fsync'ed before the
//              reply leaves, so after `kill -9` every answered request is replayed on the next
//              start (the core is deterministic given its state, the frame and now_ms).
// - FILE.key   the sealing key (32 random bytes, hex), made on first use; or POSRT_STATE_KEY
//              (64 hex digits) in the environment, so the key need not sit next to the state.
// Every file is created with mode 0600. On start the log is replayed into the snapshot, then
// the snapshot is rewritten and the log emptied (compaction), also every COMPACT_RECORDS.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { fail } from "../../src/errors";
import { AcquirerState } from "./state";

export const STATE_FORMAT = "posrt-acquirer-state";
/** Log records after which the snapshot is rewritten and the log emptied. */
export const COMPACT_RECORDS = 5000;
/** Largest log accepted on start (bytes); a bigger one is refused. */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;
const FILE_MODE = 0o600;

interface Sealed {
  iv: string;
  tag: string;
  c: string;
}

/** A request as logged: when it was answered and its frame. */
export interface LoggedRequest {
  seq: number;
  t: number;
  frame: Uint8Array;
}

function seal(key: Buffer, aad: string, plain: string): Sealed {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return { iv: iv.toString("base64"), tag: c.getAuthTag().toString("base64"), c: data.toString("base64") };
}

function open(key: Buffer, aad: string, s: Sealed, where: string): string {
  try {
    const d = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(s.iv, "base64"));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(s.tag, "base64"));
    return Buffer.concat([d.update(Buffer.from(s.c, "base64")), d.final()]).toString("utf8");
  } catch {
    return fail("state file", `${where} does not open with this key (wrong POSRT_STATE_KEY or key file, or damaged)`);
  }
}

/** Writes `text` to `file` with mode 0600, fsync'ed, through a temporary file and a rename. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w", FILE_MODE);
  try {
    fs.fchmodSync(fd, FILE_MODE);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a directory; the rename is then as durable as they make it
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** The sealing key: POSRT_STATE_KEY, else FILE.key (made with mode 0600 when missing). */
export function stateKey(file: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.POSRT_STATE_KEY;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!/^[0-9A-Fa-f]{64}$/.test(fromEnv)) fail("state key", "POSRT_STATE_KEY must be 64 hex digits");
    return Buffer.from(fromEnv, "hex");
  }
  const keyFile = file + ".key";
  if (!fs.existsSync(keyFile)) {
    const fd = fs.openSync(keyFile, "wx", FILE_MODE);
    try {
      fs.writeSync(fd, crypto.randomBytes(32).toString("hex") + "\n");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  const text = fs.readFileSync(keyFile, "utf8").trim();
  if (!/^[0-9A-Fa-f]{64}$/.test(text)) fail("state key", `${keyFile} must hold 64 hex digits`);
  return Buffer.from(text, "hex");
}

export class StateStore {
  private fd = -1;
  private seq = 0;
  private sinceCompact = 0;
  readonly logFile: string;

  constructor(readonly file: string, private key: Buffer) {
    this.logFile = file + ".log";
  }

  /** The snapshot (undefined when FILE does not exist) and the logged requests after it, in order. */
  load(): { state: AcquirerState | undefined; replay: LoggedRequest[] } {
    let state: AcquirerState | undefined = undefined;
    let snapSeq = 0;
    if (fs.existsSync(this.file)) {
      const snap = readSnapshot(this.file, this.key);
      state = snap.state;
      snapSeq = snap.seq;
    }
    const replay = this.readLog().filter((r) => r.seq > snapSeq);
    this.seq = replay.length > 0 ? replay[replay.length - 1].seq : snapSeq;
    return { state, replay };
  }

  private readLog(): LoggedRequest[] {
    if (!fs.existsSync(this.logFile)) return [];
    if (fs.statSync(this.logFile).size > MAX_LOG_BYTES) fail("state log", `${this.logFile} is larger than ${MAX_LOG_BYTES} bytes`);
    const lines = fs.readFileSync(this.logFile, "utf8").split("\n");
    const out: LoggedRequest[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === "") continue;
      let rec: Sealed & { s: number };
      try {
        rec = JSON.parse(lines[i]);
      } catch {
        if (i >= lines.length - 2) break; // the last line torn by a crash: it was never answered
        return fail("state log", `${this.logFile}: record ${i + 1} is damaged`);
      }
      const body = JSON.parse(open(this.key, "log:" + rec.s, rec, `${this.logFile} record ${i + 1}`)) as { t: number; f: string };
      out.push({ seq: rec.s, t: body.t, frame: new Uint8Array(Buffer.from(body.f, "hex")) });
    }
    return out;
  }

  /** Appends one answered request and forces it to disk; returns true when a compaction is due. */
  append(t: number, frame: Uint8Array): boolean {
    if (this.fd < 0) this.fd = fs.openSync(this.logFile, "a", FILE_MODE);
    this.seq++;
    const rec = { s: this.seq, ...seal(this.key, "log:" + this.seq, JSON.stringify({ t, f: Buffer.from(frame).toString("hex") })) };
    fs.writeSync(this.fd, JSON.stringify(rec) + "\n");
    fs.fdatasyncSync(this.fd);
    this.sinceCompact++;
    return this.sinceCompact >= COMPACT_RECORDS;
  }

  /** Writes `state` (which includes every logged request) as the snapshot, then empties the log. */
  compact(state: AcquirerState): void {
    const snap = { format: STATE_FORMAT, version: state.version, seq: this.seq, sealed: seal(this.key, STATE_FORMAT + ":" + this.seq, JSON.stringify(state)) };
    writeAtomic(this.file, JSON.stringify(snap) + "\n");
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.logFile, "w", FILE_MODE);
    fs.fchmodSync(this.fd, FILE_MODE);
    fs.fsyncSync(this.fd);
    this.sinceCompact = 0;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Reads a snapshot: sealed, or an old plain JSON state (version 1, read once and sealed at the next write). */
export function readSnapshot(file: string, key: Buffer): { state: AcquirerState; seq: number } {
  let doc: { format?: string; seq?: number; sealed?: Sealed; version?: number };
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return fail("state file", `${file} is not a state file: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== "object") return fail("state file", `${file} is not a state file`);
  if (doc.format !== STATE_FORMAT) {
    if (doc.version === 1) return { state: doc as unknown as AcquirerState, seq: 0 };
    return fail("state file", `${file} is not a posrt acquirer state file`);
  }
  if (typeof doc.seq !== "number" || doc.sealed === undefined) return fail("state file", `${file}: "seq" and "sealed" missing`);
  return { state: JSON.parse(open(key, STATE_FORMAT + ":" + doc.seq, doc.sealed, file)) as AcquirerState, seq: doc.seq };
}

/** The state in FILE with its log applied is not needed here: tests and tools read the snapshot (after a clean stop). */
export function readStateFile(file: string, env: NodeJS.ProcessEnv = process.env): AcquirerState {
  return readSnapshot(file, stateKey(file, env)).state;
}
