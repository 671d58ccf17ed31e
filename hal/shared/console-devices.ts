// Stand-ins for the receipt printer and the display on boards without them: every line goes
// to the console (Espruino and NodeMCU both have `print`). Real drivers replace these.
import { Display, DisplayOptions, LineStyle } from "../display";
import { Printer, PrinterOptions } from "../printer";
import { Bytes } from "../../src/bytes/types";
import { jobText } from "../../src/escpos/encode";

export const CONSOLE_PRINTER_COLUMNS = 32;
export const CONSOLE_DISPLAY_ROWS = 4;
export const CONSOLE_DISPLAY_COLUMNS = 20;

export type LogLine = (this: void, line: string) => void;

function cut(text: string, columns: number): string {
  return text.length > columns ? text.substring(0, columns) : text;
}

/** A printer that prints "| line" to the console; it never runs out of paper. */
export function consolePrinter(o: PrinterOptions, log: LogLine): Printer {
  return {
    columns: CONSOLE_PRINTER_COLUMNS,
    write: (escpos: Bytes): boolean => {
      const lines = jobText(escpos);
      for (let i = 0; i < lines.length; i++) log("| " + cut(lines[i], CONSOLE_PRINTER_COLUMNS));
      log("+--- cut ---");
      o.onWritable();
      return true;
    },
    line: (text: string, bold: boolean, double_height: boolean): boolean => {
      log("| " + cut(text, CONSOLE_PRINTER_COLUMNS) + (bold || double_height ? " *" : ""));
      return true;
    },
    feed: (lines: number): void => {
      if (lines > 0) log("|");
    },
    cut: (): void => {
      log("+--- cut ---");
      o.onWritable();
    },
    resume: (): void => undefined,
    close: (): void => undefined,
  };
}

/** A display that prints each row written, as "[row] text", on flush. */
export function consoleDisplay(o: DisplayOptions, log: LogLine): Display {
  const rows: string[] = [];
  for (let r = 0; r < CONSOLE_DISPLAY_ROWS; r++) rows.push("");
  return {
    rows: CONSOLE_DISPLAY_ROWS,
    columns: CONSOLE_DISPLAY_COLUMNS,
    line: (row: number, text: string, align: "left" | "center" | "right", style: LineStyle): void => {
      if (row >= 0 && row < CONSOLE_DISPLAY_ROWS) rows[row] = cut(text, CONSOLE_DISPLAY_COLUMNS);
    },
    clear: (): void => {
      for (let r = 0; r < CONSOLE_DISPLAY_ROWS; r++) rows[r] = "";
    },
    flush: (): void => {
      for (let r = 0; r < CONSOLE_DISPLAY_ROWS; r++) if (rows[r].length > 0) log("[" + r + "] " + rows[r]);
      if (o.onWritable !== undefined) o.onWritable();
    },
    close: (): void => undefined,
  };
}
