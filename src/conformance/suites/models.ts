// Suites for the part models (src/models/), driven the way a host drives the part:
// escpos.model (bytes in, paper and status replies out), hd44780.model (PCF8574 bytes over
// I2C in, rows out), pn532.model (SPI cycles in, bytes read back out), track2.iso7811.encode
// (the magnetic head's bit stream for a track), keypad.model (row driven, columns read).
import { Suite } from "../suite";
import { Obj, asObj, boolOr, listOr, numList, numOr, strOr } from "../args";
import { Bytes, alloc, fromHex, fromList, len, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { EscPosPrinter } from "../../models/escpos-printer";
import { Hd44780Model } from "../../models/hd44780";
import { Pn532Model, VirtualCard } from "../../models/pn532";
import { SimBus } from "../../models/sim-bus";
import { swipeBits } from "../../models/mag-head";
import { KeypadMatrixModel } from "../../models/keypad-matrix";

/** Most steps one model vector may hold. */
export const MAX_MODEL_STEPS = 200;

function steps(o: Obj, where: string): Obj[] {
  const l = listOr(o, "steps", where);
  if (l.length > MAX_MODEL_STEPS) fail(where, "more than " + MAX_MODEL_STEPS + " steps");
  const out: Obj[] = [];
  for (let i = 0; i < l.length; i++) out.push(asObj(l[i], where));
  return out;
}

function escposModel(input: unknown): unknown {
  const o = asObj(input, "escpos.model");
  const replies: number[] = [];
  const paper = numOr(o, "paper_lines", -1, "escpos.model");
  const p = new EscPosPrinter({ paper_lines: paper < 0 ? undefined : paper, near_end_lines: numOr(o, "near_end_lines", 0, "escpos.model"), onReply: (b: number) => replies.push(b) });
  const s = steps(o, "escpos.model");
  for (let i = 0; i < s.length; i++) {
    const hex = strOr(s[i], "hex", "", "escpos.model");
    if (hex.length > 0) {
      const b = fromHex(hex);
      p.receive(b, 0, len(b));
    }
    const load = numOr(s[i], "load_paper", -1, "escpos.model");
    if (load >= 0) p.loadPaper(load);
  }
  return { paper: p.text(), replies: toHex(fromList(replies)), paper_out: p.paperOut(), errors: p.errors() };
}

function hd44780Model(input: unknown): unknown {
  const o = asObj(input, "hd44780.model");
  const sim = new SimBus();
  const address = numOr(o, "address", 0x27, "hd44780.model");
  const lcd = new Hd44780Model(sim, address);
  const s = steps(o, "hd44780.model");
  const i2c = sim.bus.i2c({ address: numOr(o, "write_to", address, "hd44780.model"), hz: 100000 });
  let nacks = 0;
  for (let i = 0; i < s.length; i++) {
    sim.advance(numOr(s[i], "wait_ms", 0, "hd44780.model"));
    const hex = strOr(s[i], "i2c", "", "hd44780.model");
    if (hex.length > 0) {
      const b = fromHex(hex);
      if (!i2c.write(b, 0, len(b))) nacks = nacks + 1;
    }
  }
  return { rows: lcd.rows(), lost: lcd.errors().length, nacks: nacks, backlight: lcd.backlight() };
}

function testCard(o: Obj): VirtualCard {
  const answer = fromHex(strOr(o, "answer", "9000", "pn532.model"));
  return { uid: fromHex(strOr(o, "uid", "08123456", "pn532.model")), ats: fromHex(strOr(o, "ats", "0578807002", "pn532.model")), apdu: (c: Bytes) => answer };
}

function pn532Model(input: unknown): unknown {
  const o = asObj(input, "pn532.model");
  const sim = new SimBus();
  const m = new Pn532Model(sim, { cs_pin: 5 });
  if (boolOr(o, "card", false, "pn532.model")) m.tap(testCard(o));
  const spi = sim.bus.spi({ cs_pin: 5, hz: 1000000, mode: numOr(o, "spi_mode", 0, "pn532.model"), lsb_first: boolOr(o, "lsb_first", true, "pn532.model") });
  const s = steps(o, "pn532.model");
  const reads: string[] = [];
  for (let i = 0; i < s.length; i++) {
    sim.advance(numOr(s[i], "wait_ms", 0, "pn532.model"));
    const hex = strOr(s[i], "spi", "", "pn532.model");
    if (hex.length === 0) continue;
    const out = fromHex(hex);
    const into = alloc(len(out));
    spi.transfer(out, into, len(out));
    // the byte clocked in during the op byte is not defined by the manual: left out
    reads.push(toHex(into, 1, len(out) - 1));
  }
  return { reads: reads, rejected: m.rejected, apdus: m.apdus };
}

function keypadModel(input: unknown): unknown {
  const o = asObj(input, "keypad.model");
  const sim = new SimBus();
  const rows = [10, 11, 12, 13];
  const cols = [20, 21, 22, 23];
  const k = new KeypadMatrixModel(sim, { row_pins: rows, col_pins: cols, bounce_ms: numOr(o, "bounce_ms", 0, "keypad.model") });
  const pressed = listOr(o, "pressed", "keypad.model");
  for (let i = 0; i < pressed.length && i < 16; i++) {
    const rc = asObj(pressed[i], "keypad.model") as unknown as number[];
    k.press(rc[0], rc[1]);
  }
  sim.advance(numOr(o, "after_ms", 0, "keypad.model"));
  const drive = numList(o, "drive_low", "keypad.model");
  const openDrain = boolOr(o, "open_drain", true, "keypad.model");
  for (let r = 0; r < 4; r++) {
    const d = sim.bus.digital({ pin: rows[r], mode: openDrain ? "output-open-drain" : "output" });
    let low = false;
    for (let i = 0; i < drive.length; i++) if (drive[i] === r) low = true;
    d.write(low ? 0 : 1);
  }
  const levels: number[] = [];
  for (let c = 0; c < 4; c++) levels.push(sim.level(cols[c]));
  return levels;
}

export const MODEL_SUITES: Suite[] = [
  { name: "escpos.model", run: escposModel },
  { name: "hd44780.model", run: hd44780Model },
  { name: "pn532.model", run: pn532Model },
  {
    name: "track2.iso7811.encode",
    run: (input: unknown) => {
      const o = asObj(input, "track2.iso7811.encode");
      return swipeBits(strOr(o, "track", "", "track2.iso7811.encode"), { reverse: boolOr(o, "reverse", false, "track2.iso7811.encode") });
    },
  },
  { name: "keypad.model", run: keypadModel },
];
