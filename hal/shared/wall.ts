// Calendar helpers for the platform clocks: wall milliseconds (UTC) to a WallTime and back.
import { WallTime } from "../clock";
import { civilFromDays, wallMs } from "../../src/txn/time";

const MS_PER_DAY = 86400000;

export function wallTimeOf(t_ms: number): WallTime {
  const days = Math.floor(t_ms / MS_PER_DAY);
  const secs = Math.floor((t_ms - days * MS_PER_DAY) / 1000);
  const ymd = civilFromDays(days);
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs - h * 3600) / 60);
  return { year: ymd[0], month: ymd[1], day: ymd[2], hour: h, minute: mi, second: secs - h * 3600 - mi * 60 };
}

export function msOfWallTime(w: WallTime): number {
  return wallMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
}
