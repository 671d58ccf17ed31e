// Bus HAL on NodeMCU (ESP32 branch, Lua 5.3): gpio.config/read/write/trig, spi.master +
// device (tx_lsb_first/rx_lsb_first for the PN532), the i2c module (start/address/write/
// read/stop), uart with a "data" callback, and tmr timers made once at open. Bytes cross as
// Lua strings. Checked only on mocks here (test/unit/drivers-adapters.test.ts), not on a
// board; Lua runs per GPIO edge, so a fast magnetic swipe may be too quick for it (see
// firmware/boards/esp32-ref.ts).
import { Bus, BusTimerOptions, Digital, DigitalOptions, I2c, I2cOptions, Serial, SerialOptions, Spi, SpiOptions } from "../bus";
import { Bytes, get, set } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { ByteQueue } from "../shared/byte-queue";

/** Timers the bus can run at once (keypad scan, printer pump and timeout, PN532, LCD, beep). */
export const MAX_BUS_TIMERS = 12;
export const SERIAL_RX_BYTES = 512;
/** The software I2C id of the ESP32 i2c module. */
const I2C_ID = 0;

interface NodeTimer {
  alarm(this: NodeTimer, interval_ms: number, mode: number, fn: (this: void, t: NodeTimer) => void): boolean;
  unregister(this: NodeTimer): void;
}

interface SpiDevice {
  transfer(this: SpiDevice, data: string): string;
}

interface SpiMaster {
  device(this: SpiMaster, o: { cs: number; mode: number; freq: number; tx_lsb_first: boolean; rx_lsb_first: boolean }): SpiDevice;
}

declare const gpio: {
  config(this: void, o: { gpio: number[]; dir: number; opendrain: number; pull: number }): void;
  read(this: void, pin: number): number;
  write(this: void, pin: number, level: number): void;
  trig(this: void, pin: number, kind: number, fn?: (this: void, pin: number, level: number) => void): void;
  IN: number; OUT: number; IN_OUT: number; PULL_UP: number; FLOATING: number;
  INTR_UP: number; INTR_DOWN: number; INTR_UP_DOWN: number; INTR_DISABLE: number;
};
declare const spi: { master(this: void, host: number, o: { sclk: number; mosi: number; miso: number }): SpiMaster; VSPI: number };
declare const i2c: {
  setup(this: void, id: number, sda: number, scl: number, speed: number): number;
  start(this: void, id: number): void;
  stop(this: void, id: number): void;
  address(this: void, id: number, address: number, direction: number): boolean;
  write(this: void, id: number, data: string): number;
  read(this: void, id: number, n: number): string;
  TRANSMITTER: number; RECEIVER: number;
};
declare const uart: {
  setup(this: void, id: number, baud: number, bits: number, parity: number, stop: number, o: { tx: number; rx: number }): number;
  write(this: void, id: number, data: string): void;
  on(this: void, id: number, event: string, n: number, fn?: (this: void, data: string) => void): void;
  PARITY_NONE: number; STOPBITS_1: number;
};
declare const tmr: { create(this: void): NodeTimer; ALARM_SINGLE: number; ALARM_AUTO: number };
declare const node: { uptime(this: void): number };

export interface NodeMcuBusPins {
  spi: { sck: number; miso: number; mosi: number };
  i2c: { sda: number; scl: number };
}

function text(b: Bytes, off: number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String.fromCharCode(get(b, off + i)));
  return parts.join("");
}

function digital(o: DigitalOptions): Digital {
  const out = o.mode === "output" || o.mode === "output-open-drain";
  gpio.config({ gpio: [o.pin], dir: out ? gpio.IN_OUT : gpio.IN, opendrain: o.mode === "output-open-drain" ? 1 : 0, pull: o.mode === "input-pullup" ? gpio.PULL_UP : gpio.FLOATING });
  const onEdge = o.onEdge;
  const dataPin = o.data_pin;
  if (o.edge !== undefined && onEdge !== undefined) {
    const kind = o.edge === "rising" ? gpio.INTR_UP : o.edge === "falling" ? gpio.INTR_DOWN : gpio.INTR_UP_DOWN;
    gpio.trig(o.pin, kind, (pin: number, level: number) => onEdge(level, dataPin === undefined ? 0 : gpio.read(dataPin), Math.floor(node.uptime() / 1000)));
  }
  return {
    read: (): number => gpio.read(o.pin),
    write: (level: number): void => {
      if (out) gpio.write(o.pin, level === 0 ? 0 : 1);
    },
    close: (): void => {
      if (o.edge !== undefined) gpio.trig(o.pin, gpio.INTR_DISABLE);
    },
  };
}

function serial(o: SerialOptions): Serial {
  const rx = new ByteQueue(SERIAL_RX_BYTES);
  uart.setup(o.port, o.baud, 8, uart.PARITY_NONE, uart.STOPBITS_1, { tx: o.tx_pin, rx: o.rx_pin });
  uart.on(o.port, "data", 0, (d: string) => {
    for (let i = 0; i < d.length; i++) rx.push(d.charCodeAt(i));
    o.onReadable(rx.count());
  });
  return {
    write: (data: Bytes, off: number, n: number): number => {
      uart.write(o.port, text(data, off, n));
      return n;
    },
    read: (into: Bytes, off: number, max: number): number => rx.take(into, off, max),
    close: (): void => uart.on(o.port, "data", 0),
  };
}

/** Opens the board's buses; the SPI master and I2C are set up on first use. */
export function openNodeMcuBus(pins: NodeMcuBusPins): Bus {
  const ids: number[] = [];
  const timers: NodeTimer[] = [];
  for (let i = 0; i < MAX_BUS_TIMERS; i++) {
    ids.push(0);
    timers.push(tmr.create());
  }
  let nextId = 1;
  let master: SpiMaster | undefined = undefined;
  return {
    digital: (o: DigitalOptions): Digital => digital(o),
    spi: (o: SpiOptions): Spi => {
      if (master === undefined) master = spi.master(spi.VSPI, { sclk: pins.spi.sck, mosi: pins.spi.mosi, miso: pins.spi.miso });
      const dev = master.device({ cs: o.cs_pin, mode: o.mode, freq: o.hz, tx_lsb_first: o.lsb_first, rx_lsb_first: o.lsb_first });
      return {
        transfer: (out: Bytes, into: Bytes, n: number): boolean => {
          const r = dev.transfer(text(out, 0, n));
          if (r.length !== n) return false;
          for (let i = 0; i < n; i++) set(into, i, r.charCodeAt(i));
          return true;
        },
        close: (): void => undefined,
      };
    },
    i2c: (o: I2cOptions): I2c => {
      i2c.setup(I2C_ID, pins.i2c.sda, pins.i2c.scl, o.hz);
      return {
        write: (data: Bytes, off: number, n: number): boolean => {
          i2c.start(I2C_ID);
          const ack = i2c.address(I2C_ID, o.address, i2c.TRANSMITTER);
          if (ack) i2c.write(I2C_ID, text(data, off, n));
          i2c.stop(I2C_ID);
          return ack;
        },
        read: (into: Bytes, off: number, n: number): boolean => {
          i2c.start(I2C_ID);
          const ack = i2c.address(I2C_ID, o.address, i2c.RECEIVER);
          const r = ack ? i2c.read(I2C_ID, n) : "";
          i2c.stop(I2C_ID);
          for (let i = 0; i < n && i < r.length; i++) set(into, off + i, r.charCodeAt(i));
          return ack && r.length === n;
        },
        close: (): void => undefined,
      };
    },
    serial: (o: SerialOptions): Serial => serial(o),
    timer: (o: BusTimerOptions): number => {
      const slot = ids.indexOf(0);
      if (slot < 0) return fail("bus", "more than " + MAX_BUS_TIMERS + " timers");
      const id = nextId;
      nextId = nextId + 1;
      ids[slot] = id;
      const repeat = o.interval_ms !== undefined;
      const ms = repeat ? (o.interval_ms as number) : o.delay_ms;
      timers[slot].alarm(ms > 1 ? ms : 1, repeat ? tmr.ALARM_AUTO : tmr.ALARM_SINGLE, () => {
        if (!repeat && ids[slot] === id) ids[slot] = 0;
        o.onFire();
      });
      return id;
    },
    cancel: (id: number): void => {
      const slot = id > 0 ? ids.indexOf(id) : -1;
      if (slot < 0) return;
      timers[slot].unregister();
      ids[slot] = 0;
    },
    now_ms: (): number => Math.floor(node.uptime() / 1000),
  };
}
