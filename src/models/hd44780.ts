// A 20×4 HD44780 character LCD behind a PCF8574 I2C backpack (Hitachi HD44780U datasheet;
// NXP PCF8574 datasheet). The PCF8574 copies each byte written to it onto P0..P7 (several
// bytes in one transaction update the port one after another); the common backpack wires
// P0 RS, P1 R/W, P2 E, P3 backlight, P4..P7 to D4..D7. The HD44780 latches on the falling
// edge of E: in 8-bit mode one nibble is a whole instruction (D3..D0 read 0), after
// "function set" with DL=0 two nibbles make a byte, high nibble first. It ignores everything
// for 40 ms after power-on, and an instruction sent while it is busy (clear/home: 1.52 ms;
// the first 0x3 of the 4-bit reset sequence: 4.1 ms, rounded to whole ms) is lost: those
// faults show as wrong rows, as on a bench.
import { Bytes, get, set } from "../bytes/index";
import { SimBus } from "./sim-bus";

export const LCD_ROWS = 4;
export const LCD_COLUMNS = 20;
/** DDRAM size in 2-line mode: two lines of 40. */
const DDRAM_BYTES = 0x68;
/** DDRAM address of each row of a 20×4 panel (2-line mode). */
export const ROW_ADDRESS: number[] = [0x00, 0x40, 0x14, 0x54];
/** Power-on wait before the first instruction (datasheet: more than 40 ms after Vcc 2.7 V). */
export const POWER_ON_MS = 40;
/** Faults kept for `errors()`. */
export const MAX_LCD_ERRORS = 16;

const P_RS = 0x01;
const P_RW = 0x02;
const P_E = 0x04;
const P_BL = 0x08;

export class Hd44780Model {
  readonly address: number;
  private sim: SimBus;
  private ddram: number[] = [];
  private port = 0;
  private eightBit = true;
  private half = -1;
  private twoLine = false;
  private displayOn = false;
  private ac = 0;
  private inc = true;
  private busyUntil = 0;
  private resets = 0;
  private born: number;
  private errs: string[] = [];
  /** Nibbles latched (for the bench trace). */
  nibbles = 0;

  constructor(sim: SimBus, address: number) {
    this.sim = sim;
    this.address = address;
    this.born = sim.now();
    for (let i = 0; i < DDRAM_BYTES; i++) this.ddram.push(0x20);
    sim.attachI2c({
      address: address,
      write: (data: Bytes, off: number, n: number): boolean => {
        for (let i = 0; i < n; i++) this.portWrite(get(data, off + i));
        return true;
      },
      read: (into: Bytes, off: number, n: number): boolean => {
        for (let i = 0; i < n; i++) set(into, off + i, this.port);
        return true;
      },
    });
  }

  /** The four rows as shown (blank when the display is off; rows 2 and 4 need 2-line mode). */
  rows(): string[] {
    const out: string[] = [];
    for (let r = 0; r < LCD_ROWS; r++) {
      const parts: string[] = [];
      const shown = this.displayOn && (this.twoLine || r === 0 || r === 2);
      for (let c = 0; c < LCD_COLUMNS; c++) {
        const v = this.ddram[ROW_ADDRESS[r] + c];
        parts.push(shown && v >= 0x20 && v <= 0x7e ? String.fromCharCode(v) : " ");
      }
      out.push(parts.join(""));
    }
    return out;
  }

  backlight(): boolean {
    return (this.port & P_BL) !== 0;
  }

  /** Instructions lost (busy, before power-on) and other faults, oldest first. */
  errors(): string[] {
    return this.errs;
  }

  private error(msg: string): void {
    if (this.errs.length < MAX_LCD_ERRORS) this.errs.push(msg);
  }

  private portWrite(v: number): void {
    const old = this.port;
    this.port = v & 0xff;
    if ((old & P_E) !== 0 && (v & P_E) === 0) this.latch(old);
  }

  /** Falling edge of E with the port value that was on the pins while E was high. */
  private latch(p: number): void {
    const now = this.sim.now();
    if ((p & P_RW) !== 0) return;
    if (now - this.born < POWER_ON_MS) {
      this.error("nibble at " + (now - this.born) + " ms after power-on ignored (needs " + POWER_ON_MS + ")");
      return;
    }
    if (now < this.busyUntil) {
      this.error("nibble while busy ignored");
      this.half = -1;
      return;
    }
    this.nibbles = this.nibbles + 1;
    const nib = (p >>> 4) & 0x0f;
    const rs = (p & P_RS) !== 0;
    if (this.eightBit) {
      this.execute(rs, nib << 4);
      return;
    }
    if (this.half < 0) {
      this.half = nib;
      return;
    }
    const byte = (this.half << 4) | nib;
    this.half = -1;
    this.execute(rs, byte);
  }

  private execute(rs: boolean, v: number): void {
    if (rs) {
      this.ddram[this.ac] = v;
      this.move();
      return;
    }
    if (v >= 0x80) this.ac = this.validAddress(v & 0x7f);
    else if (v >= 0x40) return; // CGRAM address: custom glyphs are not modelled
    else if (v >= 0x20) this.functionSet(v);
    else if (v >= 0x10) return; // cursor/display shift: not used by drivers here
    else if (v >= 0x08) this.displayOn = (v & 0x04) !== 0;
    else if (v >= 0x04) this.inc = (v & 0x02) !== 0;
    else if (v >= 0x02) {
      this.ac = 0;
      this.busyUntil = this.sim.now() + 2;
    } else if (v === 0x01) {
      for (let i = 0; i < DDRAM_BYTES; i++) this.ddram[i] = 0x20;
      this.ac = 0;
      this.inc = true;
      this.busyUntil = this.sim.now() + 2;
    }
  }

  private functionSet(v: number): void {
    const wasEight = this.eightBit;
    this.eightBit = (v & 0x10) !== 0;
    if (wasEight && this.eightBit) {
      // reset by instruction: > 4.1 ms after the first 0x3, > 100 us after the second
      this.resets = this.resets + 1;
      if (this.resets <= 2) this.busyUntil = this.sim.now() + (this.resets === 1 ? 5 : 1);
    }
    this.half = -1;
    if (!wasEight || !this.eightBit) this.twoLine = (v & 0x08) !== 0;
  }

  private validAddress(a: number): number {
    if ((a >= 0x28 && a < 0x40) || a >= DDRAM_BYTES) {
      this.error("DDRAM address " + a + " does not exist in 2-line mode");
      return 0;
    }
    return a;
  }

  /** Address counter after a data write: 0x27 wraps to 0x40, 0x67 to 0x00 (2-line mode). */
  private move(): void {
    if (!this.inc) {
      this.ac = this.ac === 0 ? 0x67 : this.ac === 0x40 ? 0x27 : this.ac - 1;
      return;
    }
    this.ac = this.ac === 0x27 ? 0x40 : this.ac === 0x67 ? 0 : this.ac + 1;
  }
}
