// Bus HAL on Espruino (ESP32): pinMode/digitalRead/digitalWrite and setWatch for GPIO
// (setWatch's `data` option samples the data pin in the interrupt, which the magnetic head
// needs), SPI1 with automatic chip select and `order: "lsb"` for the PN532, I2C1, Serial2
// and setTimeout/setInterval. Bytes cross as strings of char codes 0..255 (ESP32 Espruino
// strings are byte strings), as in the link adapter. Checked only on mocks here
// (test/unit/drivers-adapters.test.ts), not on a board.
import { Bus, BusTimerOptions, Digital, DigitalOptions, I2c, I2cOptions, Serial, SerialOptions, Spi, SpiOptions } from "../bus";
import { Bytes, get, set } from "../../src/bytes/index";
import { ByteQueue } from "../shared/byte-queue";

/** Bytes a UART keeps between its data events and the driver's read(). */
export const SERIAL_RX_BYTES = 512;

interface WatchEvent {
  state: boolean;
  time: number;
  data?: boolean;
}

interface EspruinoSpi {
  setup(o: { sck: number; miso: number; mosi: number; baud: number; mode: number; order: string }): void;
  send(data: string, nss: number): string;
}

interface EspruinoI2c {
  setup(o: { scl: number; sda: number; bitrate: number }): void;
  writeTo(address: number, data: string): void;
  readFrom(address: number, n: number): unknown;
}

interface EspruinoSerial {
  setup(baud: number, o: { rx: number; tx: number }): void;
  write(data: string): void;
  on(event: string, fn: (this: void, data: string) => void): void;
  removeAllListeners(event: string): void;
}

declare function pinMode(pin: number, mode: string): void;
declare function digitalRead(pin: number): number;
declare function digitalWrite(pin: number, level: number): void;
declare function setWatch(fn: (this: void, e: WatchEvent) => void, pin: number, o: { repeat: boolean; edge: string; debounce: number; data?: number }): number;
declare function clearWatch(id: number): void;
declare function setTimeout(fn: (this: void) => void, ms: number): number;
declare function setInterval(fn: (this: void) => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function getTime(): number;
declare const E: { toString(data: unknown): string };
declare const SPI1: EspruinoSpi;
declare const I2C1: EspruinoI2c;
declare const Serial1: EspruinoSerial;
declare const Serial2: EspruinoSerial;

/** The pins of the buses the board wires (GPIO numbers). */
export interface EspruinoBusPins {
  spi: { sck: number; miso: number; mosi: number };
  i2c: { sda: number; scl: number };
}

const PIN_MODES: string[] = ["input", "input_pullup", "output", "opendrain"];
const MODE_NAMES: string[] = ["input", "input-pullup", "output", "output-open-drain"];

function espruinoMode(mode: string): string {
  for (let i = 0; i < MODE_NAMES.length; i++) if (MODE_NAMES[i] === mode) return PIN_MODES[i];
  return "input";
}

function text(b: Bytes, off: number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String.fromCharCode(get(b, off + i)));
  return parts.join("");
}

function digital(o: DigitalOptions): Digital {
  pinMode(o.pin, espruinoMode(o.mode));
  let watch = 0;
  const onEdge = o.onEdge;
  if (o.edge !== undefined && onEdge !== undefined) {
    const w = { repeat: true, edge: o.edge, debounce: 0, data: o.data_pin };
    watch = setWatch((e: WatchEvent) => onEdge(e.state ? 1 : 0, e.data === true ? 1 : 0, Math.floor(e.time * 1000)), o.pin, w);
  }
  return {
    read: (): number => digitalRead(o.pin),
    write: (level: number): void => digitalWrite(o.pin, level === 0 ? 0 : 1),
    close: (): void => {
      if (watch !== 0) clearWatch(watch);
      watch = 0;
    },
  };
}

function serial(o: SerialOptions): Serial {
  const port = o.port === 1 ? Serial1 : Serial2;
  const rx = new ByteQueue(SERIAL_RX_BYTES);
  port.setup(o.baud, { rx: o.rx_pin, tx: o.tx_pin });
  port.on("data", (d: string) => {
    for (let i = 0; i < d.length; i++) rx.push(d.charCodeAt(i));
    o.onReadable(rx.count());
  });
  return {
    write: (data: Bytes, off: number, n: number): number => {
      port.write(text(data, off, n));
      return n;
    },
    read: (into: Bytes, off: number, max: number): number => rx.take(into, off, max),
    close: (): void => port.removeAllListeners("data"),
  };
}

/** Opens the board's buses; SPI and I2C are set up on first use. */
export function openEspruinoBus(pins: EspruinoBusPins): Bus {
  return {
    digital: (o: DigitalOptions): Digital => digital(o),
    spi: (o: SpiOptions): Spi => {
      SPI1.setup({ sck: pins.spi.sck, miso: pins.spi.miso, mosi: pins.spi.mosi, baud: o.hz, mode: o.mode, order: o.lsb_first ? "lsb" : "msb" });
      return {
        transfer: (out: Bytes, into: Bytes, n: number): boolean => {
          const r = SPI1.send(text(out, 0, n), o.cs_pin);
          if (r.length !== n) return false;
          for (let i = 0; i < n; i++) set(into, i, r.charCodeAt(i));
          return true;
        },
        close: (): void => undefined,
      };
    },
    i2c: (o: I2cOptions): I2c => {
      I2C1.setup({ scl: pins.i2c.scl, sda: pins.i2c.sda, bitrate: o.hz });
      return {
        // Espruino throws on a missing acknowledge
        write: (data: Bytes, off: number, n: number): boolean => {
          try {
            I2C1.writeTo(o.address, text(data, off, n));
          } catch (e) {
            return false;
          }
          return true;
        },
        read: (into: Bytes, off: number, n: number): boolean => {
          let r = "";
          try {
            r = E.toString(I2C1.readFrom(o.address, n));
          } catch (e) {
            return false;
          }
          for (let i = 0; i < n && i < r.length; i++) set(into, off + i, r.charCodeAt(i));
          return r.length === n;
        },
        close: (): void => undefined,
      };
    },
    serial: (o: SerialOptions): Serial => serial(o),
    timer: (o: BusTimerOptions): number => {
      // a repeating timer runs first after interval_ms (the drivers ask for delay = interval)
      if (o.interval_ms === undefined) return setTimeout(o.onFire, o.delay_ms);
      return setInterval(o.onFire, o.interval_ms);
    },
    cancel: (id: number): void => clearTimeout(id),
    now_ms: (): number => Math.floor(getTime() * 1000),
  };
}
