// The PN532 host link on SPI (UM0701-02 §6.2.5): mode 0, LSB first, a first byte per
// chip-select cycle (01 data write, 02 status read, 03 data read). One command at a time:
// write the frame, poll status until ready, read and check the ACK, poll again, read the
// response; a response with a bad checksum gets a NACK (the PN532 sends it again), a missing
// ACK gets the frame again, up to LINK_RETRIES times; then "timeout" (nothing answered) or
// "io" (answers were wrong). Allocation: one transfer buffer, made at open.
import { Bus, Spi } from "../bus";
import { Bytes, alloc, get, len, set, slice } from "../../src/bytes/index";
import { ParsedFrame, TFI_HOST, TFI_PN532, buildFrame, parseFrame } from "../../src/parts/pn532-frame";
import { isPosrtError } from "../../src/errors";

/** Largest frame read back (normal frame with 254 data bytes, plus the op byte and slack). */
export const LINK_FRAME_BYTES = 266;
/** Status polls are this far apart. */
export const STATUS_POLL_MS = 2;
/** How long the ACK may take. */
export const ACK_TIMEOUT_MS = 30;
/** Resends (missing ACK) and NACKs (bad response) before giving up. */
export const LINK_RETRIES = 2;
/** SPI clock; the PN532 takes up to 5 MHz. */
export const PN532_SPI_HZ = 1000000;

const OP_WRITE = 0x01;
const OP_STATUS = 0x02;
const OP_READ = 0x03;
const NACK: number[] = [0x00, 0x00, 0xff, 0xff, 0x00, 0x00];

export type LinkError = "timeout" | "io";
export type LinkDone = (this: void, err: LinkError | "", detail: string, response: Bytes) => void;

interface Job {
  frame: Bytes;
  code: number;
  timeout_ms: number;
  done: LinkDone;
  phase: "ack" | "response";
  since: number;
  tries: number;
  nacks: number;
  timer: number;
}

export class Pn532Link {
  private bus: Bus;
  private spi: Spi;
  private buf: Bytes;
  private rx: Bytes;
  private job?: Job;
  /** Frames resent for a missing ACK and NACKs sent, since open (for checks). */
  resends = 0;
  nacks = 0;

  constructor(bus: Bus, cs_pin: number) {
    this.bus = bus;
    this.spi = bus.spi({ cs_pin: cs_pin, hz: PN532_SPI_HZ, mode: 0, lsb_first: true });
    this.buf = alloc(LINK_FRAME_BYTES);
    this.rx = alloc(LINK_FRAME_BYTES);
  }

  busy(): boolean {
    return this.job !== undefined;
  }

  /** Sends command `data` (code first) and calls `done` with the response data after the code. */
  command(data: Bytes, timeout_ms: number, done: LinkDone): void {
    if (this.job !== undefined) return done("io", "PN532 busy", alloc(0));
    const j: Job = { frame: buildFrame(data, TFI_HOST), code: get(data, 0), timeout_ms: timeout_ms, done: done, phase: "ack", since: 0, tries: 0, nacks: 0, timer: 0 };
    this.job = j;
    this.send(j);
  }

  /** Aborts the command in progress (an ACK frame from the host, UM0701-02 §6.2.1.3). */
  abort(): void {
    const j = this.job;
    if (j === undefined) return;
    this.bus.cancel(j.timer);
    this.job = undefined;
    const ack = alloc(7);
    set(ack, 0, OP_WRITE);
    set(ack, 3, 0xff);
    set(ack, 5, 0xff);
    this.transfer(ack, 7);
  }

  close(): void {
    if (this.job !== undefined) this.bus.cancel(this.job.timer);
    this.job = undefined;
    this.spi.close();
  }

  private transfer(out: Bytes, n: number): boolean {
    return this.spi.transfer(out, this.rx, n);
  }

  private send(j: Job): void {
    const n = len(j.frame);
    set(this.buf, 0, OP_WRITE);
    for (let i = 0; i < n; i++) set(this.buf, i + 1, get(j.frame, i));
    j.phase = "ack";
    j.since = this.bus.now_ms();
    if (!this.transfer(this.buf, n + 1)) return this.finish(j, "io", "SPI transfer failed", alloc(0));
    this.wait(j);
  }

  private wait(j: Job): void {
    j.timer = this.bus.timer({ delay_ms: STATUS_POLL_MS, onFire: () => this.poll(j) });
  }

  private finish(j: Job, err: LinkError | "", detail: string, data: Bytes): void {
    if (this.job !== j) return;
    this.job = undefined;
    j.done(err, detail, data);
  }

  private poll(j: Job): void {
    if (this.job !== j) return;
    set(this.buf, 0, OP_STATUS);
    set(this.buf, 1, 0x00);
    const ok = this.transfer(this.buf, 2);
    if (ok && (get(this.rx, 1) & 0x01) === 1) return this.readFrame(j);
    const limit = j.phase === "ack" ? ACK_TIMEOUT_MS : j.timeout_ms;
    if (this.bus.now_ms() - j.since < limit) return this.wait(j);
    if (j.phase === "response") return this.finish(j, "timeout", "no response to command 0x" + hex(j.code), alloc(0));
    if (j.tries >= LINK_RETRIES) return this.finish(j, "timeout", "no ACK to command 0x" + hex(j.code), alloc(0));
    j.tries = j.tries + 1;
    this.resends = this.resends + 1;
    this.send(j);
  }

  private readFrame(j: Job): void {
    const n = j.phase === "ack" ? 7 : LINK_FRAME_BYTES;
    set(this.buf, 0, OP_READ);
    for (let i = 1; i < n; i++) set(this.buf, i, 0x00);
    if (!this.transfer(this.buf, n)) return this.finish(j, "io", "SPI transfer failed", alloc(0));
    let f: ParsedFrame | undefined = undefined;
    let why = "";
    try {
      f = parseFrame(slice(this.rx, 1, n - 1));
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      why = (e as Error).message;
    }
    if (j.phase === "ack") return this.gotAck(j, f, why);
    this.gotResponse(j, f, why);
  }

  private gotAck(j: Job, f: ParsedFrame | undefined, why: string): void {
    if (f !== undefined && f.kind === "ack") {
      j.phase = "response";
      j.since = this.bus.now_ms();
      return this.wait(j);
    }
    if (j.tries >= LINK_RETRIES) return this.finish(j, "io", "bad ACK to command 0x" + hex(j.code) + (why === "" ? "" : ": " + why), alloc(0));
    j.tries = j.tries + 1;
    this.resends = this.resends + 1;
    this.send(j);
  }

  private gotResponse(j: Job, f: ParsedFrame | undefined, why: string): void {
    if (f === undefined) {
      if (j.nacks >= LINK_RETRIES) return this.finish(j, "io", "bad response frame: " + why, alloc(0));
      j.nacks = j.nacks + 1;
      this.nacks = this.nacks + 1;
      set(this.buf, 0, OP_WRITE);
      for (let i = 0; i < NACK.length; i++) set(this.buf, i + 1, NACK[i]);
      this.transfer(this.buf, NACK.length + 1);
      j.since = this.bus.now_ms();
      return this.wait(j);
    }
    if (f.kind === "error") return this.finish(j, "io", "PN532 syntax error frame for command 0x" + hex(j.code), alloc(0));
    if (f.kind !== "info" || f.tfi !== TFI_PN532 || len(f.data) < 1 || get(f.data, 0) !== j.code + 1) {
      return this.finish(j, "io", "unexpected frame for command 0x" + hex(j.code), alloc(0));
    }
    this.finish(j, "", "", slice(f.data, 1, len(f.data) - 1));
  }
}

function hex(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}
