// The NodeMCU bus adapter (hal/nodemcu/bus.ts) on mocks, in Lua: NodeMCU's gpio, spi, i2c,
// uart, tmr and node modules are stood in for by tables that forward to the simulated bus,
// and the part drivers on the adapter run the same small scenario as the Espruino adapter's
// test against the part models. Lua only (firmware/boards/tsconfig.nodemcu-check.json);
// test/unit/drivers-adapters.test.ts runs it. It checks the adapter's mapping, not a board.
import { SimBus } from "../../src/models/sim-bus";
import { SimBoard } from "../../src/models/board-sim";
import { Bus, Digital, I2c, Serial } from "../../hal/bus";
import { Bytes, alloc, fromHex, fromList, get, len, set, toHex } from "../../src/bytes/index";
import { openNodeMcuBus } from "../../hal/nodemcu/bus";
import { openBoardCardReader, openBoardDisplay, openBoardKeypad, openBoardPrinter } from "../../hal/drivers/board";
import { CardEvent, CardReaderError } from "../../hal/card-reader";
import { Key } from "../../hal/keypad";
import { PrinterError } from "../../hal/printer";
import { ESP32_REF } from "./esp32-ref";

declare const _G: { [k: string]: unknown };

/** Most calls the mocks record. */
export const MAX_CALLS = 200;

interface MockTimer {
  id: number;
}

function bytesOf(s: string): Bytes {
  const b = alloc(s.length);
  for (let i = 0; i < s.length; i++) set(b, i, s.charCodeAt(i));
  return b;
}

function textOf(b: Bytes, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(String.fromCharCode(get(b, i)));
  return parts.join("");
}

/** Installs the NodeMCU module mocks as globals, answered by `sim`; returns the call log. */
function installMocks(sim: SimBus, calls: string[]): void {
  const log = (s: string): void => {
    if (calls.length < MAX_CALLS) calls.push(s);
  };
  const pins: Digital[] = [];
  const pinIds: number[] = [];
  const bus = sim.bus;
  _G.gpio = {
    IN: 1, OUT: 2, IN_OUT: 3, PULL_UP: 1, FLOATING: 0, INTR_UP: 1, INTR_DOWN: 2, INTR_UP_DOWN: 3, INTR_DISABLE: 0,
    config: (o: { gpio: number[]; dir: number; opendrain: number; pull: number }) => {
      const out = o.dir !== 1;
      log("gpio.config " + o.gpio[0] + (out ? (o.opendrain === 1 ? " opendrain" : " out") : o.pull === 1 ? " pullup" : " in"));
      pinIds.push(o.gpio[0]);
      pins.push(bus.digital({ pin: o.gpio[0], mode: out ? (o.opendrain === 1 ? "output-open-drain" : "output") : o.pull === 1 ? "input-pullup" : "input" }));
    },
    read: (pin: number) => sim.level(pin),
    write: (pin: number, level: number) => {
      for (let i = pinIds.length - 1; i >= 0; i--) if (pinIds[i] === pin) return pins[i].write(level);
    },
    trig: (pin: number, kind: number, fn?: (this: void, pin: number, level: number) => void) => {
      if (fn === undefined) return;
      log("gpio.trig " + pin + " " + kind);
      bus.digital({ pin: pin, mode: "input", edge: kind === 1 ? "rising" : kind === 2 ? "falling" : "both", onEdge: (level: number) => fn(pin, level) });
    },
  };
  _G.spi = {
    VSPI: 3,
    master: (host: number, o: { sclk: number; mosi: number; miso: number }) => {
      log("spi.master " + host + " sclk " + o.sclk);
      return {
        device: function (this: void, self: unknown, d: { cs: number; mode: number; freq: number; tx_lsb_first: boolean; rx_lsb_first: boolean }) {
          log("spi.device cs " + d.cs + " mode " + d.mode + (d.tx_lsb_first && d.rx_lsb_first ? " lsb" : " msb"));
          const s = bus.spi({ cs_pin: d.cs, hz: d.freq, mode: d.mode, lsb_first: d.tx_lsb_first });
          return {
            transfer: function (this: void, me: unknown, data: string): string {
              const into = alloc(data.length);
              s.transfer(bytesOf(data), into, data.length);
              return textOf(into, data.length);
            },
          };
        },
      };
    },
  };
  let addr = -1;
  let dev: I2c | undefined = undefined;
  _G.i2c = {
    TRANSMITTER: 0, RECEIVER: 1,
    setup: (id: number, sda: number, scl: number, speed: number) => {
      log("i2c.setup sda " + sda + " scl " + scl);
      return speed;
    },
    start: (id: number) => undefined,
    stop: (id: number) => undefined,
    address: (id: number, a: number, dir: number) => {
      addr = a;
      dev = bus.i2c({ address: a, hz: 100000 });
      return dev.write(alloc(0), 0, 0);
    },
    write: (id: number, data: string) => {
      if (dev === undefined || addr < 0) return 0;
      return dev.write(bytesOf(data), 0, data.length) ? data.length : 0;
    },
    read: (id: number, n: number) => "",
  };
  const serials: Serial[] = [];
  const serialIds: number[] = [];
  const onData: ((this: void, d: string) => void)[] = [];
  _G.uart = {
    PARITY_NONE: 0, STOPBITS_1: 1,
    setup: (id: number, baud: number, bits: number, parity: number, stop: number, o: { tx: number; rx: number }) => {
      log("uart.setup " + id + " " + baud + " tx " + o.tx + " rx " + o.rx);
      const slot = serials.length;
      serialIds.push(id);
      onData.push((d: string) => undefined);
      const rx = alloc(64);
      serials.push(bus.serial({ port: id, baud: baud, tx_pin: o.tx, rx_pin: o.rx, onReadable: () => {
        const k = serials[slot].read(rx, 0, 64);
        if (k > 0) onData[slot](textOf(rx, k));
      } }));
      return baud;
    },
    write: (id: number, data: string) => {
      for (let i = 0; i < serialIds.length; i++) {
        if (serialIds[i] !== id) continue;
        const b = bytesOf(data);
        let off = 0;
        for (let guard = 0; off < len(b) && guard < 10000; guard++) {
          off = off + serials[i].write(b, off, len(b) - off);
          if (off < len(b)) sim.advance(1); // uart.write waits while the FIFO is full
        }
      }
    },
    on: (id: number, ev: string, n: number, fn?: (this: void, d: string) => void) => {
      for (let i = 0; i < serialIds.length; i++) if (serialIds[i] === id) onData[i] = fn === undefined ? (d: string) => undefined : fn;
    },
  };
  _G.tmr = {
    ALARM_SINGLE: 0, ALARM_AUTO: 1,
    create: () => {
      const t: MockTimer = { id: 0 };
      return {
        alarm: function (this: void, me: unknown, ms: number, mode: number, fn: (this: void, x: unknown) => void): boolean {
          if (t.id !== 0) bus.cancel(t.id);
          t.id = bus.timer({ delay_ms: ms, interval_ms: mode === 1 ? ms : undefined, onFire: () => fn(me) });
          return true;
        },
        unregister: function (this: void, me: unknown): void {
          if (t.id !== 0) bus.cancel(t.id);
          t.id = 0;
        },
      };
    },
  };
  _G.node = { uptime: () => sim.now() * 1000 };
}

/** The scenario: two keys, a row on the LCD, a receipt line, a tap with one APDU, a swipe. */
export function runNodeMcuCheck(): string[] {
  const b = new SimBoard(ESP32_REF, { bounce_ms: 5 });
  const calls: string[] = [];
  installMocks(b.sim, calls);
  const bus: Bus = openNodeMcuBus({ spi: { sck: ESP32_REF.nfc.sclk_pin, miso: ESP32_REF.nfc.miso_pin, mosi: ESP32_REF.nfc.mosi_pin }, i2c: { sda: ESP32_REF.display.sda_pin, scl: ESP32_REF.display.scl_pin } });
  const out: string[] = [];
  openBoardKeypad(bus, ESP32_REF, { onKey: (k: Key) => out.push("key " + k) });
  const lcd = openBoardDisplay(bus, ESP32_REF, {});
  const pr = openBoardPrinter(bus, ESP32_REF, { onWritable: () => out.push("writable"), onError: (e: PrinterError) => out.push("printer " + e) });
  const reader = openBoardCardReader(bus, ESP32_REF, {
    onCard: (e: CardEvent) => out.push(e.kind === "swipe" ? "swipe " + (e.ok ? "ok" : "bad") : e.kind),
    onError: (e: CardReaderError) => out.push("card " + e),
  });
  reader.enable(true, false, true);
  b.press("4", 60, 60);
  b.press("enter", 60, 60);
  lcd.line(0, "NODEMCU", "center", "normal");
  lcd.flush();
  pr.line("RECEIPT", true, false);
  pr.cut();
  b.sim.advance(300);
  b.nfc.tap({ uid: fromHex("08010203"), ats: fromHex("0578807002"), apdu: (c: Bytes) => fromList([get(c, 1), 0x90, 0x00]) });
  b.sim.advance(300);
  reader.exchange("contactless", fromHex("00A4040000"), (r: Bytes) => out.push("apdu " + toHex(r)));
  b.sim.advance(100);
  b.head.swipe("4111111111111111=30121010000", {});
  b.sim.advance(400);
  out.push("lcd [" + b.lcd.rows()[0] + "]");
  const paper = b.printer.text();
  for (let i = 0; i < paper.length; i++) out.push("paper " + paper[i]);
  for (let i = 0; i < calls.length; i++) out.push("call " + calls[i]);
  return out;
}
