// Display driver for a 20×4 HD44780 LCD on a PCF8574 I2C backpack (Display HAL), 4-bit mode.
// Backpack wiring: P0 RS, P1 R/W, P2 E, P3 backlight, P4..P7 D4..D7. Start-up follows the
// HD44780U "initializing by instruction" sequence for 4-bit mode (wait > 40 ms, 0x3 three
// times with 4.1 ms and 100 us pauses, 0x2, then function set 2 lines, display on, clear,
// entry mode). Each changed row is sent in one I2C write (set DDRAM address + 20 characters,
// each nibble as E high then E low). A missing acknowledge reports onError and the row stays
// dirty; the next flush starts the panel up again (it may have lost power) and then resends
// every row. Allocation: one I2C buffer, made at open.
import { Bus, I2c } from "../bus";
import { Display, DisplayOptions, LineStyle } from "../display";
import { Bytes, alloc, set } from "../../src/bytes/index";

export const LCD_ROWS = 4;
export const LCD_COLUMNS = 20;
/** Power-up wait before the first instruction (datasheet: > 40 ms). */
export const LCD_POWER_UP_MS = 50;
/** I2C bytes of one row update: (address + 20 characters) × 2 nibbles × 2 bytes. */
export const ROW_BYTES = (1 + LCD_COLUMNS) * 4;
export const LCD_I2C_HZ = 100000;

const RS = 0x01;
const E = 0x04;
const BL = 0x08;
const ROW_ADDRESS: number[] = [0x00, 0x40, 0x14, 0x54];
/** Start-up steps: a nibble (8-bit phase) or a byte, then a pause in ms. */
const INIT: number[][] = [[1, 0x3, 5], [1, 0x3, 1], [1, 0x3, 1], [1, 0x2, 1], [2, 0x28, 1], [2, 0x0c, 1], [2, 0x01, 2], [2, 0x06, 1]];

export interface LcdOptions extends DisplayOptions {
  bus: Bus;
  address: number;
}

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}

function fit(text: string, align: "left" | "center" | "right"): string {
  const t = text.length > LCD_COLUMNS ? text.substring(0, LCD_COLUMNS) : text;
  const room = LCD_COLUMNS - t.length;
  const left = align === "center" ? Math.floor(room / 2) : align === "right" ? room : 0;
  const parts: string[] = [];
  for (let i = 0; i < left; i++) parts.push(" ");
  parts.push(t);
  for (let i = left + t.length; i < LCD_COLUMNS; i++) parts.push(" ");
  return parts.join("");
}

/** Opens the display; rows written before start-up finished are shown when it has. */
export function openLcd(o: LcdOptions): Display {
  const i2c: I2c = o.bus.i2c({ address: o.address, hz: LCD_I2C_HZ });
  const buf: Bytes = alloc(ROW_BYTES);
  const rows: string[] = [];
  const dirty: boolean[] = [];
  for (let r = 0; r < LCD_ROWS; r++) {
    rows.push(fit("", "left"));
    dirty.push(true);
  }
  let state: "init" | "ready" | "down" = "init";
  let closed = false;
  let n = 0;
  const nibble = (v: number, rs: boolean): void => {
    const p = ((v & 0x0f) << 4) | BL | (rs ? RS : 0);
    set(buf, n, p | E);
    set(buf, n + 1, p);
    n = n + 2;
  };
  const byte = (v: number, rs: boolean): void => {
    nibble(v >>> 4, rs);
    nibble(v & 0x0f, rs);
  };
  /** Sends the buffer; a refused write leaves the display "down" until the next flush restarts it. */
  const send = (): boolean => {
    const ok = i2c.write(buf, 0, n);
    n = 0;
    if (ok) return true;
    state = "down";
    if (o.onError !== undefined) o.onError("LCD at I2C 0x" + hex2(o.address) + " did not acknowledge");
    return false;
  };
  let start = (): void => undefined;
  const flush = (): void => {
    if (closed) return;
    if (state === "down") return start();
    if (state !== "ready") return;
    for (let r = 0; r < LCD_ROWS; r++) {
      if (!dirty[r]) continue;
      byte(0x80 | ROW_ADDRESS[r], false);
      for (let c = 0; c < LCD_COLUMNS; c++) {
        const ch = rows[r].charCodeAt(c);
        byte(ch >= 0x20 && ch <= 0x7e ? ch : 0x3f, true);
      }
      if (!send()) return;
      dirty[r] = false;
    }
    if (o.onWritable !== undefined) o.onWritable();
  };
  const step = (i: number): void => {
    if (closed) return;
    if (i >= INIT.length) {
      // start-up cleared the panel: every row goes out again
      for (let r = 0; r < LCD_ROWS; r++) dirty[r] = true;
      state = "ready";
      return flush();
    }
    if (INIT[i][0] === 1) nibble(INIT[i][1], false);
    else byte(INIT[i][1], false);
    if (!send()) return;
    o.bus.timer({ delay_ms: INIT[i][2], onFire: () => step(i + 1) });
  };
  // (after a refused write the panel may have lost power: start over, power-up wait included)
  start = (): void => {
    state = "init";
    o.bus.timer({ delay_ms: LCD_POWER_UP_MS, onFire: () => step(0) });
  };
  start();
  return {
    rows: LCD_ROWS,
    columns: LCD_COLUMNS,
    line: (row: number, text: string, align: "left" | "center" | "right", style: LineStyle): void => {
      if (row < 0 || row >= LCD_ROWS) return;
      const t = fit(text, align);
      if (t !== rows[row]) {
        rows[row] = t;
        dirty[row] = true;
      }
    },
    clear: (): void => {
      for (let r = 0; r < LCD_ROWS; r++) {
        const blank = fit("", "left");
        if (rows[r] !== blank) {
          rows[r] = blank;
          dirty[r] = true;
        }
      }
    },
    flush: (): void => flush(),
    close: (): void => {
      closed = true;
      i2c.close();
    },
  };
}
