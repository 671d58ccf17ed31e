// Clock HAL on NodeMCU (ESP32): node.uptime() (microseconds since boot) for monotonic time
// and tmr timer objects, created once at start-up. The board has no wall clock until a
// sign-in reply sets it: until then the wall starts at INITIAL_WALL_MS.
import { Clock, TimerOptions, WallTime } from "../clock";
import { fail } from "../../src/errors";
import { msOfWallTime, wallTimeOf } from "../shared/wall";
import { wallMs } from "../../src/time/calendar";

export const MAX_TIMERS = 8;
/** Wall time at boot before the first sign-in: 2026-01-01 00:00:00. */
export const INITIAL_WALL_MS = wallMs(2026, 1, 1, 0, 0, 0);

interface NodeTimer {
  alarm(this: NodeTimer, interval_ms: number, mode: number, fn: (this: void, t: NodeTimer) => void): boolean;
  unregister(this: NodeTimer): void;
}

declare const node: { uptime(this: void): number };
declare const tmr: { create(this: void): NodeTimer; ALARM_SINGLE: number; ALARM_AUTO: number };

class NodeMcuClock implements Clock {
  private offset_ms: number;
  private ids: number[];
  private timers: NodeTimer[];
  private nextId: number;

  constructor() {
    this.offset_ms = INITIAL_WALL_MS - this.now_ms();
    this.ids = [];
    this.timers = [];
    for (let i = 0; i < MAX_TIMERS; i++) {
      this.ids.push(0);
      this.timers.push(tmr.create());
    }
    this.nextId = 1;
  }

  now_ms(): number {
    return Math.floor(node.uptime() / 1000);
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
    const repeat = o.interval_ms !== undefined;
    const first = o.delay_ms > 1 ? o.delay_ms : 1;
    this.timers[slot].alarm(first, tmr.ALARM_SINGLE, () => {
      if (repeat && this.ids[slot] === id) this.timers[slot].alarm(o.interval_ms as number, tmr.ALARM_AUTO, () => o.onFire());
      else if (this.ids[slot] === id) this.ids[slot] = 0;
      o.onFire();
    });
    return id;
  }

  cancel(id: number): void {
    const slot = id > 0 ? this.ids.indexOf(id) : -1;
    if (slot < 0) return;
    this.timers[slot].unregister();
    this.ids[slot] = 0;
  }
}

export function openNodeMcuClock(): Clock {
  return new NodeMcuClock();
}
