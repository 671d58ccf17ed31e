// TCP front of the acquirer simulator: cup framing (2-byte big-endian length of what follows),
// any number of requests per connection, replies through the fault layer. A bad frame closes
// only its own connection; the server keeps serving everyone else.
import * as net from "net";
import { FaultyAcquirer } from "./faults";
import { errorText } from "../../src/errors";

/** Largest frame accepted (length prefix value); bigger ones close the connection. */
export const MAX_FRAME_BYTES = 4096;
/** Smallest frame: TPDU (5) + header (6) + MTI (2) + bitmap (8). */
export const MIN_FRAME_BYTES = 21;
/** Most simultaneous connections. */
export const MAX_CONNECTIONS = 1024;
/** A connection silent this long is closed. */
export const IDLE_TIMEOUT_MS = 120000;

export interface ServerOptions {
  acquirer: FaultyAcquirer;
  port: number;
  host?: string;
  /** One line per message (and per dropped connection), or nothing. */
  log?: (line: string) => void;
  /** Called after every answered message (e.g. to schedule a state save). */
  onMessage?: () => void;
  /** Clock for the core, Date.now by default. */
  now?: () => number;
}

export interface RunningServer {
  server: net.Server;
  port: number;
  close: () => Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => serveConnection(sock, opts, sockets));
  server.maxConnections = MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      const addr = server.address() as net.AddressInfo;
      const close = () => new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      });
      resolve({ server, port: addr.port, close });
    });
  });
}

function serveConnection(sock: net.Socket, opts: ServerOptions, sockets: Set<net.Socket>): void {
  sockets.add(sock);
  sock.setNoDelay(true);
  sock.setTimeout(IDLE_TIMEOUT_MS, () => sock.destroy());
  const who = `${sock.remoteAddress}:${sock.remotePort}`;
  let pending: Buffer = Buffer.alloc(0);
  sock.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && !sock.destroyed) {
      const n = pending.readUInt16BE(0);
      if (n < MIN_FRAME_BYTES || n > MAX_FRAME_BYTES) {
        opts.log?.(`${who}: frame length ${n} outside ${MIN_FRAME_BYTES}..${MAX_FRAME_BYTES}, closing`);
        sock.destroy();
        return;
      }
      if (pending.length < 2 + n) break;
      const frame = new Uint8Array(pending.subarray(0, 2 + n));
      pending = pending.subarray(2 + n);
      answer(sock, frame, opts, who);
    }
  });
  sock.on("error", () => sock.destroy());
  sock.on("close", () => sockets.delete(sock));
}

function answer(sock: net.Socket, frame: Uint8Array, opts: ServerOptions, who: string): void {
  const now = opts.now ?? Date.now;
  let out;
  try {
    out = opts.acquirer.handle(frame, now());
  } catch (e) {
    opts.log?.(`${who}: internal error, closing this connection: ${errorText(e)}`);
    sock.destroy();
    return;
  }
  opts.log?.(`${who}: ${out.note}`);
  opts.onMessage?.();
  for (const d of out.deliveries) {
    const wait = d.at_ms - now();
    if (wait <= 0) sock.write(d.frame);
    else setTimeout(() => { if (!sock.destroyed) sock.write(d.frame); }, wait).unref();
  }
  if (out.close) sock.end();
}
