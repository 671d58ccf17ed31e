// The reference board on the part models: one simulated bus with the keypad matrix, the
// ESC/POS printer on its UART, the PN532 on SPI, the magnetic head and the HD44780 backpack
// attached where a board profile (firmware/boards/) puts them. Drivers opened on `sim.bus`
// with the same profile talk to these models byte for byte.
import { SimBus } from "./sim-bus";
import { KeypadMatrixModel } from "./keypad-matrix";
import { EscPosPrinter } from "./escpos-printer";
import { Pn532Model } from "./pn532";
import { MagHeadModel } from "./mag-head";
import { Hd44780Model } from "./hd44780";
import { Key } from "../../hal/keypad";
import { fail } from "../errors";

/** The parts of a board profile the models need (structurally a firmware/boards profile). */
export interface SimBoardPins {
  keypad: { row_pins: number[]; col_pins: number[]; layout: Key[] };
  printer: { port: number; baud: number };
  nfc: { cs_pin: number };
  magstripe: { clock_pin: number; data_pin: number; present_pin: number };
  display: { address: number };
}

export interface SimBoardOptions {
  /** Contact bounce of each key press and release. */
  bounce_ms: number;
  /** Paper left on the roll in lines (undefined: endless). */
  paper_lines?: number;
}

export class SimBoard {
  readonly sim: SimBus;
  readonly keypad: KeypadMatrixModel;
  readonly printer: EscPosPrinter;
  readonly nfc: Pn532Model;
  readonly head: MagHeadModel;
  readonly lcd: Hd44780Model;
  private layout: Key[];

  constructor(p: SimBoardPins, o: SimBoardOptions) {
    const sim = new SimBus();
    this.sim = sim;
    this.layout = p.keypad.layout;
    this.keypad = new KeypadMatrixModel(sim, { row_pins: p.keypad.row_pins, col_pins: p.keypad.col_pins, bounce_ms: o.bounce_ms });
    const port = p.printer.port;
    this.printer = new EscPosPrinter({ paper_lines: o.paper_lines, near_end_lines: 10, onReply: (b: number) => sim.send(port, b) });
    const printer = this.printer;
    sim.attachSerial({ port: port, baud: p.printer.baud, receive: (b: number) => printer.receiveByte(b) });
    this.nfc = new Pn532Model(sim, { cs_pin: p.nfc.cs_pin });
    this.head = new MagHeadModel(sim, p.magstripe);
    this.lcd = new Hd44780Model(sim, p.display.address);
  }

  /** Row and column of a key in the layout. */
  where(key: Key): number[] {
    for (let i = 0; i < this.layout.length; i++) if (this.layout[i] === key) return [Math.floor(i / 4), i % 4];
    return fail("board-sim", "no key \"" + key + "\" on this keypad");
  }

  /** Presses `key`, holds it `hold_ms`, releases it, waits `gap_ms` (virtual time). */
  press(key: Key, hold_ms: number, gap_ms: number): void {
    const rc = this.where(key);
    this.keypad.press(rc[0], rc[1]);
    this.sim.advance(hold_ms);
    this.keypad.release(rc[0], rc[1]);
    this.sim.advance(gap_ms);
  }
}
