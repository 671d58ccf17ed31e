// The terminal app's vocabulary: events in (keys, card events, clock ticks, engine effects,
// printer status) and effects out (display frames, printer bytes, beeps, engine operations).
// Plain records with short numeric kinds, identical on every target.
import { Bytes } from "../bytes/types";
import { Effect, Operation } from "../txn/types";
import { TestCard } from "./cards";

/** Events into the app. */
export const AE_POWER_UP = 1;
export const AE_KEY = 2;
export const AE_CARD = 3;
export const AE_TICK = 4;
export const AE_ENGINE = 5;
/** The printer finished the job (ok) or stopped (paper out: `text` says why). */
export const AE_PRINTER = 6;

/** Effects out of the app. */
export const AF_FRAME = 1;
export const AF_PRINT = 2;
export const AF_BEEP = 3;
/** Run this operation on the transaction engine. */
export const AF_OP = 4;
/** The chip card finished an approved sale (ok) or could not (reversal 06): EV_COMPLETED / EV_CANNOT_COMPLETE. */
export const AF_CARD_DONE = 5;
/** Paper loaded: the printer continues the job it kept. */
export const AF_PRINTER_RESUME = 6;

export const CARD_SWIPE = "swipe";
export const CARD_INSERT = "insert";
export const CARD_TAP = "tap";
export const CARD_REMOVE = "remove";

export interface AppEvent {
  k: number;
  /** Wall-clock time, ms since 1970 (UTC). */
  t: number;
  key?: string;
  /** AE_CARD: swipe | insert | tap | remove. */
  kind?: string;
  /** AE_CARD: the card presented (not for remove). */
  card?: TestCard;
  /** AE_ENGINE: one engine effect. */
  fx?: Effect;
  /** AE_PRINTER: true when the job is on paper. */
  ok?: boolean;
  text?: string;
}

export interface AppEffect {
  k: number;
  rows?: string[];
  /** AF_PRINT: ESC/POS bytes, which copy, and the lines as text. */
  b?: Bytes;
  copy?: string;
  lines?: string[];
  ms?: number;
  op?: Operation;
  ok?: boolean;
  icc?: Bytes;
}

/** Display geometry (SSD1306-class 128x64 with a 6x8 font). */
export const SCREEN_ROWS = 8;
export const SCREEN_COLS = 21;
