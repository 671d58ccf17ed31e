// The acquirer server's connection table: caps in all and per remote address, a deadline for
// a whole frame (from its first byte) and an idle time between frames. One sweep timer serves
// every connection.
import * as net from "net";

export interface ConnLimits {
  /** Most open connections in all. */
  maxConnections: number;
  /** Most open connections from one remote address. */
  maxPerAddress: number;
  /** A frame must be complete this long after its first byte arrived. */
  frameDeadline_ms: number;
  /** A connection with no frame under way is closed after this long without a whole frame. */
  idle_ms: number;
}

export const DEFAULT_LIMITS: ConnLimits = { maxConnections: 1024, maxPerAddress: 256, frameDeadline_ms: 10000, idle_ms: 120000 };

/** One open connection. */
export interface Conn {
  sock: net.Socket;
  addr: string;
  who: string;
  opened_ms: number;
  /** When the last whole frame arrived (the opening time before the first). */
  lastFrame_ms: number;
  /** Whole frames received. */
  frames: number;
  /** First byte of the frame under way, 0 when none is. */
  frameStart_ms: number;
  pending: Buffer;
}

export class ConnectionTable {
  private conns = new Set<Conn>();
  private perAddr = new Map<string, number>();
  private timer: NodeJS.Timeout;
  private counts = { evicted: 0, deadline: 0, idle: 0 };

  constructor(private limits: ConnLimits, private log?: (line: string) => void) {
    const tick = Math.max(10, Math.min(1000, Math.floor(Math.min(limits.frameDeadline_ms, limits.idle_ms) / 4)));
    this.timer = setInterval(() => this.sweep(), tick);
    this.timer.unref();
  }

  /** Registers a new connection, first making room for it when a cap is reached. */
  admit(sock: net.Socket): Conn | undefined {
    const addr = sock.remoteAddress ?? "?";
    for (let tries = 0; tries < 2 && this.full(addr); tries++) {
      const fullest = (this.perAddr.get(addr) ?? 0) >= this.limits.maxPerAddress ? addr : this.fullestAddress();
      const victim = this.leastUseful(fullest);
      if (victim === undefined) break;
      this.counts.evicted++;
      this.drop(victim, "connection cap reached: closing the least useful connection of " + fullest);
    }
    if (this.full(addr)) {
      sock.destroy();
      return undefined;
    }
    const now = Date.now();
    const c: Conn = { sock, addr, who: `${addr}:${sock.remotePort}`, opened_ms: now, lastFrame_ms: now, frames: 0, frameStart_ms: 0, pending: Buffer.alloc(0) };
    this.conns.add(c);
    this.perAddr.set(addr, (this.perAddr.get(addr) ?? 0) + 1);
    return c;
  }

  /** A whole frame arrived; `more` when bytes of the next one are already there. */
  frameDone(c: Conn, more: boolean): void {
    c.frames++;
    c.lastFrame_ms = Date.now();
    c.frameStart_ms = more ? c.lastFrame_ms : 0;
  }

  remove(c: Conn): void {
    if (!this.conns.delete(c)) return;
    const n = (this.perAddr.get(c.addr) ?? 1) - 1;
    if (n <= 0) this.perAddr.delete(c.addr);
    else this.perAddr.set(c.addr, n);
  }

  stats(): { open: number; evicted: number; deadline: number; idle: number } {
    return { open: this.conns.size, ...this.counts };
  }

  stop(): void {
    clearInterval(this.timer);
    for (const c of this.conns) c.sock.destroy();
  }

  private full(addr: string): boolean {
    return this.conns.size >= this.limits.maxConnections || (this.perAddr.get(addr) ?? 0) >= this.limits.maxPerAddress;
  }

  private fullestAddress(): string {
    let best = "";
    let most = -1;
    for (const [a, n] of this.perAddr) if (n > most) { best = a; most = n; }
    return best;
  }

  /** Of `addr`'s connections: one that never sent a whole frame (oldest first), else the one idle longest. */
  private leastUseful(addr: string): Conn | undefined {
    let best: Conn | undefined = undefined;
    let bestScore = Infinity;
    for (const c of this.conns) {
      if (c.addr !== addr || c.sock.destroyed) continue;
      const score = c.frames === 0 ? c.opened_ms - 1e15 : c.lastFrame_ms;
      if (score < bestScore) { best = c; bestScore = score; }
    }
    return best;
  }

  private drop(c: Conn, why: string): void {
    this.log?.(`${c.who}: ${why}`);
    this.remove(c);
    c.sock.destroy();
  }

  /** Closes connections whose frame is overdue or that idled too long. */
  private sweep(): void {
    const now = Date.now();
    for (const c of this.conns) {
      if (c.frameStart_ms !== 0 && now - c.frameStart_ms > this.limits.frameDeadline_ms) {
        this.counts.deadline++;
        this.drop(c, `frame not complete ${this.limits.frameDeadline_ms} ms after its first byte, closing`);
      } else if (c.frameStart_ms === 0 && now - c.lastFrame_ms > this.limits.idle_ms) {
        this.counts.idle++;
        this.drop(c, `idle ${this.limits.idle_ms} ms, closing`);
      }
    }
  }
}
