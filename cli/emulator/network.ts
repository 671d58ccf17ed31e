// The emulated board's network: each connection the page's `net` built-in opens reaches the
// acquirer — the simulator in-process (through its fault layer, so the page's fault panel can
// force a fault on the next message) or a `posrt acquirer` on HOST:PORT over TCP. Frames
// (cup framing: 2-byte length first) are cut out of the byte stream both ways for the wire
// log. "Network down" is a pulled cable: connecting fails and nothing passes either way.
import * as net from "net";
import { AcquirerCore } from "../acquirer/core";
import { FaultyAcquirer, parseFaultSpec } from "../acquirer/faults";
import { MAX_FRAME_BYTES } from "../acquirer/server";

/** Most connections one page may hold at once. */
export const MAX_CONNECTIONS = 8;
/** Bytes kept while a frame is incomplete (the largest frame plus its length). */
const MAX_PENDING_BYTES = MAX_FRAME_BYTES + 2;

export type Direction = "out" | "in";

/** Where the bytes of one connection go on the page's side. */
export interface ConnectionSink {
  open(): void;
  data(bytes: Uint8Array): void;
  /** The connection ended (by the acquirer or after an error). */
  close(): void;
  error(detail: string): void;
}

export interface NetworkOptions {
  /** "embedded" or HOST:PORT of a `posrt acquirer`. */
  acquirer: string;
  seed: number;
  onWire: (dir: Direction, frame: Uint8Array) => void;
  /** A request frame left the board (called before it is answered); true swallows the answer. */
  onRequest?: (frame: Uint8Array) => boolean;
  log: (line: string) => void;
}

/** Cuts whole frames out of a byte stream. */
class Framer {
  private pending = Buffer.alloc(0);
  push(chunk: Uint8Array, onFrame: (f: Uint8Array) => void): boolean {
    this.pending = Buffer.concat([this.pending, Buffer.from(chunk)]);
    while (this.pending.length >= 2) {
      const n = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + n) break;
      onFrame(new Uint8Array(this.pending.subarray(0, 2 + n)));
      this.pending = this.pending.subarray(2 + n);
    }
    return this.pending.length <= MAX_PENDING_BYTES;
  }
}

export interface Connection {
  /** Bytes from the board; `at_ms` is the board's clock (the simulator answers on it). */
  write(bytes: Uint8Array, at_ms?: number): void;
  end(): void;
}

export class Network {
  up = true;
  readonly core: AcquirerCore | undefined;
  readonly faulty: FaultyAcquirer | undefined;
  private remote: { host: string; port: number } | undefined;
  private o: NetworkOptions;
  private open = new Set<{ end: () => void }>();

  constructor(o: NetworkOptions) {
    this.o = o;
    if (o.acquirer === "embedded") {
      this.core = new AcquirerCore({ seed: o.seed });
      this.faulty = new FaultyAcquirer(this.core, parseFaultSpec("none"));
    } else {
      const m = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(o.acquirer);
      if (m === null || Number(m[2]) > 65535) throw new Error(`--acquirer must be embedded or HOST:PORT, got "${o.acquirer}"`);
      this.remote = { host: m[1], port: Number(m[2]) };
    }
  }

  describe(): string {
    return this.remote === undefined ? "embedded acquirer simulator" : `acquirer at ${this.remote.host}:${this.remote.port}`;
  }

  /** Opens a connection for the page; connecting with the network down fails at once. */
  connect(sink: ConnectionSink): Connection | undefined {
    if (!this.up) {
      setImmediate(() => sink.error("network down: no route to the acquirer"));
      return undefined;
    }
    if (this.open.size >= MAX_CONNECTIONS) {
      setImmediate(() => sink.error(`more than ${MAX_CONNECTIONS} connections`));
      return undefined;
    }
    return this.remote === undefined ? this.embedded(sink) : this.tcp(sink, this.remote);
  }

  /** Ends every connection (page gone, power cut, server stopping). */
  closeAll(): void {
    for (const c of [...this.open]) c.end();
  }

  private embedded(sink: ConnectionSink): Connection {
    const framer = new Framer();
    const timers = new Set<NodeJS.Timeout>();
    let closed = false;
    const end = (): void => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      this.open.delete(handle);
      sink.close();
    };
    const handle = { end };
    this.open.add(handle);
    setImmediate(() => { if (!closed) sink.open(); });
    const deliver = (frame: Uint8Array): void => {
      if (closed || !this.up) return;
      this.o.onWire("in", frame);
      sink.data(frame);
    };
    let at_ms = Date.now();
    const answer = (frame: Uint8Array): void => {
      this.o.onWire("out", frame);
      const swallow = this.o.onRequest !== undefined && this.o.onRequest(frame);
      const out = (this.faulty as FaultyAcquirer).handle(frame, at_ms);
      this.o.log(`acquirer: ${out.note}`);
      if (swallow) return;
      for (const d of out.deliveries) {
        const wait = d.at_ms - at_ms;
        if (wait <= 0) deliver(d.frame);
        else {
          const t = setTimeout(() => { timers.delete(t); deliver(d.frame); }, wait);
          t.unref();
          timers.add(t);
        }
      }
      if (out.close) setImmediate(end);
    };
    return {
      write: (bytes: Uint8Array, board_ms?: number) => {
        if (closed || !this.up) return;
        at_ms = board_ms ?? Date.now();
        if (!framer.push(bytes, answer)) end();
      },
      end,
    };
  }

  private tcp(sink: ConnectionSink, at: { host: string; port: number }): Connection {
    const out = new Framer();
    const back = new Framer();
    let closed = false;
    const sock = net.connect({ host: at.host, port: at.port });
    const end = (): void => {
      if (closed) return;
      closed = true;
      this.open.delete(handle);
      sock.destroy();
      sink.close();
    };
    const handle = { end };
    this.open.add(handle);
    sock.setNoDelay(true);
    sock.on("connect", () => sink.open());
    sock.on("data", (chunk: Buffer) => {
      if (!this.up) return;
      back.push(chunk, (f) => this.o.onWire("in", f));
      sink.data(new Uint8Array(chunk));
    });
    sock.on("error", (e) => { if (!closed) sink.error(e.message); end(); });
    sock.on("close", end);
    let swallowed = false;
    return {
      write: (bytes: Uint8Array) => {
        if (closed || !this.up || swallowed) return;
        out.push(bytes, (f) => {
          this.o.onWire("out", f);
          if (this.o.onRequest !== undefined && this.o.onRequest(f)) swallowed = true;
        });
        sock.write(bytes);
      },
      end,
    };
  }
}
