// A bounded receive queue for the platform links: bytes pushed by the socket callback, taken
// by Link.read. Allocated once at open (fixed memory); portable (ES5 and Lua).
import { Bytes, alloc, copy, len, set } from "../../src/bytes/index";

export class ByteQueue {
  private buf: Bytes;
  private n: number;

  constructor(capacity_bytes: number) {
    this.buf = alloc(capacity_bytes);
    this.n = 0;
  }

  count(): number {
    return this.n;
  }

  /** Appends one byte; false when the queue is full (the byte is dropped). */
  push(v: number): boolean {
    if (this.n >= len(this.buf)) return false;
    set(this.buf, this.n, v);
    this.n = this.n + 1;
    return true;
  }

  /** Moves up to `max` bytes into `into[off..]`; returns how many. */
  take(into: Bytes, off: number, max: number): number {
    const k = max < this.n ? max : this.n;
    if (k <= 0) return 0;
    copy(this.buf, 0, into, off, k);
    copy(this.buf, k, this.buf, 0, this.n - k);
    this.n = this.n - k;
    return k;
  }

  clear(): void {
    this.n = 0;
  }
}

/** Characters searched from the end for the ":" of "host:port". */
export const MAX_PORT_SUFFIX = 7;

/** Splits "host:port"; port 1..65535. Returns undefined when malformed. */
export function splitAddress(address: string): { host: string; port: number } | undefined {
  let colon = -1;
  for (let i = address.length - 1; i >= 0 && i >= address.length - MAX_PORT_SUFFIX; i--) {
    if (address.charCodeAt(i) === 58) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return undefined;
  const digits = address.substring(colon + 1);
  let port = 0;
  for (let i = 0; i < digits.length && i < 6; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    port = port * 10 + (c - 48);
  }
  if (digits.length === 0 || digits.length > 5 || port < 1 || port > 65535) return undefined;
  return { host: address.substring(0, colon), port: port };
}
