// A simulated board bus (hal/bus.ts) on a virtual clock, on which the part models answer:
// GPIO pins (models read the driver's outputs and drive its inputs), SPI devices by chip
// select, I2C devices by address, UART devices by port. Wire-level mistakes of a driver show
// as they would on a bench: wrong SPI bit order reverses every byte, wrong SPI mode shifts
// bits, a wrong baud rate garbles bytes, an absent I2C device does not acknowledge.
// Portable (node, es5, lua) so the driver-vs-model checks run on all three runtimes.
import { Bus, BusTimerOptions, Digital, DigitalOptions, I2c, I2cOptions, Serial, SerialOptions, Spi, SpiOptions } from "../../hal/bus";
import { Bytes, alloc, get, len, set } from "../bytes/index";
import { fail } from "../errors";

/** Most timer callbacks one advance() may run: a bound against a timer storm. */
export const MAX_TIMER_FIRES = 200000;
/** GPIO numbers a board may use (ESP32: 0..39). */
export const MAX_PINS = 40;
/** Bytes a simulated UART holds in each direction (ESP32 FIFO is 128). */
export const UART_FIFO_BYTES = 128;
/** Most ports / I2C addresses / chip selects the simulation tracks. */
export const MAX_DEVICES = 16;

/** A part on the SPI bus. `transfer` gets the bytes as the part sees them. */
export interface SimSpiDevice {
  cs_pin: number;
  mode: number;
  lsb_first: boolean;
  max_hz: number;
  transfer: (this: void, out: Bytes, into: Bytes, n: number) => void;
}

/** A part on the I2C bus; false = no acknowledge. */
export interface SimI2cDevice {
  address: number;
  write: (this: void, data: Bytes, off: number, n: number) => boolean;
  read: (this: void, into: Bytes, off: number, n: number) => boolean;
}

/** A part on a UART: `receive` gets each byte the driver sent, at the wire's pace. */
export interface SimSerialDevice {
  port: number;
  baud: number;
  receive: (this: void, byte: number) => void;
}

interface SimTimer {
  id: number;
  due: number;
  every: number;
  fn: (this: void) => void;
}

interface Watch {
  o: DigitalOptions;
  open: boolean;
}

interface Port {
  dev?: SimSerialDevice;
  opts?: SerialOptions;
  rx: number[];
  tx: number[];
  pumping: boolean;
}

function reverseBits(v: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((v & (1 << i)) !== 0) r = r | (1 << (7 - i));
  return r;
}

/** The simulated bus; `bus` is what drivers get. */
export class SimBus {
  readonly bus: Bus;
  private t_ms = 0;
  private nextId = 1;
  private timers: SimTimer[] = [];
  private levels: number[] = [];
  private outputs: boolean[] = [];
  private openDrain: boolean[] = [];
  private readers: ((this: void) => number)[] = [];
  private hasReader: boolean[] = [];
  private watches: Watch[] = [];
  private spis: SimSpiDevice[] = [];
  private i2cs: SimI2cDevice[] = [];
  private ports: Port[] = [];
  /** Failures to inject: the SPI bus fails every transfer; every I2C write is refused. */
  spiBroken = false;
  i2cBroken = false;
  /** Bytes moved by the simulated buses, for the trace of a check. */
  spiBytes = 0;
  i2cBytes = 0;

  constructor() {
    for (let p = 0; p < MAX_PINS; p++) {
      this.levels.push(1);
      this.outputs.push(false);
      this.openDrain.push(false);
      this.readers.push(() => 1);
      this.hasReader.push(false);
    }
    this.bus = this.makeBus();
  }

  now(): number {
    return this.t_ms;
  }

  /** Runs the virtual clock forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.t_ms + ms;
    let fires = 0;
    for (;;) {
      let next: SimTimer | undefined = undefined;
      for (let i = 0; i < this.timers.length; i++) {
        const t = this.timers[i];
        if (t.due <= end && (next === undefined || t.due < next.due)) next = t;
      }
      if (next === undefined) break;
      fires = fires + 1;
      if (fires > MAX_TIMER_FIRES) fail("sim-bus", "more than " + MAX_TIMER_FIRES + " timer callbacks in one advance");
      if (next.due > this.t_ms) this.t_ms = next.due;
      if (next.every > 0) next.due = next.due + next.every;
      else this.cancel(next.id);
      next.fn();
    }
    this.t_ms = end;
  }

  /** Level a driver reads on `pin` (a model's reader when attached, else the driven level). */
  level(pin: number): number {
    if (this.hasReader[pin]) return this.readers[pin]();
    return this.levels[pin];
  }

  /** True when the driver drives `pin` as an output. */
  isOutput(pin: number): boolean {
    return this.outputs[pin];
  }

  /** True when the driver opened `pin` as an open-drain output (high = released). */
  isOpenDrain(pin: number): boolean {
    return this.openDrain[pin];
  }

  /** A model answers reads of `pin` with `fn` (e.g. a keypad column). */
  attachPin(pin: number, fn: (this: void) => number): void {
    this.checkPin(pin);
    this.readers[pin] = fn;
    this.hasReader[pin] = true;
  }

  /** A model drives `pin` to `level`; watches on it see the edge (with their data pin). */
  drive(pin: number, level: number): void {
    this.checkPin(pin);
    const old = this.levels[pin];
    this.levels[pin] = level;
    if (old === level) return;
    for (let i = 0; i < this.watches.length; i++) {
      const w = this.watches[i];
      if (!w.open || w.o.pin !== pin || w.o.onEdge === undefined) continue;
      const e = w.o.edge;
      const hit = e === "both" || (e === "rising" && level === 1) || (e === "falling" && level === 0);
      if (hit) w.o.onEdge(level, w.o.data_pin === undefined ? 0 : this.level(w.o.data_pin), this.t_ms);
    }
  }

  attachSpi(d: SimSpiDevice): void {
    if (this.spis.length >= MAX_DEVICES) fail("sim-bus", "too many SPI devices");
    this.spis.push(d);
  }

  attachI2c(d: SimI2cDevice): void {
    if (this.i2cs.length >= MAX_DEVICES) fail("sim-bus", "too many I2C devices");
    this.i2cs.push(d);
  }

  detachI2c(address: number): void {
    const keep: SimI2cDevice[] = [];
    for (let i = 0; i < this.i2cs.length; i++) if (this.i2cs[i].address !== address) keep.push(this.i2cs[i]);
    this.i2cs = keep;
  }

  attachSerial(d: SimSerialDevice): void {
    this.port(d.port).dev = d;
  }

  /** Unplugs the part on a UART: nothing it would send arrives, what the driver sends is lost. */
  detachSerial(port: number): void {
    this.port(port).dev = undefined;
  }

  /** A part sends one byte to the driver (arrives after one byte time at the part's baud). */
  send(port: number, byte: number): void {
    const p = this.port(port);
    if (p.dev === undefined) return;
    const garbled = p.opts !== undefined && p.opts.baud !== p.dev.baud;
    if (p.rx.length >= UART_FIFO_BYTES) return;
    p.rx.push(garbled ? (byte ^ 0x5a) & 0xff : byte);
    if (p.rx.length === 1) this.after(this.byteTime(p.dev.baud), () => this.notify(port));
  }

  private byteTime(baud: number): number {
    const t = Math.floor(10000 / baud);
    return t < 1 ? 1 : t;
  }

  private notify(port: number): void {
    const p = this.port(port);
    if (p.opts !== undefined && p.rx.length > 0) p.opts.onReadable(p.rx.length);
  }

  private port(n: number): Port {
    if (n < 0 || n >= MAX_DEVICES) fail("sim-bus", "no UART " + n);
    for (let i = this.ports.length; i <= n; i++) this.ports.push({ rx: [], tx: [], pumping: false });
    return this.ports[n];
  }

  private checkPin(pin: number): void {
    if (pin < 0 || pin >= MAX_PINS || Math.floor(pin) !== pin) fail("sim-bus", "no GPIO " + pin);
  }

  private after(ms: number, fn: (this: void) => void): number {
    const id = this.nextId;
    this.nextId = this.nextId + 1;
    this.timers.push({ id: id, due: this.t_ms + ms, every: 0, fn: fn });
    return id;
  }

  private cancel(id: number): void {
    const keep: SimTimer[] = [];
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i].id !== id) keep.push(this.timers[i]);
    this.timers = keep;
  }

  /** Moves the driver's queued bytes to the part at the wire's pace (one per byte time). */
  private pump(n: number): void {
    const p = this.port(n);
    if (p.pumping || p.tx.length === 0) return;
    p.pumping = true;
    const baud = p.opts === undefined ? 9600 : p.opts.baud;
    this.after(this.byteTime(baud), () => {
      p.pumping = false;
      const b = p.tx.shift() as number;
      if (p.dev !== undefined) p.dev.receive(p.opts !== undefined && p.opts.baud !== p.dev.baud ? (b ^ 0x5a) & 0xff : b);
      this.pump(n);
    });
  }

  private spiTransfer(o: SpiOptions, out: Bytes, into: Bytes, n: number): boolean {
    if (this.spiBroken) return false;
    let dev: SimSpiDevice | undefined = undefined;
    for (let i = 0; i < this.spis.length; i++) if (this.spis[i].cs_pin === o.cs_pin) dev = this.spis[i];
    this.spiBytes = this.spiBytes + n;
    if (dev === undefined || o.hz > dev.max_hz) {
      for (let i = 0; i < n; i++) set(into, i, 0xff);
      return true;
    }
    const flip = o.lsb_first !== dev.lsb_first;
    const skew = o.mode !== dev.mode;
    const seen = alloc(n);
    for (let i = 0; i < n; i++) {
      let v = get(out, i);
      if (flip) v = reverseBits(v);
      if (skew) v = (v << 1) & 0xff;
      set(seen, i, v);
    }
    dev.transfer(seen, into, n);
    for (let i = 0; i < n; i++) {
      let v = get(into, i);
      if (skew) v = ((v >>> 1) | 0x80) & 0xff;
      if (flip) v = reverseBits(v);
      set(into, i, v);
    }
    return true;
  }

  private i2cDevice(address: number): SimI2cDevice | undefined {
    for (let i = 0; i < this.i2cs.length; i++) if (this.i2cs[i].address === address) return this.i2cs[i];
    return undefined;
  }

  private makeBus(): Bus {
    const sim = this;
    return {
      digital: (o: DigitalOptions): Digital => sim.openDigital(o),
      spi: (o: SpiOptions): Spi => ({
        transfer: (out: Bytes, into: Bytes, n: number): boolean => {
          if (n > len(out) || n > len(into)) fail("sim-bus", "SPI transfer longer than its buffers");
          return sim.spiTransfer(o, out, into, n);
        },
        close: (): void => undefined,
      }),
      i2c: (o: I2cOptions): I2c => ({
        write: (data: Bytes, off: number, n: number): boolean => {
          const d = sim.i2cDevice(o.address);
          sim.i2cBytes = sim.i2cBytes + n + 1;
          return !sim.i2cBroken && d !== undefined && d.write(data, off, n);
        },
        read: (into: Bytes, off: number, n: number): boolean => {
          const d = sim.i2cDevice(o.address);
          sim.i2cBytes = sim.i2cBytes + n + 1;
          return !sim.i2cBroken && d !== undefined && d.read(into, off, n);
        },
        close: (): void => undefined,
      }),
      serial: (o: SerialOptions): Serial => sim.openSerial(o),
      timer: (o: BusTimerOptions): number => {
        const id = sim.after(o.delay_ms, o.onFire);
        if (o.interval_ms !== undefined) sim.timers[sim.timers.length - 1].every = o.interval_ms > 0 ? o.interval_ms : 1;
        return id;
      },
      cancel: (id: number): void => sim.cancel(id),
      now_ms: (): number => sim.t_ms,
    };
  }

  private openDigital(o: DigitalOptions): Digital {
    this.checkPin(o.pin);
    const sim = this;
    const w: Watch = { o: o, open: true };
    const out = o.mode === "output" || o.mode === "output-open-drain";
    this.outputs[o.pin] = out;
    this.openDrain[o.pin] = o.mode === "output-open-drain";
    if (o.edge !== undefined) this.watches.push(w);
    return {
      read: (): number => sim.level(o.pin),
      write: (level: number): void => {
        if (out) sim.levels[o.pin] = level === 0 ? 0 : 1;
      },
      close: (): void => {
        w.open = false;
        sim.outputs[o.pin] = false;
      },
    };
  }

  private openSerial(o: SerialOptions): Serial {
    const sim = this;
    const p = this.port(o.port);
    p.opts = o;
    return {
      write: (data: Bytes, off: number, n: number): number => {
        let k = 0;
        while (k < n && p.tx.length < UART_FIFO_BYTES) {
          p.tx.push(get(data, off + k));
          k = k + 1;
        }
        sim.pump(o.port);
        return k;
      },
      read: (into: Bytes, off: number, max: number): number => {
        let k = 0;
        while (k < max && p.rx.length > 0) {
          set(into, off + k, p.rx.shift() as number);
          k = k + 1;
        }
        return k;
      },
      close: (): void => {
        p.opts = undefined;
      },
    };
  }
}
