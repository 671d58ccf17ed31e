// Bus HAL: the few buses part drivers need (GPIO, SPI, I2C, UART, timers), in the shape of
// ECMA-419 IO (Moddable): opened with one options object, callbacks named onReadable/onEdge,
// data in caller-owned Bytes, close() always safe. Part drivers (hal/drivers/) are written once
// against this; each platform supplies a thin adapter (hal/espruino/bus.ts, hal/nodemcu/bus.ts),
// and the part models (src/models/) answer on a simulated one (src/models/sim-bus.ts).
import { Bytes } from "../src/bytes/types";

/** How a GPIO pin is used. Inputs with pull-ups read 1 when nothing pulls them down. */
export type PinMode = "input" | "input-pullup" | "output" | "output-open-drain";

export interface DigitalOptions {
  pin: number;
  mode: PinMode;
  /** Watch edges (inputs only): calls onEdge on each. */
  edge?: "rising" | "falling" | "both";
  /**
   * A second input sampled at the same instant as the edge (a clock/data pair, e.g. a
   * magnetic head); Espruino's setWatch `data` option. Its level arrives as `data`.
   */
  data_pin?: number;
  onEdge?: (this: void, level: number, data: number, time_ms: number) => void;
}

export interface Digital {
  /** 0 or 1. */
  read(): number;
  /** Drives an output (0 or 1); ignored on inputs. */
  write(level: number): void;
  close(): void;
}

export interface SpiOptions {
  /** Chip-select pin (active low), driven by the adapter around each transfer. */
  cs_pin: number;
  hz: number;
  /** SPI mode 0..3 (CPOL, CPHA). */
  mode: number;
  /** Bit order on the wire: the PN532 wants LSB first. */
  lsb_first: boolean;
}

export interface Spi {
  /**
   * One chip-select cycle: sends `out[0..n)` while receiving as many bytes into `into[0..n)`
   * (full duplex). Returns false when the bus failed (then `into` is undefined).
   */
  transfer(out: Bytes, into: Bytes, n: number): boolean;
  close(): void;
}

export interface I2cOptions {
  /** 7-bit address. */
  address: number;
  hz: number;
}

export interface I2c {
  /** Writes `data[off..off+n)` in one transaction; false when the device did not acknowledge. */
  write(data: Bytes, off: number, n: number): boolean;
  /** Reads `n` bytes into `into[off..]`; false when the device did not acknowledge. */
  read(into: Bytes, off: number, n: number): boolean;
  close(): void;
}

export interface SerialOptions {
  /** UART number of the board (1, 2; 0 is usually the console). */
  port: number;
  baud: number;
  tx_pin: number;
  rx_pin: number;
  /** Bytes arrived: call read() until it returns 0. */
  onReadable: (this: void, count: number) => void;
}

export interface Serial {
  /** Queues `data[off..off+n)` for sending; returns how many bytes were accepted. */
  write(data: Bytes, off: number, n: number): number;
  /** Moves up to `max` received bytes into `into[off..]`; returns how many. */
  read(into: Bytes, off: number, max: number): number;
  close(): void;
}

export interface BusTimerOptions {
  delay_ms: number;
  /** Repeats every `interval_ms` when given; give delay_ms equal to it (platforms' setInterval). */
  interval_ms?: number;
  onFire: (this: void) => void;
}

/** A board's buses; one implementation per platform (and one simulated, for the models). */
export interface Bus {
  digital(o: DigitalOptions): Digital;
  spi(o: SpiOptions): Spi;
  i2c(o: I2cOptions): I2c;
  serial(o: SerialOptions): Serial;
  /** Starts a timer; returns an id (> 0) for cancel. */
  timer(o: BusTimerOptions): number;
  cancel(id: number): void;
  /** Monotonic milliseconds. */
  now_ms(): number;
}
