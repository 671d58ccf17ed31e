// Keypad HAL: key presses as events. One options object with callbacks, close().

/** Keys of a POS keypad; the platform maps its scan codes onto these. */
export type Key =
  | "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9"
  | "00" | "." | "enter" | "cancel" | "clear" | "back" | "up" | "down" | "f1" | "f2" | "f3" | "f4";

export interface KeypadOptions {
  /** A key went down (auto-repeat, if any, is the platform's business). */
  onKey: (this: void, key: Key) => void;
  /** Keypad unusable (tamper, bus error). */
  onError?: (this: void, detail: string) => void;
}

export interface Keypad {
  /** Short beep as key feedback or alert; `duration_ms` is clipped by the platform. */
  beep(duration_ms: number): void;
  close(): void;
}

export type OpenKeypad = (this: void, options: KeypadOptions) => Keypad;
