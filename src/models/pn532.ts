// An NXP PN532 on SPI (UM0701-02 "PN532 User Manual" §6.2 frames, §6.2.5 SPI; AN10609 for the
// C106 start-up): mode 0, LSB first; the host's first byte says what the cycle is (01 data
// write, 02 status read, 03 data read). The model checks every host frame on its own (LEN/LCS,
// TFI, DCS), answers ACK then the response frame, resends the last response on NACK, stays
// silent on a bad checksum, sends the syntax-error frame for what it does not know, and
// passes InDataExchange payloads to a virtual ISO 14443-4 card. Faults to inject: corrupt the
// next responses, mute (no answer at all), card removed before the next APDU is answered.
import { Bytes, alloc, get, len, set } from "../bytes/index";
import { SimBus } from "./sim-bus";

/** What a contactless card answers: its identity and one response APDU per command APDU. */
export interface VirtualCard {
  /** NFCID1 (4 or 7 bytes). */
  uid: Bytes;
  /** ATS from its TL byte on. */
  ats: Bytes;
  apdu: (this: void, command: Bytes) => Bytes;
}

/** Largest frame the model buffers (the PN532 takes 265 bytes from the host). */
export const PN532_FRAME_BYTES = 265;
/** Time from command to response (ms), per kind. */
export const PN532_ANSWER_MS = 2;
/** Time InListPassiveTarget takes per activation retry without a card (ms). */
export const PN532_RETRY_MS = 5;
/** Status byte of InDataExchange when the card did not answer (UM0701-02 Table 65: Time Out). */
export const STATUS_TIMEOUT = 0x01;

const SPI_DW = 0x01;
const SPI_SR = 0x02;
const SPI_DR = 0x03;

export interface Pn532ModelOptions {
  cs_pin: number;
}

export class Pn532Model {
  private sim: SimBus;
  private out: number[] = [];
  private last: number[] = [];
  private ready = false;
  private pending: number[] = [];
  private pendingDelay = 0;
  private samDone = false;
  private retries = 0xff;
  private card?: VirtualCard;
  private active = false;
  private waitingForCard = false;
  private corrupt = 0;
  private removeAfter = -1;
  /** Fault: the PN532 answers nothing at all (dead, unpowered, wrong wiring). */
  mute = false;
  /** Frames the model refused (bad LCS/DCS) and commands it did not know, for checks. */
  rejected = 0;
  /** APDUs passed to the card. */
  apdus = 0;

  constructor(sim: SimBus, o: Pn532ModelOptions) {
    this.sim = sim;
    sim.attachSpi({ cs_pin: o.cs_pin, mode: 0, lsb_first: true, max_hz: 5000000, transfer: (b: Bytes, into: Bytes, n: number) => this.cycle(b, into, n) });
  }

  /** A card enters the field. */
  tap(card: VirtualCard): void {
    this.card = card;
    if (this.waitingForCard) {
      this.waitingForCard = false;
      this.answerLater(this.listTarget());
    }
  }

  /** The card leaves the field. */
  removeCard(): void {
    this.card = undefined;
    this.active = false;
  }

  /** Fault: the card leaves the field after answering `n` more APDUs. */
  removeAfterApdus(n: number): void {
    this.removeAfter = n;
  }

  /** Fault: the DCS of the next `n` response frames (resends after a NACK included) is wrong. */
  corruptNext(n: number): void {
    this.corrupt = n;
  }

  private cycle(b: Bytes, into: Bytes, n: number): void {
    for (let i = 0; i < n; i++) set(into, i, 0x00);
    if (this.mute || n === 0) return;
    const op = get(b, 0);
    if (op === SPI_SR) {
      if (n > 1) set(into, 1, this.ready ? 0x01 : 0x00);
    } else if (op === SPI_DR) {
      for (let i = 1; i < n && i - 1 < this.out.length; i++) set(into, i, this.out[i - 1]);
      if (this.ready) this.next();
    } else if (op === SPI_DW) this.hostFrame(b, n);
  }

  /** After the host read a frame: the response (queued behind an ACK) becomes readable later. */
  private next(): void {
    this.ready = false;
    this.out = [];
    if (this.pending.length > 0) {
      const p = this.pending;
      this.pending = [];
      this.sim.bus.timer({ delay_ms: this.pendingDelay, onFire: () => this.show(p) });
    }
  }

  private show(frame: number[]): void {
    this.out = frame;
    this.ready = true;
  }

  /** Checks a frame written by the host (bytes after the 01 op byte). */
  private hostFrame(b: Bytes, n: number): void {
    let at = 1;
    while (at < n && at < 16 && get(b, at) === 0x00) at = at + 1;
    if (at >= n || get(b, at) !== 0xff || get(b, at - 1) !== 0x00) return this.reject();
    at = at + 1;
    if (at + 1 >= n) return this.reject();
    const l = get(b, at);
    const lcs = get(b, at + 1);
    if (l === 0x00 && lcs === 0xff) return this.abort();
    if (l === 0xff && lcs === 0x00) return this.resend();
    if (((l + lcs) & 0xff) !== 0 || l < 2 || at + 2 + l >= n) return this.reject();
    let sum = 0;
    for (let i = 0; i <= l; i++) sum = sum + get(b, at + 2 + i);
    if ((sum & 0xff) !== 0 || get(b, at + 2) !== 0xd4) return this.reject();
    const cmd: number[] = [];
    for (let i = 1; i < l; i++) cmd.push(get(b, at + 2 + i));
    this.show(ACK);
    this.respond(cmd);
  }

  /** Bad LCS/DCS/TFI: the PN532 does not acknowledge; the host times out and repeats. */
  private reject(): void {
    this.rejected = this.rejected + 1;
  }

  /** An ACK from the host aborts the command in progress. */
  private abort(): void {
    this.pending = [];
    this.waitingForCard = false;
    this.out = [];
    this.ready = false;
  }

  /** NACK: send the last response frame again. */
  private resend(): void {
    if (this.last.length === 0) return;
    if (this.corrupt > 0) {
      this.corrupt = this.corrupt - 1;
      const bad: number[] = [];
      for (let i = 0; i < this.last.length; i++) bad.push(i === this.last.length - 2 ? this.last[i] ^ 0x01 : this.last[i]);
      return this.show(bad);
    }
    this.show(this.last);
  }

  /** The response frame to `data`, readable `delay_ms` after the host has read the ACK. */
  private answerLater(data: number[], delay_ms?: number): void {
    const f = frame(data, this.corrupt > 0);
    const d = delay_ms === undefined ? PN532_ANSWER_MS : delay_ms;
    if (this.corrupt > 0) this.corrupt = this.corrupt - 1;
    this.last = frame(data, false);
    if (this.ready) {
      this.pending = f;
      this.pendingDelay = d;
    } else this.sim.bus.timer({ delay_ms: d, onFire: () => this.show(f) });
  }

  private syntaxError(): void {
    this.rejected = this.rejected + 1;
    this.last = ERROR_FRAME;
    if (this.ready) {
      this.pending = ERROR_FRAME;
      this.pendingDelay = PN532_ANSWER_MS;
    } else this.show(ERROR_FRAME);
  }

  private respond(c: number[]): void {
    const code = c[0];
    if (code === 0x02) return this.answerLater([0xd5, 0x03, 0x32, 0x01, 0x06, 0x07]);
    if (code === 0x14 && c.length >= 2 && c[1] >= 1 && c[1] <= 4) {
      this.samDone = true;
      return this.answerLater([0xd5, 0x15]);
    }
    // C106 starts in low-battery mode: SAMConfiguration must come first (AN10609 §4); the
    // manual does not say what other commands get then; the model answers the error frame.
    if (!this.samDone) return this.syntaxError();
    if (code === 0x32 && c.length >= 2) {
      if (c[1] === 0x05 && c.length >= 5) this.retries = c[4];
      return this.answerLater([0xd5, 0x33]);
    }
    if (code === 0x4a && c.length >= 3 && c[1] >= 1 && c[1] <= 2 && c[2] === 0x00) return this.inList();
    if (code === 0x40 && c.length >= 2) return this.exchange(c);
    if ((code === 0x52 || code === 0x44) && c.length >= 2) {
      this.active = false;
      return this.answerLater([0xd5, code + 1, 0x00]);
    }
    this.syntaxError();
  }

  private inList(): void {
    if (this.card !== undefined) return this.answerLater(this.listTarget());
    if (this.retries === 0xff) {
      this.waitingForCard = true;
      return;
    }
    this.answerLater([0xd5, 0x4b, 0x00], PN532_RETRY_MS * (this.retries + 1));
  }

  /** D5 4B 01 | Tg SENS_RES(2) SEL_RES NFCIDLength NFCID1 ATS (UM0701-02 §7.3.5). */
  private listTarget(): number[] {
    const card = this.card as VirtualCard;
    this.active = true;
    const r = [0xd5, 0x4b, 0x01, 0x01, 0x00, 0x04, 0x20, len(card.uid)];
    for (let i = 0; i < len(card.uid); i++) r.push(get(card.uid, i));
    for (let i = 0; i < len(card.ats); i++) r.push(get(card.ats, i));
    return r;
  }

  /** InDataExchange: D4 40 Tg data → D5 41 Status data. */
  private exchange(c: number[]): void {
    if (this.removeAfter === 0) {
      this.removeCard();
      this.removeAfter = -1;
    }
    if (this.card === undefined || !this.active || c[1] !== 0x01) return this.answerLater([0xd5, 0x41, this.card === undefined ? STATUS_TIMEOUT : 0x27]);
    const cmd = alloc(c.length - 2);
    for (let i = 2; i < c.length; i++) set(cmd, i - 2, c[i]);
    const resp = (this.card as VirtualCard).apdu(cmd);
    this.apdus = this.apdus + 1;
    if (this.removeAfter > 0) this.removeAfter = this.removeAfter - 1;
    const r = [0xd5, 0x41, 0x00];
    for (let i = 0; i < len(resp) && i < PN532_FRAME_BYTES - 12; i++) r.push(get(resp, i));
    this.answerLater(r);
  }
}

const ACK = [0x00, 0x00, 0xff, 0x00, 0xff, 0x00];
const ERROR_FRAME = [0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00];

/** A normal information frame around `data` (TFI first); `bad` breaks its DCS. */
function frame(data: number[], bad: boolean): number[] {
  const l = data.length;
  const f = [0x00, 0x00, 0xff, l, (0x100 - l) & 0xff];
  let sum = 0;
  for (let i = 0; i < l; i++) {
    f.push(data[i]);
    sum = sum + data[i];
  }
  f.push(((0x100 - (sum & 0xff)) ^ (bad ? 0x01 : 0x00)) & 0xff);
  f.push(0x00);
  return f;
}
