// Printer HAL: a receipt printer fed line by line. Lines are queued; the device reports
// when its queue drains and when paper runs out. Receipts never carry a full PAN (masked only).

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
