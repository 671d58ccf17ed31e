// driver.lcd: the HD44780/PCF8574 display driver against the display model. Steps:
// {"row": R, "text", "align"}, {"clear": true}, {"flush": true}, {"unplug": true},
// {"plug": true}, {"wait_ms"}. Out: the rows the model shows, the driver's errors, how often
// it said writable, and the instructions the model lost (driver timing faults).
import { Suite } from "../../../src/conformance/suite";
import { asObj, boolOr, numOr, strOr } from "../../../src/conformance/args";
import { Hd44780Model } from "../../../src/models/hd44780";
import { openBoardDisplay } from "../board";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";
import { board, stepsOf } from "./common";

function run(input: unknown): unknown {
  const o = asObj(input, "driver.lcd");
  const w = "driver.lcd";
  const b = board(0);
  let errors = 0;
  let writable = 0;
  let lcd: Hd44780Model = b.lcd;
  const d = openBoardDisplay(b.sim.bus, ESP32_REF, {
    onWritable: () => {
      writable = writable + 1;
    },
    onError: () => {
      errors = errors + 1;
    },
  });
  const steps = stepsOf(o, w);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.row !== undefined) {
      const a = strOr(s, "align", "left", w);
      d.line(numOr(s, "row", 0, w), strOr(s, "text", "", w), a === "center" ? "center" : a === "right" ? "right" : "left", "normal");
    }
    if (boolOr(s, "clear", false, w)) d.clear();
    if (boolOr(s, "flush", false, w)) d.flush();
    if (boolOr(s, "unplug", false, w)) b.sim.detachI2c(ESP32_REF.display.address);
    if (boolOr(s, "plug", false, w)) lcd = new Hd44780Model(b.sim, ESP32_REF.display.address);
    b.sim.advance(numOr(s, "wait_ms", 0, w));
  }
  d.close();
  return { rows: lcd.rows(), errors: errors, writable: writable, lost: lcd.errors().length };
}

export const LCD_CHECK: Suite = { name: "driver.lcd", run: run };
