// Entry of the driver benchmark bundles (ES5 and Lua): opens one part driver of the reference
// board on a bus that does nothing, so a host can read the heap before and after and count
// only what the driver itself keeps (buffers, state, closures). The bus keeps every options
// object it is handed (as a platform keeps its watch and timer callbacks): one array slot each.
import { Bus, BusTimerOptions, Digital, DigitalOptions, I2c, I2cOptions, Serial, SerialOptions, Spi, SpiOptions } from "../../hal/bus";
import { Bytes } from "../../src/bytes/index";
import { ESP32_REF } from "../boards/esp32-ref";
import { openBoardDisplay, openBoardKeypad, openBoardPrinter } from "../../hal/drivers/board";
import { MagStripeReader } from "../../hal/drivers/magstripe";
import { Pn532Reader } from "../../hal/drivers/pn532";
import { fail } from "../../src/errors";
import { Se050 } from "../../hal/drivers/se050";
import { Se050Security } from "../../hal/drivers/se050-security";

/** Most callbacks the idle bus keeps (a bound on `held`). */
export const MAX_HELD = 64;
/** The drivers this bundle can open, in report order. */
export const DRIVER_NAMES: string[] = ["keypad", "printer", "pn532", "magstripe", "lcd", "se050"];

const held: unknown[] = [];
let nextTimer = 1;

function hold(o: unknown): void {
  if (held.length < MAX_HELD) held.push(o);
}

const PIN: Digital = { read: () => 1, write: (level: number) => undefined, close: () => undefined };
const SPI: Spi = { transfer: (out: Bytes, into: Bytes, n: number) => false, close: () => undefined };
const I2C: I2c = { write: (d: Bytes, off: number, n: number) => false, read: (d: Bytes, off: number, n: number) => false, close: () => undefined };
const SERIAL: Serial = { write: (d: Bytes, off: number, n: number) => n, read: (d: Bytes, off: number, n: number) => 0, close: () => undefined };

const IDLE_BUS: Bus = {
  digital: (o: DigitalOptions): Digital => {
    hold(o);
    return PIN;
  },
  spi: (o: SpiOptions): Spi => SPI,
  i2c: (o: I2cOptions): I2c => I2C,
  serial: (o: SerialOptions): Serial => {
    hold(o);
    return SERIAL;
  },
  timer: (o: BusTimerOptions): number => {
    hold(o);
    nextTimer = nextTimer + 1;
    return nextTimer;
  },
  cancel: (id: number): void => undefined,
  now_ms: (): number => 0,
};

/** Opens driver `name` on the idle bus and returns it (the caller keeps it alive). */
export function openDriver(name: string): unknown {
  const b = ESP32_REF;
  if (name === "keypad") return openBoardKeypad(IDLE_BUS, b, { onKey: () => undefined });
  if (name === "printer") return openBoardPrinter(IDLE_BUS, b, { onWritable: () => undefined, onError: () => undefined });
  if (name === "pn532") return new Pn532Reader(IDLE_BUS, b.nfc.cs_pin, { onTap: () => undefined, onRemove: () => undefined, onError: () => undefined });
  if (name === "magstripe") {
    const m = b.magstripe;
    return new MagStripeReader({ bus: IDLE_BUS, clock_pin: m.clock_pin, data_pin: m.data_pin, present_pin: m.present_pin, external_pullups: m.external_pullups, onSwipe: () => undefined });
  }
  if (name === "lcd") return openBoardDisplay(IDLE_BUS, b, {});
  if (name === "se050") return new Se050Security({ se: new Se050(IDLE_BUS, {}) });
  return fail("drivers-bench", "no driver " + name);
}

/** How many callbacks the idle bus holds (so a host can tell them from the driver's own). */
export function heldCount(): number {
  return held.length;
}
