// CardReader HAL: magnetic stripe (track 2), contact chip and contactless, as events plus an
// APDU exchange for the two chip interfaces. Track data and APDUs are sensitive: the core
// never logs or stores them (docs/architecture.md, CONTRIBUTING.md: no full track, PIN block or CVV in the journal).
import { Bytes } from "../src/bytes/types";

/** A swipe: track 2 as read ("PAN=YYMMSSS..." or with "D"), or `ok` false on a bad read. */
export interface SwipeEvent {
  kind: "swipe";
  ok: boolean;
  track2: string;
}

/** A chip card went in, came out, or a contactless card entered the field. */
export interface PresenceEvent {
  kind: "insert" | "remove" | "tap";
}

export type CardEvent = SwipeEvent | PresenceEvent;

/** Which chip interface an exchange uses. */
export type ChipInterface = "contact" | "contactless";

export type CardReaderError = "mute" | "removed" | "collision" | "timeout" | "io";

export interface CardReaderOptions {
  onCard: (this: void, event: CardEvent) => void;
  onError: (this: void, error: CardReaderError, detail: string) => void;
}

export interface CardReader {
  /** Starts listening for the given entry modes (a reader may support fewer). */
  enable(swipe: boolean, contact: boolean, contactless: boolean): void;
  /** Stops listening and powers the card off. */
  disable(): void;
  /** Powers the card on; calls back with the ATR (contact) or ATS/UID (contactless). */
  powerOn(via: ChipInterface, onAnswer: (this: void, atr: Bytes) => void): void;
  /** Sends one command APDU; calls back with the response APDU (data + SW1 SW2). */
  exchange(via: ChipInterface, command: Bytes, onResponse: (this: void, response: Bytes) => void): void;
  powerOff(via: ChipInterface): void;
  close(): void;
}

export type OpenCardReader = (this: void, options: CardReaderOptions) => CardReader;
