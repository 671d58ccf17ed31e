// Suites for the terminal/acquirer conventions (src/acquirer/protocol.ts): settlement totals
// in field 48, balance in field 54, and the simulator's magic amounts.
import { Suite, str } from "../suite";
import { buildBalance54, buildTotals48, magicAmount, parseBalance54, parseTotals48 } from "../../acquirer/protocol";

function num(input: unknown, key: string): number {
  const v = (input as { [k: string]: unknown })[key];
  if (typeof v !== "number") throw new Error("vector input needs number \"" + key + "\"");
  return v;
}

export const ACQUIRER_SUITES: Suite[] = [
  {
    name: "totals48.build",
    run: (input: unknown) => buildTotals48({
      debit_count: num(input, "debit_count"), debit_minor: num(input, "debit_minor"),
      credit_count: num(input, "credit_count"), credit_minor: num(input, "credit_minor"),
    }, str(input, "flag")),
  },
  {
    name: "totals48.parse",
    run: (input: unknown) => {
      if (typeof input !== "string") throw new Error("vector input must be a string");
      const t = parseTotals48(input);
      return { debit_count: t.totals.debit_count, debit_minor: t.totals.debit_minor, credit_count: t.totals.credit_count, credit_minor: t.totals.credit_minor, flag: t.flag };
    },
  },
  { name: "balance54.build", run: (input: unknown) => buildBalance54(num(input, "balance_minor"), str(input, "currency")) },
  {
    name: "balance54.parse",
    run: (input: unknown) => {
      if (typeof input !== "string") throw new Error("vector input must be a string");
      const b = parseBalance54(input);
      return { balance_minor: b.balance_minor, currency: b.currency };
    },
  },
  {
    name: "acquirer.magic",
    run: (input: unknown) => {
      if (typeof input !== "number") throw new Error("vector input must be a number");
      const m = magicAmount(input);
      return m === undefined ? "none" : m.rc + " " + m.effect;
    },
  },
];
