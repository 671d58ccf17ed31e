// Progress lines for long runs (build stages, sweeps, crash tests, benchmarks): on stderr, only
// when stderr is a terminal, never with --quiet or --json (main.ts sets that once per run).
// Throttled; the line is rewritten in place and cleared when the run ends.

let silent = false;

/** Silences progress for this process (--quiet, --json). */
export function setProgressSilent(v: boolean): void {
  silent = v;
}

/** True when progress lines should be written now. */
export function progressEnabled(): boolean {
  return !silent && process.stderr.isTTY === true;
}

/** Least time between two repaints of a progress line. */
export const REPAINT_MS = 200;

export class Progress {
  private readonly t0 = Date.now();
  private last = 0;
  private shown = false;
  private lastNote = "";

  /** `label`: what runs ("sim sweep"); `total`: units of work, when known. */
  constructor(private readonly label: string, private total?: number) {}

  /** Reports `done` units finished; `note` is appended (e.g. "2 failing"); `total` if now known. */
  tick(done: number, note = "", total?: number): void {
    if (total !== undefined) this.total = total;
    if (!progressEnabled()) return;
    const now = Date.now();
    if (now - this.last < REPAINT_MS && done !== this.total && note === this.lastNote) return;
    this.last = now;
    this.lastNote = note;
    const secs = (now - this.t0) / 1000;
    let text = `${this.label}: ${done}`;
    if (this.total !== undefined && this.total > 0) {
      text += `/${this.total} (${Math.floor((100 * done) / this.total)} %)`;
      if (done > 0 && done < this.total) text += `, ~${Math.ceil((secs * (this.total - done)) / done)} s left`;
    }
    if (note !== "") text += `, ${note}`;
    process.stderr.write(`\r${text}\x1b[K`);
    this.shown = true;
  }

  /** A line of its own (a stage starting), kept on screen. */
  note(text: string): void {
    if (!progressEnabled()) return;
    if (this.shown) process.stderr.write("\r\x1b[K");
    process.stderr.write(`${this.label}: ${text}\n`);
    this.shown = false;
  }

  /** Clears the progress line. */
  end(): void {
    if (this.shown && progressEnabled()) process.stderr.write("\r\x1b[K");
    this.shown = false;
  }
}
