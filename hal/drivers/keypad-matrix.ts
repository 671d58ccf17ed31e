// Keypad driver for a 4×4 matrix on GPIO (EspruinoDocs KeyPad.js shape): rows are open-drain
// outputs pulled low one at a time, columns are inputs with pull-ups. A key counts as down
// after `DEBOUNCE_SCANS` equal scans in a row, and as up after as many; a scan that shows a
// rectangle of three or more keys (a possible ghost) is ignored. Each key is reported once per
// press, so two keys held together give two keys, in the order they settled.
import { Bus, Digital } from "../bus";
import { Key, Keypad, KeypadOptions } from "../keypad";
import { fail } from "../../src/errors";

/** Rows and columns. */
export const KEYPAD_LINES = 4;
/** Scan period. */
export const SCAN_MS = 5;
/** Equal scans before a change counts (5 ms × 4 = 20 ms, longer than contact bounce). */
export const DEBOUNCE_SCANS = 4;

export interface MatrixKeypadOptions extends KeypadOptions {
  bus: Bus;
  row_pins: number[];
  col_pins: number[];
  /** Key names row by row (16). */
  layout: Key[];
  /** Buzzer output (active high); -1 for none. */
  buzzer_pin: number;
}

interface Scan {
  stable: boolean[];
  seen: boolean[];
  count: number[];
}

/** Reads all 16 contacts: drives each row low in turn and samples the columns. */
function scanMatrix(rows: Digital[], cols: Digital[], into: boolean[]): void {
  for (let r = 0; r < KEYPAD_LINES; r++) {
    rows[r].write(0);
    for (let c = 0; c < KEYPAD_LINES; c++) into[r * KEYPAD_LINES + c] = cols[c].read() === 0;
    rows[r].write(1);
  }
}

/** True when three closed contacts form three corners of a rectangle (the fourth may be a ghost). */
function ghosted(k: boolean[]): boolean {
  for (let r1 = 0; r1 < KEYPAD_LINES; r1++) {
    for (let r2 = r1 + 1; r2 < KEYPAD_LINES; r2++) {
      let shared = 0;
      for (let c = 0; c < KEYPAD_LINES; c++) if (k[r1 * KEYPAD_LINES + c] && k[r2 * KEYPAD_LINES + c]) shared = shared + 1;
      if (shared >= 2) return true;
      for (let c = 0; c < KEYPAD_LINES; c++) {
        if (!k[r1 * KEYPAD_LINES + c] || !k[r2 * KEYPAD_LINES + c]) continue;
        for (let d = 0; d < KEYPAD_LINES; d++) if (d !== c && (k[r1 * KEYPAD_LINES + d] || k[r2 * KEYPAD_LINES + d])) return true;
      }
    }
  }
  return false;
}

/** Opens the keypad: starts scanning at once. */
export function openMatrixKeypad(o: MatrixKeypadOptions): Keypad {
  if (o.row_pins.length !== KEYPAD_LINES || o.col_pins.length !== KEYPAD_LINES) fail("keypad", "needs 4 row and 4 column pins");
  if (o.layout.length !== KEYPAD_LINES * KEYPAD_LINES) fail("keypad", "layout needs 16 keys");
  const rows: Digital[] = [];
  const cols: Digital[] = [];
  for (let i = 0; i < KEYPAD_LINES; i++) {
    rows.push(o.bus.digital({ pin: o.row_pins[i], mode: "output-open-drain" }));
    rows[i].write(1);
    cols.push(o.bus.digital({ pin: o.col_pins[i], mode: "input-pullup" }));
  }
  const buzzer = o.buzzer_pin >= 0 ? o.bus.digital({ pin: o.buzzer_pin, mode: "output" }) : undefined;
  const s: Scan = { stable: [], seen: [], count: [] };
  for (let i = 0; i < KEYPAD_LINES * KEYPAD_LINES; i++) {
    s.stable.push(false);
    s.seen.push(false);
    s.count.push(0);
  }
  const now: boolean[] = [];
  for (let i = 0; i < KEYPAD_LINES * KEYPAD_LINES; i++) now.push(false);
  let beepTimer = 0;
  const timer = o.bus.timer({
    delay_ms: SCAN_MS,
    interval_ms: SCAN_MS,
    onFire: () => {
      scanMatrix(rows, cols, now);
      if (ghosted(now)) return;
      for (let i = 0; i < KEYPAD_LINES * KEYPAD_LINES; i++) {
        if (now[i] !== s.seen[i]) {
          s.seen[i] = now[i];
          s.count[i] = 1;
          continue;
        }
        if (s.count[i] < DEBOUNCE_SCANS) s.count[i] = s.count[i] + 1;
        if (s.count[i] === DEBOUNCE_SCANS && s.stable[i] !== now[i]) {
          s.stable[i] = now[i];
          if (now[i]) o.onKey(o.layout[i]);
        }
      }
    },
  });
  return {
    beep: (duration_ms: number): void => {
      if (buzzer === undefined) return;
      const d = duration_ms < 1 ? 1 : duration_ms > 1000 ? 1000 : duration_ms;
      if (beepTimer !== 0) o.bus.cancel(beepTimer);
      buzzer.write(1);
      beepTimer = o.bus.timer({
        delay_ms: d,
        onFire: () => {
          beepTimer = 0;
          buzzer.write(0);
        },
      });
    },
    close: (): void => {
      o.bus.cancel(timer);
      if (beepTimer !== 0) o.bus.cancel(beepTimer);
      if (buzzer !== undefined) buzzer.write(0);
      for (let i = 0; i < KEYPAD_LINES; i++) {
        rows[i].close();
        cols[i].close();
      }
    },
  };
}
