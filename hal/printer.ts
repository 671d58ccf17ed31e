// Printer HAL: a receipt printer fed ESC/POS bytes (src/escpos/encode.ts makes them) or line
// by line. Jobs are queued; the device reports when its queue drains and when paper runs out
// (the rest of the job stays queued until `resume`). Receipts never carry a full PAN.
import { Bytes } from "../src/bytes/types";

export type PrinterError = "paper-out" | "overheat" | "cover-open" | "io";

export interface PrinterOptions {
  /** The queue drained: everything written so far is on paper. */
  onWritable: (this: void) => void;
  /** Printing stopped; lines still queued stay queued until `resume`. */
  onError: (this: void, error: PrinterError) => void;
}

export interface Printer {
  /** Characters per line in the normal font. */
  readonly columns: number;
  /** Queues a whole ESC/POS job; false when the queue is full (wait for onWritable, then write again). */
  write(escpos: Bytes): boolean;
  /** Queues one line (ASCII, cut at `columns`); false when the queue is full (wait for onWritable). */
  line(text: string, bold: boolean, double_height: boolean): boolean;
  /** Queues `lines` blank lines. */
  feed(lines: number): void;
  /** Queues a paper cut (ignored by printers without a cutter). */
  cut(): void;
  /** Continues after an error is cleared (paper loaded, cover closed). */
  resume(): void;
  close(): void;
}

export type OpenPrinter = (this: void, options: PrinterOptions) => Printer;
