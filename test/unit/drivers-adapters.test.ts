// The platform bus adapters on mocks: hal/espruino/bus.ts (its ES5 build) runs in Node with
// Espruino's globals (pinMode, digitalRead/Write, setWatch, SPI1, I2C1, Serial2, setTimeout,
// setInterval, getTime) mocked onto the simulated bus, so the part drivers go through the
// adapter to the part models. This checks the adapter's mapping (bit order, chip select,
// NACK as an exception, watch data pin, timers), not a board. (test/unit/portable.test.ts
// keeps hal/drivers, the board profiles and the bench entry in the portable subset.)
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "path";
import * as fs from "fs";
import { ROOT } from "../../cli/paths";
import { SimBoard } from "../../src/models/board-sim";
import { SimBus } from "../../src/models/sim-bus";
import { ESP32_REF } from "../../firmware/boards/esp32-ref";
import { openBoardCardReader, openBoardDisplay, openBoardKeypad, openBoardPrinter } from "../../hal/drivers/board";
import { Bus } from "../../hal/bus";
import { fromHex, fromList, get } from "../../src/bytes/index";
import { LUA, spawnLua } from "../../cli/engines";
import { DIST } from "../../cli/paths";

const ES5_ADAPTER = path.join(ROOT, "build/es5/hal/espruino/bus.js");
const LUA_CHECK = path.join(DIST, "nodemcu", "posrt-nodemcu-bus-check.lua");

/** Espruino's globals, answered by the simulated bus; returns what the adapter asked for. */
function espruinoMocks(sim: SimBus): { calls: string[] } {
  const g = globalThis as unknown as Record<string, unknown>;
  const calls: string[] = [];
  const pins = new Map<number, ReturnType<Bus["digital"]>>();
  const str = (b: Uint8Array, n: number): string => String.fromCharCode(...Array.from(b.subarray(0, n)));
  const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const modes: Record<string, string> = { input: "input", input_pullup: "input-pullup", output: "output", opendrain: "output-open-drain" };
  g.pinMode = (pin: number, mode: string) => {
    calls.push(`pinMode ${pin} ${mode}`);
    pins.set(pin, sim.bus.digital({ pin, mode: modes[mode] as "input" }));
  };
  g.digitalRead = (pin: number) => sim.level(pin);
  g.digitalWrite = (pin: number, v: number) => pins.get(pin)!.write(v);
  g.setWatch = (fn: (e: { state: boolean; time: number; data?: boolean }) => void, pin: number, o: { edge: string; data?: number }) => {
    calls.push(`setWatch ${pin} ${o.edge}${o.data === undefined ? "" : " data " + o.data}`);
    sim.bus.digital({ pin, mode: "input", edge: o.edge as "falling", data_pin: o.data, onEdge: (level, data, t) => fn({ state: level === 1, time: t / 1000, data: o.data === undefined ? undefined : data === 1 }) });
    return 1;
  };
  g.clearWatch = () => undefined;
  g.setTimeout = (fn: () => void, ms: number) => sim.bus.timer({ delay_ms: ms, onFire: fn });
  g.setInterval = (fn: () => void, ms: number) => sim.bus.timer({ delay_ms: ms, interval_ms: ms, onFire: fn });
  g.clearTimeout = (id: number) => sim.bus.cancel(id);
  g.getTime = () => sim.now() / 1000;
  g.E = { toString: (d: Uint8Array) => str(d, d.length) };
  let spiOrder = "msb";
  let spiMode = 0;
  g.SPI1 = {
    setup: (o: { order: string; mode: number; baud: number }) => {
      calls.push(`SPI1.setup ${o.order} mode ${o.mode}`);
      spiOrder = o.order;
      spiMode = o.mode;
    },
    send: (data: string, cs: number) => {
      const spi = sim.bus.spi({ cs_pin: cs, hz: 1000000, mode: spiMode, lsb_first: spiOrder === "lsb" });
      const into = new Uint8Array(data.length);
      spi.transfer(bytes(data) as never, into as never, data.length);
      return str(into, data.length);
    },
  };
  g.I2C1 = {
    setup: (o: { scl: number; sda: number }) => calls.push(`I2C1.setup scl ${o.scl} sda ${o.sda}`),
    writeTo: (a: number, d: string) => {
      if (!sim.bus.i2c({ address: a, hz: 100000 }).write(bytes(d) as never, 0, d.length)) throw new Error("I2C got NACK");
    },
    readFrom: (a: number, n: number) => {
      const into = new Uint8Array(n);
      if (!sim.bus.i2c({ address: a, hz: 100000 }).read(into as never, 0, n)) throw new Error("I2C got NACK");
      return into;
    },
  };
  const serial = (port: number) => {
    let s: ReturnType<Bus["serial"]> | undefined;
    let onData: (d: string) => void = () => undefined;
    return {
      setup: (baud: number, o: { rx: number; tx: number }) => {
        calls.push(`Serial${port}.setup ${baud} tx ${o.tx} rx ${o.rx}`);
        s = sim.bus.serial({ port, baud, tx_pin: o.tx, rx_pin: o.rx, onReadable: () => {
          const b = new Uint8Array(64);
          const k = s!.read(b as never, 0, 64);
          if (k > 0) onData(str(b, k));
        } });
      },
      write: (d: string) => {
        const b = bytes(d);
        let off = 0;
        while (off < b.length) {
          off += s!.write(b as never, off, b.length - off);
          if (off < b.length) sim.advance(1); // Espruino blocks while its TX buffer is full
        }
      },
      on: (ev: string, fn: (d: string) => void) => {
        onData = fn;
      },
      removeAllListeners: () => undefined,
    };
  };
  g.Serial1 = serial(1);
  g.Serial2 = serial(2);
  return { calls };
}

function espruinoBus(sim: SimBus): Bus {
  if (!fs.existsSync(ES5_ADAPTER)) throw new Error(`no ${ES5_ADAPTER} (node scripts/build.js es5)`);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const m = require(ES5_ADAPTER);
  return m.openEspruinoBus({ spi: { sck: 18, miso: 19, mosi: 23 }, i2c: { sda: 21, scl: 22 } });
}

test("Espruino adapter (mocks): keypad, LCD, printer, PN532 and magnetic head drivers reach their models", () => {
  const b = new SimBoard(ESP32_REF, { bounce_ms: 5, paper_lines: undefined });
  const { calls } = espruinoMocks(b.sim);
  const bus = espruinoBus(b.sim);
  const keys: string[] = [];
  const events: string[] = [];
  openBoardKeypad(bus, ESP32_REF, { onKey: (k) => keys.push(k) });
  const lcd = openBoardDisplay(bus, ESP32_REF, {});
  const pr = openBoardPrinter(bus, ESP32_REF, { onWritable: () => events.push("writable"), onError: (e) => events.push("printer " + e) });
  const reader = openBoardCardReader(bus, ESP32_REF, { onCard: (e) => events.push(e.kind === "swipe" ? "swipe " + e.ok : e.kind), onError: (e) => events.push("card " + e) });
  reader.enable(true, false, true);
  b.press("4", 60, 60);
  b.press("enter", 60, 60);
  lcd.line(0, "ESPRUINO", "center", "normal");
  lcd.flush();
  pr.line("RECEIPT", true, false);
  pr.cut();
  b.sim.advance(300);
  b.nfc.tap({ uid: fromHex("08010203"), ats: fromHex("0578807002"), apdu: (c) => fromList([get(c, 1), 0x90, 0x00]) });
  b.sim.advance(300);
  reader.exchange("contactless", fromHex("00A4040000"), (r) => events.push("apdu " + Buffer.from(r as unknown as Uint8Array).toString("hex")));
  b.sim.advance(100);
  b.head.swipe("4111111111111111=30121010000", {});
  b.sim.advance(400);
  assert.equal(keys, ["4", "enter"]);
  assert.equal(b.lcd.rows()[0], "      ESPRUINO      ");
  assert.equal(b.printer.text(), ["RECEIPT" + " ".repeat(25) + " [B]", "--------- cut ---------"]);
  assert.equal(events, ["writable", "tap", "apdu a49000", "swipe true"]);
  assert.ok(calls.includes("SPI1.setup lsb mode 0"), calls.join("; "));
  assert.ok(calls.includes("setWatch 34 falling data 35"), calls.join("; "));
  assert.ok(calls.includes("pinMode 13 opendrain") && calls.includes("pinMode 25 input_pullup"), calls.join("; "));
  assert.ok(calls.includes("Serial1.setup 9600 tx 17 rx 16"), calls.join("; "));
});

test("Espruino adapter (mocks): an I2C NACK (exception) is a refused write, reported by the LCD driver", () => {
  const b = new SimBoard(ESP32_REF, { bounce_ms: 0 });
  espruinoMocks(b.sim);
  const bus = espruinoBus(b.sim);
  b.sim.detachI2c(ESP32_REF.display.address);
  const errors: string[] = [];
  openBoardDisplay(bus, ESP32_REF, { onError: (d) => errors.push(d) });
  b.sim.advance(100);
  assert.equal(errors, ["LCD at I2C 0x27 did not acknowledge"]);
});

test(`NodeMCU adapter (mocks, ${LUA.name}): the same drivers through gpio/spi/i2c/uart/tmr reach their models`, () => {
  if (!fs.existsSync(LUA_CHECK)) throw new Error(`no ${LUA_CHECK} (node scripts/build.js lua)`);
  const p = spawnLua(["-e", `local m = dofile(${JSON.stringify(LUA_CHECK)}) for _, l in ipairs(m.runNodeMcuCheck()) do print(l) end`]);
  assert.equal(p.status, 0, p.stderr);
  const lines = p.stdout.trim().split("\n");
  const events = lines.filter((l) => !l.startsWith("call ") && !l.startsWith("paper ") && !l.startsWith("lcd "));
  assert.equal(events, ["key 4", "key enter", "writable", "tap", "apdu A49000", "swipe ok"]);
  assert.ok(lines.includes("lcd [      NODEMCU       ]"), lines.join("\n"));
  assert.ok(lines.includes("paper RECEIPT" + " ".repeat(25) + " [B]"), lines.join("\n"));
  const calls = lines.filter((l) => l.startsWith("call "));
  for (const c of ["call spi.device cs 5 mode 0 lsb", "call gpio.config 13 opendrain", "call gpio.config 25 pullup", "call uart.setup 1 9600 tx 17 rx 16", "call i2c.setup sda 21 scl 22", "call gpio.trig 34 2"]) {
    assert.ok(calls.includes(c), c + " not in " + calls.join("; "));
  }
});

test.run();
