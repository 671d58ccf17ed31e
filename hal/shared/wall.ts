// Calendar helpers for the platform clocks: wall milliseconds (UTC) to a WallTime and back.
import { WallTime } from "../clock";
import { MS_PER_DAY, civilFromDays, timeOfDay, wallMs } from "../../src/time/calendar";

export function wallTimeOf(t_ms: number): WallTime {
  const ymd = civilFromDays(Math.floor(t_ms / MS_PER_DAY));
  const hms = timeOfDay(t_ms);
  return { year: ymd[0], month: ymd[1], day: ymd[2], hour: hms[0], minute: hms[1], second: hms[2] };
}

export function msOfWallTime(w: WallTime): number {
  return wallMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
}
