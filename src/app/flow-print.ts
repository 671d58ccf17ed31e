// Printer status: a finished job, or paper out — the printer keeps the job; the app says
// so in plain words and resumes it when the operator has loaded paper and pressed enter.
import type { TerminalApp } from "./app";
import { S_PAPER } from "./consts";

export function printerDone(a: TerminalApp, ok: boolean, why: string): void {
  if (ok) {
    a.printing = false;
    return;
  }
  if (a.scr !== S_PAPER) a.paperBack = a.scr;
  a.scr = S_PAPER;
  a.beep(500);
}
