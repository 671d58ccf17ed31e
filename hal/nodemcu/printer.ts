// Printer HAL on NodeMCU: a stand-in that prints receipt lines to the console (no printer
// driver yet). A real thermal-printer driver (uart, ESC/POS) replaces it.
import { Printer, PrinterOptions } from "../printer";
import { consolePrinter } from "../shared/console-devices";

declare function print(s: string): void;

export function openNodeMcuPrinter(o: PrinterOptions): Printer {
  return consolePrinter(o, (line: string) => print(line));
}
