// Conventions shared by the terminal and the acquirer simulator (`posrt acquirer`):
// response codes, processing codes, the settlement totals of field 48, the balance of
// field 54, and the simulator's test cards and magic amounts. Portable.
import { fail } from "../errors";
import { padDigits } from "../text/digits";

export { padDigits };

/** Field 39 response codes used by posrt (UnionPay / ISO 8583:1987 meanings). */
export const RC = {
  approved: "00",
  invalidMerchant: "03",
  doNotHonour: "05",
  invalidTransaction: "12",
  invalidAmount: "13",
  invalidCard: "14",
  unableToLocate: "25",
  formatError: "30",
  insufficientFunds: "51",
  expiredCard: "54",
  wrongPin: "55",
  originalAmountIncorrect: "64",
  signInAgain: "77",
  issuerUnavailable: "91",
  duplicate: "94",
  reconcileError: "95",
  systemMalfunction: "96",
  terminalNotRegistered: "97",
  macFailure: "A0",
};

/** Field 3 processing codes. */
export const PROC = { sale: "000000", voidOrRefund: "200000", balance: "310000" };

/** Digits of field 48 in 0500/0510 and the batch-end 0320: see buildTotals48. */
export const TOTALS48_DIGITS = 31;
/** Field 48 settlement flag: request, acquirer agrees, acquirer disagrees. */
export const TOTALS_FLAG = { request: "0", balanced: "1", unbalanced: "2" };
const COUNT_DIGITS = 3;
const AMOUNT_DIGITS = 12;
/** Largest amount in minor units that fits n12. */
export const MAX_AMOUNT_MINOR = 999999999999;

/** One batch's settlement totals: debits are approved sales not voided or reversed, credits approved refunds. */
export interface BatchTotals {
  debit_count: number;
  debit_minor: number;
  credit_count: number;
  credit_minor: number;
}

/** The integer value of digits `s[off .. off+n)`; anything but digits is an error. */
export function digitsValue(s: string, off: number, n: number, where: string): number {
  if (off + n > s.length) fail(where, "needs " + n + " digits at " + off + ", has " + (s.length - off));
  let v = 0;
  for (let i = off; i < off + n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) fail(where, "non-digit at " + i);
    v = v * 10 + (c - 48);
  }
  return v;
}

/**
 * Field 48 of settlement (31 digits): debit count n3, debit amount n12, credit count n3,
 * credit amount n12, flag n1 ("0" in requests; "1" balanced / "2" unbalanced in 0510).
 */
export function buildTotals48(t: BatchTotals, flag: string): string {
  const w = "totals48";
  if (flag.length !== 1) fail(w, "flag must be one digit");
  digitsValue(flag, 0, 1, w);
  return padDigits(t.debit_count, COUNT_DIGITS, w) + padDigits(t.debit_minor, AMOUNT_DIGITS, w) +
    padDigits(t.credit_count, COUNT_DIGITS, w) + padDigits(t.credit_minor, AMOUNT_DIGITS, w) + flag;
}

/** Parses field 48 totals (see buildTotals48). */
export function parseTotals48(s: string): { totals: BatchTotals; flag: string } {
  const w = "totals48";
  if (s.length !== TOTALS48_DIGITS) fail(w, "must be " + TOTALS48_DIGITS + " digits, got " + s.length);
  const totals: BatchTotals = {
    debit_count: digitsValue(s, 0, COUNT_DIGITS, w),
    debit_minor: digitsValue(s, 3, AMOUNT_DIGITS, w),
    credit_count: digitsValue(s, 15, COUNT_DIGITS, w),
    credit_minor: digitsValue(s, 18, AMOUNT_DIGITS, w),
  };
  digitsValue(s, 30, 1, w);
  return { totals: totals, flag: s.substring(30, 31) };
}

export function totalsEqual(a: BatchTotals, b: BatchTotals): boolean {
  return a.debit_count === b.debit_count && a.debit_minor === b.debit_minor &&
    a.credit_count === b.credit_count && a.credit_minor === b.credit_minor;
}

/** Field 54 (20 chars): account type "10", amount type "02" (available), currency n3, "C"/"D", amount n12. */
export function buildBalance54(balance_minor: number, currency: string): string {
  if (currency.length !== 3) fail("balance54", "currency must be 3 digits");
  digitsValue(currency, 0, 3, "balance54");
  const sign = balance_minor < 0 ? "D" : "C";
  return "1002" + currency + sign + padDigits(balance_minor < 0 ? -balance_minor : balance_minor, AMOUNT_DIGITS, "balance54");
}

/** The signed balance in minor units from field 54. */
export function parseBalance54(s: string): { balance_minor: number; currency: string } {
  if (s.length !== 20) fail("balance54", "must be 20 characters, got " + s.length);
  const sign = s.substring(7, 8);
  if (sign !== "C" && sign !== "D") fail("balance54", "sign must be C or D");
  const v = digitsValue(s, 8, AMOUNT_DIGITS, "balance54");
  digitsValue(s, 4, 3, "balance54");
  return { balance_minor: sign === "D" ? -v : v, currency: s.substring(4, 7) };
}

// ---- Simulator test data (documented in the README) ----

/** What the simulator does with a sale whose amount ends in these minor-unit digits. */
export interface MagicAmount {
  cents: number;
  /** Response code, or "" when the behaviour is not a plain reply. */
  rc: string;
  /** "reply", "no_reply" (approved, reply withheld), "bad_mac" (approved, reply MAC corrupted), "wrong_stan" (approved, reply STAN altered). */
  effect: string;
  label: string;
}

export const MAGIC_AMOUNTS: MagicAmount[] = [
  { cents: 5, rc: "05", effect: "reply", label: "do not honour" },
  { cents: 14, rc: "14", effect: "reply", label: "invalid card number" },
  { cents: 51, rc: "51", effect: "reply", label: "insufficient funds" },
  { cents: 54, rc: "54", effect: "reply", label: "expired card" },
  { cents: 55, rc: "55", effect: "reply", label: "incorrect PIN" },
  { cents: 91, rc: "91", effect: "reply", label: "issuer unavailable" },
  { cents: 97, rc: "00", effect: "bad_mac", label: "approved, reply MAC corrupted (terminal: A0, reversal)" },
  { cents: 98, rc: "00", effect: "no_reply", label: "approved, no reply at all (terminal: timeout 98, reversal)" },
  { cents: 99, rc: "00", effect: "wrong_stan", label: "approved, reply with another STAN (terminal: mismatch 06, reversal)" },
];

/** The magic behaviour of a sale amount, or undefined for a normal authorisation. */
export function magicAmount(amount_minor: number): MagicAmount | undefined {
  const cents = amount_minor % 100;
  for (let i = 0; i < MAGIC_AMOUNTS.length; i++) if (MAGIC_AMOUNTS[i].cents === cents) return MAGIC_AMOUNTS[i];
  return undefined;
}

/** A simulator test card: its starting balance, expiry (YYMM) and a fixed response code ("" = normal checks). */
export interface TestCard {
  pan: string;
  balance_minor: number;
  expiry: string;
  rc: string;
  label: string;
}

export const TEST_CARDS: TestCard[] = [
  { pan: "6214830000000009", balance_minor: 1000000000, expiry: "3012", rc: "", label: "UnionPay debit, approves (10,000,000.00)" },
  { pan: "4111111111111111", balance_minor: 1000000000, expiry: "3012", rc: "", label: "Visa, approves (10,000,000.00)" },
  { pan: "6214830000000017", balance_minor: 0, expiry: "3012", rc: "", label: "empty account: any sale is 51" },
  { pan: "6214830000000025", balance_minor: 1000000000, expiry: "2001", rc: "", label: "expired January 2020: 54" },
  { pan: "6214830000000033", balance_minor: 1000000000, expiry: "3012", rc: "05", label: "do not honour: 05" },
  { pan: "6214830000000041", balance_minor: 1000000000, expiry: "3012", rc: "55", label: "PIN always wrong: 55" },
  { pan: "6214830000000058", balance_minor: 5000, expiry: "3012", rc: "", label: "low balance 50.00: sales above it are 51" },
];
/** Starting balance of any other Luhn-valid PAN (opened on first use). */
export const DEFAULT_BALANCE_MINOR = 100000000;
