// Clock HAL: the only source of time for the core (which is otherwise deterministic, so a
// seeded simulation replays exactly). Monotonic milliseconds, a settable wall clock, timers.

/** Calendar time as ISO 8583 fields 12/13 and receipts need it (local time of the terminal). */
export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One timer; `onFire` runs once after `delay_ms`, then every `interval_ms` when given. */
export interface TimerOptions {
  delay_ms: number;
  interval_ms?: number;
  onFire: (this: void) => void;
}

export interface Clock {
  /** Milliseconds since an arbitrary start; never goes backwards, not changed by setWall. */
  now_ms(): number;
  /** Current wall-clock time (may be wrong until set from a sign-in reply). */
  wall(): WallTime;
  /** Sets the wall clock (host time from a sign-in reply); monotonic time is unaffected. */
  setWall(time: WallTime): void;
  /** Starts a timer; returns its id (> 0) for cancel. */
  start(options: TimerOptions): number;
  /** Cancels a timer; unknown or fired ids are ignored. */
  cancel(id: number): void;
}
