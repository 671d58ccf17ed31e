// The terminal app on the reference board with the part models attached (a virtual bench):
// keys are pressed on the keypad matrix model and reach the app only through the matrix
// driver's scan; a tap puts a contactless card in the PN532 model's field and the app gets
// the card only after the PN532 driver found it and read its PAN and track 2 equivalent with
// APDUs (SELECT PPSE, SELECT AID, READ RECORD); a swipe runs the magnetic head model and the
// head driver's decode; receipts go as ESC/POS bytes through the printer driver over the UART
// to the printer model; the first 4 rows of the app's screen (cut to 20 columns) go through
// the LCD driver to the HD44780 model. The app is the same TerminalApp in a Session; the bus
// clock and the session clock advance together in steps of STEP_MS.
//
// Limits (said plainly): the app takes a card as a test-card record, so the card read over
// the PN532 is matched to the record by its PAN (and its track 2 must agree); paper-out from
// the printer model is not passed back to the app (the Session keeps its own paper count);
// the app draws 8×21 rows, the 20×4 LCD shows the first four.
import { Session } from "../../src/app/session";
import { TerminalSessionOptions, terminalSession } from "../../src/app/config";
import { TestCard, cardByPan, findCard } from "../../src/app/cards";
import { ScriptStep, STEP_EXPECT, STEP_INSERT, STEP_KEY, STEP_POWER_CUT, STEP_REMOVE, STEP_SWIPE, STEP_TAP, STEP_WAIT } from "../../src/app/script";
import { CARD_REMOVE, CARD_SWIPE, CARD_TAP } from "../../src/app/types";
import { SimBoard } from "../../src/models/board-sim";
import { contactlessCard } from "../../src/models/contactless-card";
import { Bytes, fromHex, get, len, toHex } from "../../src/bytes/index";
import { decodeTlv, findTlv } from "../../src/codec/tlv";
import { fail } from "../../src/errors";
import { CardEvent, CardReader, CardReaderError } from "../../hal/card-reader";
import { Display } from "../../hal/display";
import { Key } from "../../hal/keypad";
import { EscPosPrinterDriver } from "../../hal/drivers/escpos-printer";
import { openBoardCardReader, openBoardDisplay, openBoardKeypad, openBoardPrinter } from "../../hal/drivers/board";
import { ESP32_REF } from "./esp32-ref";

/** Both clocks move in steps of this many ms. */
export const STEP_MS = 5;
/** How long (virtual) `expect` waits, as the app's own script runner. */
export const BENCH_EXPECT_MS = 65000;
/** Key press and gap times (a person typing). */
export const HOLD_MS = 60;
export const GAP_MS = 60;
/** Most log lines kept. */
export const MAX_BENCH_LOG = 400;

const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
const READ_RECORD_1_1 = "00B2010C00";

export interface BenchResult {
  ok: boolean;
  line: number;
  error: string;
  screen: string[];
}

export class BenchTerminal {
  readonly board: SimBoard;
  readonly session: Session;
  /** What happened on the bench (keys scanned, cards read, errors), without card data. */
  readonly log: string[] = [];
  private display: Display;
  private printer: EscPosPrinterDriver;
  private reader: CardReader;
  private sentPrints = 0;
  private shown: string[] = [];

  constructor(o: TerminalSessionOptions) {
    this.board = new SimBoard(ESP32_REF, { bounce_ms: 5 });
    this.session = terminalSession(o);
    const bus = this.board.sim.bus;
    openBoardKeypad(bus, ESP32_REF, { onKey: (k: Key) => this.onKey(k) });
    this.display = openBoardDisplay(bus, ESP32_REF, {});
    this.printer = openBoardPrinter(bus, ESP32_REF, { onWritable: () => undefined, onError: (e: string) => this.note("printer " + e) });
    this.reader = openBoardCardReader(bus, ESP32_REF, {
      onCard: (e: CardEvent) => this.onCard(e),
      onError: (e: CardReaderError, detail: string) => this.note("card reader " + e + ": " + detail),
    });
    this.reader.enable(true, false, true);
  }

  private note(s: string): void {
    if (this.log.length < MAX_BENCH_LOG) this.log.push(s);
  }

  private onKey(k: Key): void {
    this.note("key " + k);
    this.session.key(k);
  }

  private onCard(e: CardEvent): void {
    if (e.kind === "swipe") {
      if (!e.ok) return this.present(CARD_SWIPE, unreadable());
      const sep = e.track2.indexOf("=");
      const c = cardByPan(sep > 0 ? e.track2.substring(0, sep) : "");
      this.note("swipe read " + (c === undefined ? "unknown card" : c.name));
      if (c !== undefined && c.track2 === e.track2.split("=").join("D")) this.present(CARD_SWIPE, c);
      return;
    }
    if (e.kind === "tap") return this.readContactless();
    if (e.kind === "remove") this.note("card left the field");
  }

  private present(kind: string, c: TestCard): void {
    this.session.card(kind, c);
  }

  /** SELECT PPSE, SELECT the AID it names, READ RECORD 1 of SFI 1: PAN and track 2 from the card. */
  private readContactless(): void {
    this.reader.powerOn("contactless", () => {
      this.reader.exchange("contactless", fromHex(SELECT_PPSE), (r1: Bytes) => {
        const aid = findTlv(decodeTlv(r1, 0, len(r1) - 2), "4F");
        if (aid === undefined || aid.value === undefined) return this.note("tap: no application on the card");
        const sel = "00A40400" + hex2(len(aid.value)) + toHex(aid.value) + "00";
        this.reader.exchange("contactless", fromHex(sel), () => {
          this.reader.exchange("contactless", fromHex(READ_RECORD_1_1), (r3: Bytes) => this.gotRecord(r3));
        });
      });
    });
  }

  private gotRecord(r: Bytes): void {
    if (len(r) < 2 || get(r, len(r) - 2) !== 0x90) return this.note("tap: READ RECORD refused");
    const nodes = decodeTlv(r, 0, len(r) - 2);
    const t2 = findTlv(nodes, "57");
    const pan = findTlv(nodes, "5A");
    if (t2 === undefined || pan === undefined) return this.note("tap: no track 2 equivalent or PAN");
    const panText = trimF(toHex(pan.value as Bytes));
    const c = cardByPan(panText);
    this.note("tap read " + (c === undefined ? "unknown card" : c.name));
    this.reader.powerOff("contactless");
    if (c !== undefined && c.contactless && c.track2 === trimF(toHex(t2.value as Bytes))) this.present(CARD_TAP, c);
  }

  /** Runs both clocks `ms` on, passing new print jobs to the printer and the screen to the LCD. */
  advance(ms: number): void {
    for (let t = 0; t < ms; t += STEP_MS) {
      this.board.sim.advance(STEP_MS);
      this.session.advance(STEP_MS);
      this.pump();
    }
  }

  private pump(): void {
    const jobs = this.session.printed;
    for (; this.sentPrints < jobs.length; this.sentPrints++) {
      if (!this.printer.write(jobs[this.sentPrints])) return this.note("printer queue full");
    }
    const rows = this.session.screen();
    let changed = false;
    for (let r = 0; r < 4; r++) {
      const text = r < rows.length ? rows[r] : "";
      if (this.shown[r] !== text) {
        this.shown[r] = text;
        this.display.line(r, text, "left", "normal");
        changed = true;
      }
    }
    if (changed) this.display.flush();
  }

  /** Presses `k` on the matrix model. */
  press(k: string): void {
    const rc = this.board.where(k as Key);
    this.board.keypad.press(rc[0], rc[1]);
    this.advance(HOLD_MS);
    this.board.keypad.release(rc[0], rc[1]);
    this.advance(GAP_MS);
  }

  /** Runs until `text` is on the app's screen (true) or `ms` pass. */
  until(text: string, ms: number): boolean {
    for (let t = 0; t < ms; t += STEP_MS) {
      if (this.session.shows(text)) return true;
      this.advance(STEP_MS);
    }
    return this.session.shows(text);
  }

  /** One script step on the bench (the same script format as `posrt terminal`). */
  step(st: ScriptStep): boolean {
    if (st.k === STEP_KEY) this.press(st.arg);
    else if (st.k === STEP_TAP || st.k === STEP_SWIPE) {
      const c = findCard(st.arg);
      if (c === undefined) fail("bench line " + st.line, "unknown card \"" + st.arg + "\"");
      if (st.k === STEP_TAP) this.board.nfc.tap(contactlessCard({ uid: "08" + c.pan.substring(12, 16) + "00", pan: c.pan, expiry: c.expiry, track2: c.track2 }));
      else this.board.head.swipe(c.track2.split("D").join("="), {});
    } else if (st.k === STEP_REMOVE) {
      this.board.nfc.removeCard();
      this.session.card(CARD_REMOVE, undefined);
    } else if (st.k === STEP_INSERT) fail("bench line " + st.line, "the reference board has no contact chip reader");
    else if (st.k === STEP_POWER_CUT) this.session.powerCut();
    else if (st.k === STEP_WAIT) this.advance(st.ms);
    else if (st.k === STEP_EXPECT) return this.until(st.arg, BENCH_EXPECT_MS);
    return true;
  }

  run(steps: ScriptStep[]): BenchResult {
    for (let i = 0; i < steps.length; i++) {
      if (!this.step(steps[i])) return { ok: false, line: steps[i].line, error: "expected \"" + steps[i].arg + "\" on the display", screen: this.session.screen() };
    }
    return { ok: true, line: 0, error: "", screen: this.session.screen() };
  }
}

/** A card whose stripe could not be read (what the app expects from a bad read). */
function unreadable(): TestCard {
  return { name: "unread", pan: "", expiry: "", track2: "", chip: false, contactless: false, icc: "", pin: "", balance_minor: 0, label: "bad read" };
}

function trimF(h: string): string {
  return h.length > 0 && h.charAt(h.length - 1) === "F" ? h.substring(0, h.length - 1) : h;
}

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}

