// Contactless reader on an NXP PN532 (SPI): configures it (SAMConfiguration, then
// RFConfiguration so InListPassiveTarget gives up after a few tries instead of waiting for
// ever), polls for an ISO 14443-4 type A card, reports "tap", passes APDUs with InDataExchange,
// and after powerOff waits until the card has left before it reports "remove" and polls again.
// A card that leaves in the middle of an APDU (InDataExchange status 01, time out) reports
// "removed"; a PN532 that stops answering reports "timeout".
import { Bus } from "../bus";
import { CardReaderError } from "../card-reader";
import { Bytes, alloc, copy, fromList, get, len, set, slice } from "../../src/bytes/index";
import { LinkError, Pn532Link } from "./pn532-link";

/** Card polling period while waiting for a tap (and for the card to leave). */
export const CARD_POLL_MS = 100;
/** InListPassiveTarget / InDataExchange may take this long (the card's frame waiting time). */
export const CARD_COMMAND_TIMEOUT_MS = 1000;
/** Largest command APDU (PN532 InDataExchange takes 262 bytes of data). */
export const MAX_APDU_BYTES = 250;

export interface ContactlessEvents {
  onTap: (this: void) => void;
  onRemove: (this: void) => void;
  onError: (this: void, error: CardReaderError, detail: string) => void;
}

type CardState = "off" | "init" | "polling" | "present" | "leaving";

export class Pn532Reader {
  private bus: Bus;
  private link: Pn532Link;
  private ev: ContactlessEvents;
  private state: CardState = "off";
  private ready = false;
  private timer = 0;
  private ats: Bytes = alloc(0);

  constructor(bus: Bus, cs_pin: number, ev: ContactlessEvents) {
    this.bus = bus;
    this.ev = ev;
    this.link = new Pn532Link(bus, cs_pin);
  }

  /** Frames resent and NACKs sent by the link (for checks). */
  linkRetries(): number {
    return this.link.resends + this.link.nacks;
  }

  enable(): void {
    if (this.state !== "off") return;
    this.state = "init";
    if (this.ready) return this.startPolling();
    // SAMConfiguration: normal mode, timeout 1 s, IRQ used (UM0701-02 §7.2.10)
    this.link.command(fromList([0x14, 0x01, 0x14, 0x01]), CARD_COMMAND_TIMEOUT_MS, (err: LinkError | "", detail: string) => {
      if (err !== "") return this.fault(err, detail);
      // RFConfiguration item 5: MxRtyATR FF, MxRtyPSL 01, MxRtyPassiveActivation 02 (§7.3.1)
      this.link.command(fromList([0x32, 0x05, 0xff, 0x01, 0x02]), CARD_COMMAND_TIMEOUT_MS, (err2: LinkError | "", detail2: string) => {
        if (err2 !== "") return this.fault(err2, detail2);
        this.ready = true;
        if (this.state === "init") this.startPolling();
      });
    });
  }

  disable(): void {
    this.stopTimer();
    this.link.abort();
    this.state = "off";
  }

  /** ATS of the card in the field (from its activation). */
  powerOn(onAnswer: (this: void, atr: Bytes) => void): void {
    if (this.state !== "present") return this.ev.onError("mute", "no contactless card in the field");
    onAnswer(this.ats);
  }

  exchange(command: Bytes, onResponse: (this: void, response: Bytes) => void): void {
    if (this.state !== "present") return this.ev.onError("removed", "no contactless card in the field");
    const n = len(command);
    if (n < 4 || n > MAX_APDU_BYTES) return this.ev.onError("io", "APDU of " + n + " bytes");
    const cmd = alloc(n + 2);
    set(cmd, 0, 0x40);
    set(cmd, 1, 0x01);
    copy(command, 0, cmd, 2, n);
    this.link.command(cmd, CARD_COMMAND_TIMEOUT_MS, (err: LinkError | "", detail: string, r: Bytes) => {
      if (err !== "") return this.fault(err, detail);
      const status = len(r) > 0 ? get(r, 0) & 0x3f : 0xff;
      if (status === 0x01 || status === 0x2c) {
        this.state = "polling";
        this.startPolling();
        return this.ev.onError("removed", "card left the field during an APDU");
      }
      if (status !== 0x00 || len(r) < 3) return this.ev.onError("io", "InDataExchange status 0x" + hex(status));
      onResponse(slice(r, 1, len(r) - 1));
    });
  }

  /** Releases the card; "remove" follows once it has left the field. */
  powerOff(): void {
    if (this.state !== "present") return;
    this.state = "leaving";
    this.link.command(fromList([0x52, 0x01]), CARD_COMMAND_TIMEOUT_MS, (err: LinkError | "", detail: string) => {
      if (err !== "") return this.fault(err, detail);
      this.schedule();
    });
  }

  close(): void {
    this.stopTimer();
    this.link.close();
    this.state = "off";
  }

  private fault(err: LinkError, detail: string): void {
    this.stopTimer();
    this.state = "off";
    this.ev.onError(err, detail);
  }

  private stopTimer(): void {
    if (this.timer !== 0) this.bus.cancel(this.timer);
    this.timer = 0;
  }

  private startPolling(): void {
    if (this.state === "init") this.state = "polling";
    this.schedule();
  }

  private schedule(): void {
    this.stopTimer();
    this.timer = this.bus.timer({ delay_ms: CARD_POLL_MS, onFire: () => this.pollCard() });
  }

  /** InListPassiveTarget, one target, 106 kbps type A (§7.3.5). */
  private pollCard(): void {
    this.timer = 0;
    if (this.state !== "polling" && this.state !== "leaving") return;
    if (this.link.busy()) return this.schedule();
    this.link.command(fromList([0x4a, 0x01, 0x00]), CARD_COMMAND_TIMEOUT_MS, (err: LinkError | "", detail: string, r: Bytes) => {
      if (err !== "") return this.fault(err, detail);
      const found = len(r) >= 6 && get(r, 0) === 1;
      if (this.state === "leaving") {
        if (found) return this.schedule();
        this.state = "polling";
        this.schedule();
        return this.ev.onRemove();
      }
      if (!found) return this.schedule();
      const uidLen = get(r, 5);
      const at = 6 + uidLen;
      if (len(r) <= at) return this.schedule(); // not ISO 14443-4 (no ATS): not a payment card
      this.ats = slice(r, at, len(r) - at);
      this.state = "present";
      this.ev.onTap();
    });
  }
}

function hex(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}
