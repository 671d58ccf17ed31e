// driver.keypad: the matrix keypad driver against the matrix model. Steps: {"press": KEY,
// "hold_ms", "gap_ms"} or {"down": [KEY…]} / {"up": [KEY…]} / {"wait_ms"}; out: the keys reported.
import { Suite } from "../../../src/conformance/suite";
import { Obj, asObj, numOr, strOr, listOr } from "../../../src/conformance/args";
import { Key } from "../../keypad";
import { openBoardKeypad } from "../board";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";
import { EventLog, board, stepsOf } from "./common";

function keysOf(s: Obj, key: string): Key[] {
  const l = listOr(s, key, "driver.keypad");
  const out: Key[] = [];
  for (let i = 0; i < l.length && i < 16; i++) out.push(l[i] as Key);
  return out;
}

function run(input: unknown): unknown {
  const o = asObj(input, "driver.keypad");
  const b = board(numOr(o, "bounce_ms", 5, "driver.keypad"));
  const log = new EventLog();
  const kp = openBoardKeypad(b.sim.bus, ESP32_REF, { onKey: (k: Key) => log.add(k) });
  const steps = stepsOf(o, "driver.keypad");
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const key = strOr(s, "press", "", "driver.keypad");
    if (key.length > 0) b.press(key as Key, numOr(s, "hold_ms", 60, "driver.keypad"), numOr(s, "gap_ms", 60, "driver.keypad"));
    const down = keysOf(s, "down");
    for (let k = 0; k < down.length; k++) {
      const rc = b.where(down[k]);
      b.keypad.press(rc[0], rc[1]);
    }
    const up = keysOf(s, "up");
    for (let k = 0; k < up.length; k++) {
      const rc = b.where(up[k]);
      b.keypad.release(rc[0], rc[1]);
    }
    b.sim.advance(numOr(s, "wait_ms", 0, "driver.keypad"));
  }
  kp.beep(50);
  const beeping = b.sim.level(ESP32_REF.keypad.buzzer_pin);
  b.sim.advance(60);
  const after = b.sim.level(ESP32_REF.keypad.buzzer_pin);
  kp.close();
  return { keys: log.items, beep: [beeping, after] };
}

export const KEYPAD_CHECK: Suite = { name: "driver.keypad", run: run };
