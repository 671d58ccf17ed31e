// Amounts as people read them.
import { pad } from "../text/digits";

/** "12.34" from 1234 minor units (two decimals). */
export function formatAmount(amount_minor: number): string {
  return String(Math.floor(amount_minor / 100)) + "." + pad(amount_minor % 100, 2);
}
