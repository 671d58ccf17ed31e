// A 4×4 membrane keypad matrix without diodes, as it sits on GPIO: the driver pulls one row
// low at a time (open-drain or push-pull) and reads the columns, which have pull-ups. A closed
// key joins its row and column, so three keys at the corners of a rectangle show a fourth
// ("ghost") key, and a key chatters for `bounce_ms` after each press and release (contact
// bounce, 1 ms period, deterministic so a check replays exactly).
import { SimBus } from "./sim-bus";
import { fail } from "../errors";

/** Rows and columns of the matrix. */
export const MATRIX_SIZE = 4;

export interface KeypadMatrixOptions {
  row_pins: number[];
  col_pins: number[];
  /** How long each press and release chatters. */
  bounce_ms: number;
}

interface Contact {
  down: boolean;
  since_ms: number;
  used: boolean;
}

export class KeypadMatrixModel {
  private o: KeypadMatrixOptions;
  private sim: SimBus;
  private keys: Contact[] = [];

  constructor(sim: SimBus, o: KeypadMatrixOptions) {
    if (o.row_pins.length !== MATRIX_SIZE || o.col_pins.length !== MATRIX_SIZE) fail("keypad-model", "needs 4 row and 4 column pins");
    this.sim = sim;
    this.o = o;
    for (let i = 0; i < MATRIX_SIZE * MATRIX_SIZE; i++) this.keys.push({ down: false, since_ms: -1000000, used: false });
    for (let c = 0; c < MATRIX_SIZE; c++) {
      const col = c;
      sim.attachPin(o.col_pins[c], () => this.column(col));
    }
  }

  /** The key at (row, col) goes down now (and bounces). */
  press(row: number, col: number): void {
    const k = this.key(row, col);
    k.down = true;
    k.since_ms = this.sim.now();
    k.used = true;
  }

  release(row: number, col: number): void {
    const k = this.key(row, col);
    k.down = false;
    k.since_ms = this.sim.now();
  }

  private key(row: number, col: number): Contact {
    if (row < 0 || row >= MATRIX_SIZE || col < 0 || col >= MATRIX_SIZE) fail("keypad-model", "no key at " + row + "," + col);
    return this.keys[row * MATRIX_SIZE + col];
  }

  /** Whether the contact conducts now: settled state, or chatter while it bounces. */
  private closed(k: Contact): boolean {
    if (!k.used) return false;
    const t = this.sim.now() - k.since_ms;
    if (t >= this.o.bounce_ms) return k.down;
    return t % 2 === 0 ? k.down : !k.down;
  }

  /** A row is pulled low when the driver drives it to 0. */
  private drivenLow(r: number): boolean {
    const pin = this.o.row_pins[r];
    return this.sim.isOutput(pin) && this.sim.level(pin) === 0;
  }

  /** Column level: 0 when joined to a low row, directly or through other closed keys. */
  private column(c: number): number {
    const lowRow: boolean[] = [];
    const lowCol: boolean[] = [];
    for (let i = 0; i < MATRIX_SIZE; i++) {
      lowRow.push(this.drivenLow(i));
      lowCol.push(false);
    }
    // a row driven high by push-pull holds its level; an undriven (open-drain high) row follows
    for (let pass = 0; pass < MATRIX_SIZE; pass++) {
      for (let r = 0; r < MATRIX_SIZE; r++) {
        for (let k = 0; k < MATRIX_SIZE; k++) {
          if (!this.closed(this.keys[r * MATRIX_SIZE + k])) continue;
          if (lowRow[r]) lowCol[k] = true;
          if (lowCol[k] && !this.drivesHigh(r)) lowRow[r] = true;
        }
      }
    }
    return lowCol[c] ? 0 : 1;
  }

  private drivesHigh(r: number): boolean {
    const pin = this.o.row_pins[r];
    return this.sim.isOutput(pin) && this.sim.level(pin) === 1 && !this.sim.isOpenDrain(pin);
  }
}
