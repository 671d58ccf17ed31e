// One page's board as the server sees it: its WebSocket, its power, its flash writes (into
// the image file), its network connections (sealed with the link channel) and the side views
// pushed back after every change. Messages are JSON text; link bytes travel sealed, base64.
import { FaultKind, FAULT_KINDS } from "../acquirer/faults";
import { errorText } from "../../src/errors";
import { LinkChannel } from "./channel";
import { FlashImage } from "./image";
import { Connection, Direction, Network } from "./network";
import { journalView, ledgerView, MAX_WIRE_ENTRIES, WireEntry, wireEntry } from "./views";
import type { WsSocket } from "./server";

/** Views are sent at most this often while the board writes. */
export const VIEW_PUSH_MS = 100;
/** Request MTIs whose leaving may trip the "after the request left" power cut. */
export const TXN_REQUEST_MTIS = ["0200", "0220"];

export interface BoardOptions {
  ws: WsSocket;
  image: FlashImage;
  network: Network;
  log: (line: string) => void;
  forceFault: (kind: FaultKind) => void;
  /** What the page needs to build the countertop (display, cards, flash geometry...). */
  profile: { [k: string]: unknown };
}

type Msg = { t: string; [k: string]: unknown };

/** The MTI of a wire frame (BCD after length, TPDU and header), or "". */
export function frameMti(frame: Uint8Array): string {
  if (frame.length < 15) return "";
  return frame[13].toString(16).padStart(2, "0") + frame[14].toString(16).padStart(2, "0");
}

export class Board {
  private o: BoardOptions;
  private channel = new LinkChannel();
  private powered = false;
  private conns = new Map<number, Connection>();
  private wireLog: WireEntry[] = [];
  private wireCount = 0;
  private pushTimer: NodeJS.Timeout | undefined = undefined;
  /** "after-request": the next transaction request that leaves cuts the power. */
  private armed = "";

  constructor(o: BoardOptions) {
    this.o = o;
    o.ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let m: Msg;
      try {
        m = JSON.parse(data.toString("utf8")) as Msg;
      } catch (e) {
        this.send({ t: "error", detail: "not JSON" });
        return;
      }
      try {
        this.handle(m);
      } catch (e) {
        this.send({ t: "error", detail: `${m.t}: ${errorText(e)}` });
      }
    });
    this.send({ t: "hello", pub: this.channel.publicKey.toString("base64"), profile: o.profile, network: o.network.up });
    // power on at once: the page boots its device while the key exchange completes
    this.boot();
  }

  private send(m: Msg): void {
    if (this.o.ws.readyState === 1) this.o.ws.send(JSON.stringify(m));
  }

  private handle(m: Msg): void {
    switch (m.t) {
      case "key": this.channel.agree(Buffer.from(String(m.pub), "base64")); return;
      case "boot": return this.boot();
      case "power-off": return this.powerOff(String(m.why ?? "power cut"));
      case "flash-write": return this.flash(() => this.o.image.program(Number(m.addr), Buffer.from(String(m.data), "base64")));
      case "flash-erase": return this.flash(() => this.o.image.erase(Number(m.addr)));
      case "net-connect": return this.connect(Number(m.id));
      case "net-write": return this.netWrite(Number(m.id), String(m.data), typeof m.at === "number" ? m.at : undefined);
      case "net-end": return this.netEnd(Number(m.id));
      case "network": return this.setNetwork(m.up === true);
      case "acquirer-fault": return this.fault(String(m.kind));
      case "arm": this.armed = String(m.point ?? ""); return;
      case "views": return this.pushViews();
      default: this.send({ t: "error", detail: "unknown message " + m.t });
    }
  }

  /** Power on: the page gets the flash image (binary, sparse) and boots its device on it. */
  private boot(): void {
    this.powered = true;
    this.armed = "";
    this.o.ws.send(this.o.image.sparse());
    this.schedulePush();
  }

  private powerOff(why: string): void {
    if (!this.powered) return;
    this.powered = false;
    this.armed = "";
    for (const c of [...this.conns.values()]) c.end();
    this.conns.clear();
    this.o.log(`board: power off (${why})`);
    this.send({ t: "power-off", why });
    this.pushViews();
  }

  private flash(apply: () => boolean): void {
    // writes the device made after the power went are lost, as on the board
    if (!this.powered) return;
    if (!apply()) this.send({ t: "error", detail: "flash address outside the image" });
    this.schedulePush();
  }

  private connect(id: number): void {
    if (!this.powered) return;
    const c = this.o.network.connect({
      open: () => this.send({ t: "net-open", id }),
      data: (bytes) => { if (this.powered) this.send({ t: "net-data", id, data: this.channel.seal(bytes).toString("base64") }); },
      close: () => { this.conns.delete(id); this.send({ t: "net-close", id }); },
      error: (detail) => { this.conns.delete(id); this.send({ t: "net-error", id, detail }); },
    });
    if (c !== undefined) this.conns.set(id, c);
  }

  private netWrite(id: number, sealed: string, at_ms: number | undefined): void {
    const c = this.conns.get(id);
    // the ack follows whatever the acquirer answered at once: the page then knows nothing is on its way
    if (this.powered && c !== undefined) c.write(new Uint8Array(this.channel.open(Buffer.from(sealed, "base64"))), at_ms);
    this.send({ t: "net-ack", id });
  }

  private netEnd(id: number): void {
    const c = this.conns.get(id);
    this.conns.delete(id);
    if (c !== undefined) c.end();
  }

  private setNetwork(up: boolean): void {
    this.o.network.up = up;
    this.o.log(`network ${up ? "up" : "down"}`);
    this.send({ t: "network", up });
  }

  private fault(kind: string): void {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown acquirer fault "${kind}" (${FAULT_KINDS.join(", ")})`);
    this.o.forceFault(kind as FaultKind);
    this.send({ t: "fault-armed", kind });
  }

  /** A request left the board; true when the armed power cut swallows its answer. */
  requestLeft(frame: Uint8Array): boolean {
    if (this.armed !== "after-request" || !TXN_REQUEST_MTIS.includes(frameMti(frame))) return false;
    // the acquirer still answers (and books it); the board is already dark
    setImmediate(() => this.powerOff("power cut after the request left"));
    return true;
  }

  /** A frame crossed the network: decoded (card data masked) into the wire log. */
  wire(dir: Direction, frame: Uint8Array): void {
    const e = wireEntry(++this.wireCount, dir, frame);
    this.wireLog.push(e);
    if (this.wireLog.length > MAX_WIRE_ENTRIES) this.wireLog.shift();
    this.send({ t: "wire", entry: e });
    this.schedulePush();
  }

  private schedulePush(): void {
    if (this.pushTimer !== undefined) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      this.pushViews();
    }, VIEW_PUSH_MS);
  }

  private pushViews(): void {
    const core = this.o.network.core;
    this.send({ t: "views", journal: journalView(this.o.image.bytes), ledger: core === undefined ? undefined : ledgerView(core), powered: this.powered, network: this.o.network.up });
  }

  /** Another page took over. */
  replace(): void {
    this.send({ t: "replaced" });
    this.gone();
    this.o.ws.close();
  }

  gone(): void {
    this.powered = false;
    if (this.pushTimer !== undefined) clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    for (const c of this.conns.values()) c.end();
    this.conns.clear();
  }
}
