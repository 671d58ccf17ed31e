// Link HAL on Espruino: TCP through the built-in `net` module. Sockets deliver strings (one
// char per byte); bytes cross into Bytes here. The socket opens on the first write and again
// after a close, so an acquirer that closes after each reply is fine.
import { Bytes, get } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { Link, LinkOptions } from "../link";
import { ByteQueue, splitAddress } from "../shared/byte-queue";

export const LINK_RX_BYTES = 2048;
export const LINK_TX_BYTES = 2048;

interface EspruinoSocket {
  on(event: string, fn: (this: void, arg: string) => void): void;
  write(data: string): void;
  end(): void;
}

interface EspruinoNet {
  connect(o: { host: string; port: number }, onConnect: (this: void) => void): EspruinoSocket;
}

declare function require(name: "net"): EspruinoNet;
declare function setTimeout(fn: (this: void) => void, ms: number): number;
declare function clearTimeout(id: number): void;

const ST_CLOSED = 0;
const ST_CONNECTING = 1;
const ST_OPEN = 2;

class EspruinoLink implements Link {
  private o: LinkOptions;
  private host: string;
  private port: number;
  private rx: ByteQueue;
  private tx: string;
  private sock: EspruinoSocket | undefined;
  private st: number;
  private timer: number;

  constructor(o: LinkOptions) {
    const a = splitAddress(o.address);
    if (a === undefined) fail("link", "address \"" + o.address + "\" is not host:port");
    this.o = o;
    this.host = a.host;
    this.port = a.port;
    this.rx = new ByteQueue(LINK_RX_BYTES);
    this.tx = "";
    this.sock = undefined;
    this.st = ST_CLOSED;
    this.timer = 0;
  }

  private connect(): void {
    this.st = ST_CONNECTING;
    this.timer = setTimeout(() => this.fault("timeout", "no connection in " + this.o.connect_timeout_ms + " ms"), this.o.connect_timeout_ms);
    const s = require("net").connect({ host: this.host, port: this.port }, () => this.opened());
    s.on("data", (data: string) => this.received(data));
    s.on("error", (err: string) => this.fault("io", String(err)));
    s.on("close", () => this.closed(s));
    this.sock = s;
  }

  private opened(): void {
    clearTimeout(this.timer);
    this.st = ST_OPEN;
    this.o.onOpen();
    if (this.tx.length > 0 && this.sock !== undefined) this.sock.write(this.tx);
    this.tx = "";
  }

  private received(data: string): void {
    let dropped = 0;
    for (let i = 0; i < data.length; i++) if (!this.rx.push(data.charCodeAt(i) & 0xff)) dropped++;
    if (dropped > 0) this.o.onError("io", "receive queue full, " + dropped + " bytes dropped");
    if (this.rx.count() > 0) this.o.onReadable(this.rx.count());
  }

  private fault(error: "timeout" | "io", detail: string): void {
    const s = this.sock;
    this.o.onError(error, detail);
    this.drop();
    if (s !== undefined) s.end();
  }

  private closed(s: EspruinoSocket): void {
    if (this.sock !== s) return;
    this.drop();
    if (this.o.onClose !== undefined) this.o.onClose();
  }

  private drop(): void {
    clearTimeout(this.timer);
    this.sock = undefined;
    this.st = ST_CLOSED;
    this.tx = "";
  }

  write(data: Bytes, off: number, n: number): number {
    let k = 0;
    let s = "";
    for (; k < n && this.tx.length + k < LINK_TX_BYTES; k++) s += String.fromCharCode(get(data, off + k));
    if (this.st === ST_OPEN && this.sock !== undefined) this.sock.write(s);
    else this.tx += s;
    if (this.st === ST_CLOSED) this.connect();
    return k;
  }

  read(into: Bytes, off: number, max: number): number {
    return this.rx.take(into, off, max);
  }

  close(): void {
    const s = this.sock;
    this.drop();
    if (s !== undefined) s.end();
  }
}

export function openEspruinoLink(o: LinkOptions): Link {
  return new EspruinoLink(o);
}
