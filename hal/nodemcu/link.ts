// Link HAL on NodeMCU (ESP32): a TCP socket of the `net` module. Payloads are Lua strings
// (one char per byte); bytes cross into Bytes here. One send at a time: the next chunk goes
// on the "sent" event. The socket opens on the first write and again after a close.
import { Bytes, get } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { Link, LinkOptions } from "../link";
import { ByteQueue, splitAddress } from "../shared/byte-queue";

export const LINK_RX_BYTES = 2048;
export const LINK_TX_BYTES = 2048;

interface NodeSocket {
  on(this: NodeSocket, event: string, fn: (this: void, s: NodeSocket, data: string) => void): void;
  connect(this: NodeSocket, port: number, host: string): void;
  send(this: NodeSocket, data: string): void;
  close(this: NodeSocket): void;
}

interface NodeTimer {
  alarm(this: NodeTimer, interval_ms: number, mode: number, fn: (this: void, t: NodeTimer) => void): boolean;
  unregister(this: NodeTimer): void;
}

declare const net: { createConnection(this: void, kind: number): NodeSocket; TCP: number };
declare const tmr: { create(this: void): NodeTimer; ALARM_SINGLE: number };

const ST_CLOSED = 0;
const ST_CONNECTING = 1;
const ST_OPEN = 2;

class NodeMcuLink implements Link {
  private o: LinkOptions;
  private host: string;
  private port: number;
  private rx: ByteQueue;
  private tx: string;
  private sending: boolean;
  private sock: NodeSocket | undefined;
  private st: number;
  private timer: NodeTimer;

  constructor(o: LinkOptions) {
    const a = splitAddress(o.address);
    if (a === undefined) fail("link", "address \"" + o.address + "\" is not host:port");
    this.o = o;
    this.host = a.host;
    this.port = a.port;
    this.rx = new ByteQueue(LINK_RX_BYTES);
    this.tx = "";
    this.sending = false;
    this.sock = undefined;
    this.st = ST_CLOSED;
    this.timer = tmr.create();
  }

  private connect(): void {
    this.st = ST_CONNECTING;
    this.timer.alarm(this.o.connect_timeout_ms, tmr.ALARM_SINGLE, () => this.fault("timeout", "no connection in " + this.o.connect_timeout_ms + " ms"));
    const s = net.createConnection(net.TCP);
    s.on("connection", () => this.opened(s));
    s.on("receive", (_s: NodeSocket, data: string) => this.received(data));
    s.on("sent", () => this.sent());
    s.on("disconnection", (_s: NodeSocket, err: string) => this.closed(s, err));
    this.sock = s;
    s.connect(this.port, this.host);
  }

  private opened(s: NodeSocket): void {
    if (this.sock !== s) return;
    this.timer.unregister();
    this.st = ST_OPEN;
    this.o.onOpen();
    this.sent();
  }

  /** Sends what is queued, if nothing is in flight. */
  private sent(): void {
    this.sending = false;
    if (this.st !== ST_OPEN || this.sock === undefined || this.tx.length === 0) return;
    const chunk = this.tx;
    this.tx = "";
    this.sending = true;
    this.sock.send(chunk);
  }

  private received(data: string): void {
    let dropped = 0;
    for (let i = 0; i < data.length; i++) if (!this.rx.push(data.charCodeAt(i))) dropped++;
    if (dropped > 0) this.o.onError("io", "receive queue full, " + dropped + " bytes dropped");
    if (this.rx.count() > 0) this.o.onReadable(this.rx.count());
  }

  private fault(error: "timeout" | "io", detail: string): void {
    const s = this.sock;
    this.o.onError(error, detail);
    this.drop();
    if (s !== undefined) s.close();
  }

  private closed(s: NodeSocket, err: string): void {
    if (this.sock !== s) return;
    const failed = this.st !== ST_OPEN;
    this.drop();
    if (failed) this.o.onError("refused", "no connection: " + String(err));
    if (this.o.onClose !== undefined) this.o.onClose();
  }

  private drop(): void {
    this.timer.unregister();
    this.sock = undefined;
    this.st = ST_CLOSED;
    this.tx = "";
    this.sending = false;
  }

  write(data: Bytes, off: number, n: number): number {
    let k = 0;
    let s = "";
    for (; k < n && this.tx.length + k < LINK_TX_BYTES; k++) s = s + String.fromCharCode(get(data, off + k));
    this.tx = this.tx + s;
    if (this.st === ST_CLOSED) this.connect();
    else if (!this.sending) this.sent();
    return k;
  }

  read(into: Bytes, off: number, max: number): number {
    return this.rx.take(into, off, max);
  }

  close(): void {
    const s = this.sock;
    this.drop();
    if (s !== undefined) s.close();
  }
}

export function openNodeMcuLink(o: LinkOptions): Link {
  return new NodeMcuLink(o);
}
