// Printer HAL on Espruino: a stand-in that prints receipt lines to the console (no printer
// driver yet). A real thermal-printer driver (serial/ESC-POS) replaces it.
import { Printer, PrinterOptions } from "../printer";
import { consolePrinter } from "../shared/console-devices";

declare function print(s: string): void;

export function openEspruinoPrinter(o: PrinterOptions): Printer {
  return consolePrinter(o, (line: string) => print(line));
}
