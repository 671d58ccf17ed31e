// Clock HAL on Espruino: getTime() (seconds since 1970 once the board's clock is set, else
// since boot) and setTimeout/setInterval. setWall keeps an offset, so monotonic time is
// never changed by a sign-in reply.
import { Clock, TimerOptions, WallTime } from "../clock";
import { fail } from "../../src/errors";
import { msOfWallTime, wallTimeOf } from "../shared/wall";

/** Timers alive at once (the engine uses one, the link one). */
export const MAX_TIMERS = 8;

declare function getTime(): number;
declare function setTimeout(fn: (this: void) => void, ms: number): number;
declare function clearTimeout(id: number): void;
declare function setInterval(fn: (this: void) => void, ms: number): number;
declare function clearInterval(id: number): void;

class EspruinoClock implements Clock {
  private offset_ms: number;
  private ids: number[];
  private handles: number[];
  private repeat: boolean[];
  private nextId: number;

  constructor() {
    this.offset_ms = 0;
    this.ids = [];
    this.handles = [];
    this.repeat = [];
    for (let i = 0; i < MAX_TIMERS; i++) {
      this.ids.push(0);
      this.handles.push(0);
      this.repeat.push(false);
    }
    this.nextId = 1;
  }

  now_ms(): number {
    return Math.floor(getTime() * 1000);
  }

  wall(): WallTime {
    return wallTimeOf(this.now_ms() + this.offset_ms);
  }

  setWall(time: WallTime): void {
    this.offset_ms = msOfWallTime(time) - this.now_ms();
  }

  start(o: TimerOptions): number {
    const slot = this.ids.indexOf(0);
    if (slot < 0) return fail("clock", "more than " + MAX_TIMERS + " timers");
    const id = this.nextId;
    this.nextId = this.nextId + 1;
    this.ids[slot] = id;
    this.repeat[slot] = o.interval_ms !== undefined;
    const fire = (): void => {
      if (!this.repeat[slot] || this.ids[slot] !== id) this.free(slot, id);
      o.onFire();
    };
    this.handles[slot] = setTimeout(() => {
      if (o.interval_ms !== undefined && this.ids[slot] === id) this.handles[slot] = setInterval(fire, o.interval_ms);
      fire();
    }, o.delay_ms);
    return id;
  }

  private free(slot: number, id: number): void {
    if (this.ids[slot] === id) this.ids[slot] = 0;
  }

  cancel(id: number): void {
    const slot = id > 0 ? this.ids.indexOf(id) : -1;
    if (slot < 0) return;
    if (this.repeat[slot]) clearInterval(this.handles[slot]);
    clearTimeout(this.handles[slot]);
    this.ids[slot] = 0;
  }
}

export function openEspruinoClock(): Clock {
  return new EspruinoClock();
}
