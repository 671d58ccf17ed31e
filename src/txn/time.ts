// Calendar text from Clock HAL milliseconds (UTC), without Date: integer civil-from-days.

const MS_PER_DAY = 86400000;

/** Zero-padded decimal of a non-negative integer to `width` digits. */
export function pad(n: number, width: number): string {
  let s = String(Math.floor(n));
  let guard = 0;
  while (s.length < width && guard < 24) {
    s = "0" + s;
    guard++;
  }
  return s;
}

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

/** "MMDDhhmmss" of `t_ms`. */
export function localTime(t_ms: number): string {
  const days = Math.floor(t_ms / MS_PER_DAY);
  const secs = Math.floor((t_ms - days * MS_PER_DAY) / 1000);
  const ymd = civilFromDays(days);
  const h = Math.floor(secs / 3600);
  const mi = Math.floor((secs - h * 3600) / 60);
  return pad(ymd[1], 2) + pad(ymd[2], 2) + pad(h, 2) + pad(mi, 2) + pad(secs - h * 3600 - mi * 60, 2);
}

/** "12.34" from 1234 minor units (two decimals). */
export function formatAmount(amount_minor: number): string {
  return String(Math.floor(amount_minor / 100)) + "." + pad(amount_minor % 100, 2);
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
