// Calendar arithmetic on Clock HAL milliseconds (UTC), without Date: integer civil-from-days.
// Below the engine and the platform clocks alike (both import it; it imports only text helpers).
import { pad } from "../text/digits";

export const MS_PER_DAY = 86400000;

/** [year, month 1..12, day 1..31] of a day count since 1970-01-01. */
export function civilFromDays(days: number): number[] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** Days since 1970-01-01 of a civil date (inverse of civilFromDays). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Milliseconds since 1970 (UTC) of a calendar time. */
export function wallMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
}

/** [hour, minute, second] of the time of day in `t_ms`. */
export function timeOfDay(t_ms: number): number[] {
  const days = Math.floor(t_ms / MS_PER_DAY);
  const secs = Math.floor((t_ms - days * MS_PER_DAY) / 1000);
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs - h * 3600) / 60);
  return [h, mi, secs - h * 3600 - mi * 60];
}

/** "MMDDhhmmss" of `t_ms`. */
export function localTime(t_ms: number): string {
  const ymd = civilFromDays(Math.floor(t_ms / MS_PER_DAY));
  const hms = timeOfDay(t_ms);
  return pad(ymd[1], 2) + pad(ymd[2], 2) + pad(hms[0], 2) + pad(hms[1], 2) + pad(hms[2], 2);
}
