// Display HAL: a text display of fixed rows and columns (character LCD or a small
// graphic panel with a fixed font). The core writes whole lines; the device renders them.

export interface DisplayOptions {
  /** The frame was shown (after flush); lets the core pace updates. */
  onWritable?: (this: void) => void;
  onError?: (this: void, detail: string) => void;
}

/** How a line is drawn; platforms without a style draw it plainly. */
export type LineStyle = "normal" | "inverse" | "large";

export interface Display {
  /** Text rows, fixed for the device. */
  readonly rows: number;
  /** Characters per row (ASCII); longer text is cut, never wrapped. */
  readonly columns: number;
  /** Replaces row `row` (0-based) with `text`, aligned left, centred or right. */
  line(row: number, text: string, align: "left" | "center" | "right", style: LineStyle): void;
  /** Blanks every row. */
  clear(): void;
  /** Shows what was written since the last flush (devices may buffer a frame). */
  flush(): void;
  close(): void;
}

export type OpenDisplay = (this: void, options: DisplayOptions) => Display;
