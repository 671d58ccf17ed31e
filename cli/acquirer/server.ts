// TCP front of the acquirer simulator: cup framing (2-byte big-endian length of what follows),
// any number of requests per connection, replies through the fault layer. A bad frame closes
// only its own connection; the server keeps serving everyone else.
//
// Connections are a bounded resource (see ConnectionTable): a cap in all and per address; a
// frame must arrive whole within a deadline from its first byte (trickling bytes buy nothing);
// a connection with no frame under way is closed after an idle time. When a cap is reached, a
// new connection takes the place of the least useful one of the fullest address (one that has
// never sent a whole frame first, oldest first), so idle or trickling connections cannot keep
// working terminals out.
import * as net from "net";
import { FaultyAcquirer } from "./faults";
import { errorText } from "../../src/errors";
import { ConnLimits, ConnectionTable, DEFAULT_LIMITS, Conn } from "./connections";

/** Largest frame accepted (length prefix value); bigger ones close the connection. */
export const MAX_FRAME_BYTES = 4096;
/** Smallest frame: TPDU (5) + header (6) + MTI (2) + bitmap (8). */
export const MIN_FRAME_BYTES = 21;
export { DEFAULT_LIMITS };
export type { ConnLimits };

export interface ServerOptions {
  acquirer: FaultyAcquirer;
  port: number;
  host?: string;
  /** One line per message (and per dropped connection), or nothing. */
  log?: (line: string) => void;
  /** Called after every answered message. */
  onMessage?: () => void;
  /** Clock for the core, Date.now by default. */
  now?: () => number;
  /** Every frame in (a request) and out (a reply), e.g. for a redacted wire log. */
  wire?: (who: string, dir: "in" | "out", frame: Uint8Array) => void;
  /** Connection limits (defaults: DEFAULT_LIMITS). */
  limits?: Partial<ConnLimits>;
}

export interface RunningServer {
  server: net.Server;
  port: number;
  /** Open connections, and how many were closed by a cap, a frame deadline or idleness. */
  stats: () => { open: number; evicted: number; deadline: number; idle: number };
  close: () => Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const table = new ConnectionTable({ ...DEFAULT_LIMITS, ...(opts.limits ?? {}) }, opts.log);
  const server = net.createServer((sock) => serveConnection(sock, opts, table));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      const addr = server.address() as net.AddressInfo;
      const close = () => new Promise<void>((done) => {
        table.stop();
        server.close(() => done());
      });
      resolve({ server, port: addr.port, stats: () => table.stats(), close });
    });
  });
}

function serveConnection(sock: net.Socket, opts: ServerOptions, table: ConnectionTable): void {
  const c = table.admit(sock);
  if (c === undefined) return;
  sock.setNoDelay(true);
  sock.on("data", (chunk: Buffer) => {
    c.pending = c.pending.length === 0 ? chunk : Buffer.concat([c.pending, chunk]);
    if (c.frameStart_ms === 0) c.frameStart_ms = Date.now();
    while (c.pending.length >= 2 && !sock.destroyed) {
      const n = c.pending.readUInt16BE(0);
      if (n < MIN_FRAME_BYTES || n > MAX_FRAME_BYTES) {
        opts.log?.(`${c.who}: frame length ${n} outside ${MIN_FRAME_BYTES}..${MAX_FRAME_BYTES}, closing`);
        sock.destroy();
        return;
      }
      if (c.pending.length < 2 + n) break;
      const frame = new Uint8Array(c.pending.subarray(0, 2 + n));
      c.pending = c.pending.subarray(2 + n);
      table.frameDone(c, c.pending.length > 0);
      answer(c, frame, opts);
    }
  });
  sock.on("error", () => sock.destroy());
  sock.on("close", () => table.remove(c));
}

function answer(c: Conn, frame: Uint8Array, opts: ServerOptions): void {
  const sock = c.sock;
  const now = opts.now ?? Date.now;
  opts.wire?.(c.who, "in", frame);
  let out;
  try {
    out = opts.acquirer.handle(frame, now());
  } catch (e) {
    opts.log?.(`${c.who}: internal error, closing this connection: ${errorText(e)}`);
    sock.destroy();
    return;
  }
  opts.log?.(`${c.who}: ${out.note}`);
  opts.onMessage?.();
  for (const d of out.deliveries) {
    const wait = d.at_ms - now();
    const send = () => {
      if (sock.destroyed) return;
      opts.wire?.(c.who, "out", d.frame);
      sock.write(d.frame);
    };
    if (wait <= 0) send();
    else setTimeout(send, wait).unref();
  }
  if (out.close) sock.end();
}
