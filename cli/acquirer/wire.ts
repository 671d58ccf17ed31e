// Wire-level constants and helpers of the acquirer simulator: framing spec, reply MTI,
// TPDU swap, host clock fields.
import { digitsValue } from "../../src/acquirer/protocol";

export const SPEC = "cup";
/** Field 32, acquiring institution id of the simulator. */
export const ACQUIRER_ID = "00000000";
/** Request fields copied into every reply when present. */
export const ECHO_FIELDS = ["2", "3", "4", "11", "25", "41", "42", "49", "60", "61"];

export function replyMti(mti: string): string {
  return mti.substring(0, 2) + String.fromCharCode(mti.charCodeAt(2) + 1) + mti.substring(3);
}

export function swapTpdu(tpdu: string): string {
  return tpdu.substring(0, 2) + tpdu.substring(6, 10) + tpdu.substring(2, 6);
}

/** A STAN half the range away (the "wrong STAN" magic amount). */
export function otherStan(stan: string): string {
  return String((digitsValue(stan, 0, 6, "stan") + 500000) % 1000000).padStart(6, "0");
}

/** Host clock fields from `now_ms` (UTC). */
export function hostTime(now_ms: number): { hhmmss: string; mmdd: string; yymm: string } {
  const d = new Date(now_ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    hhmmss: two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds()),
    mmdd: two(d.getUTCMonth() + 1) + two(d.getUTCDate()),
    yymm: two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1),
  };
}
