// driver.printer: the ESC/POS printer driver against the printer model on UART1. Steps:
// {"line": TEXT, "bold", "dh"}, {"feed": N}, {"cut": true}, {"raw": HEX}, {"wait_ms"},
// {"load_paper": N}, {"resume": true}, {"unplug": true}; options "paper_lines", "baud"
// (the driver's rate; the printer runs at the board's). Out: the paper, the driver's errors,
// how often it said writable, how many lines it refused.
import { Suite } from "../../../src/conformance/suite";
import { asObj, boolOr, numOr, strOr } from "../../../src/conformance/args";
import { fromHex } from "../../../src/bytes/index";
import { PrinterError } from "../../printer";
import { openEscPosPrinter } from "../escpos-printer";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";
import { EventLog, board, stepsOf } from "./common";

function run(input: unknown): unknown {
  const o = asObj(input, "driver.printer");
  const paper = numOr(o, "paper_lines", -1, "driver.printer");
  const b = board(0, paper < 0 ? undefined : paper);
  const errors = new EventLog();
  let writable = 0;
  let refused = 0;
  const p = ESP32_REF.printer;
  const pr = openEscPosPrinter({
    bus: b.sim.bus, port: p.port, baud: numOr(o, "baud", p.baud, "driver.printer"), tx_pin: p.tx_pin, rx_pin: p.rx_pin,
    onWritable: () => {
      writable = writable + 1;
    },
    onError: (e: PrinterError) => errors.add(e),
  });
  const steps = stepsOf(o, "driver.printer");
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const w = "driver.printer";
    if (s.line !== undefined && !pr.line(strOr(s, "line", "", w), boolOr(s, "bold", false, w), boolOr(s, "dh", false, w))) refused = refused + 1;
    if (s.feed !== undefined) pr.feed(numOr(s, "feed", 0, w));
    if (boolOr(s, "cut", false, w)) pr.cut();
    if (s.raw !== undefined && !pr.write(fromHex(strOr(s, "raw", "", w)))) refused = refused + 1;
    if (boolOr(s, "unplug", false, w)) b.sim.detachSerial(p.port);
    if (s.load_paper !== undefined) b.printer.loadPaper(numOr(s, "load_paper", 0, w));
    if (boolOr(s, "resume", false, w)) pr.resume();
    b.sim.advance(numOr(s, "wait_ms", 0, w));
  }
  pr.close();
  return { paper: b.printer.text(), errors: errors.items, writable: writable, refused: refused, printer_errors: b.printer.errors() };
}

export const PRINTER_CHECK: Suite = { name: "driver.printer", run: run };
