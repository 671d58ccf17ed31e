// The full day of issue 9 on a board, as a `posrt terminal` script (examples/device/full-day.posrt,
// made by `fullDayScript()`; a test keeps the file and this function in step) and the image it
// starts from: the journal pre-filled with earlier, settled days (`prefillBoard`).
//
// The day: operator sign-on, host sign-in, DAY_SALES sales on the debit test card with its PIN,
// a power cut while a sale waits for its reply (the next boot sends the reversal first), a void
// of the last sale (advisor, supervisor), a lookup by RRN of a sale of an earlier day (settled)
// and a partial refund of it from there, settlement with batch upload (the acquirer runs with
// --reconcile DAY_RECONCILE: it asks each batch for its upload, the pre-filled days' too).
//
// The pre-fill runs the same portable terminal (src/app Session) in Node with the board's own
// key store (firmware/device/keys.ts, bound to the board's serial number) against the same
// acquirer simulator the board then talks to, so the books are one: earlier days of sales and
// settlements (PREFILL_DAYS of PREFILL_DAY_SALES), which must leave at least `percent` % of
// the journal's flash holding records.
import * as crypto from "crypto";
import { AcquirerCore } from "../acquirer/core";
import { Session } from "../../src/app/session";
import { TERMINAL_FLASH } from "../../src/app/config";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { CUP_CODEC } from "../../src/host/cup";
import { NorFlash } from "../../src/sim/nor-flash";
import { Bytes, get, len } from "../../src/bytes/index";
import { DeviceKeys } from "../../firmware/device/keys";
import { DEVICE_CONFIG } from "../../firmware/device/terminal";
import { txnConfigOf } from "../../firmware/device/config";
import { devConfig } from "./dev-config";
import { formatAmount } from "../../src/money/format";

export const DAY_SALES = 100;
/** The sale cut by the power cut comes after this many sales. */
export const CUT_AFTER_SALES = 60;
/**
 * The pre-fill: this many earlier days of this many sales each, always (so the day script can
 * name a sale of the last earlier day by its RRN); the fill they reach is measured and checked.
 */
export const PREFILL_DAY_SALES = 40;
export const PREFILL_DAYS = 8;
/** The serial numbers the host builds report (getSerial() on the Espruino host build, node.chipid() on the Lua host). */
export const HOST_SERIALS: Record<string, string> = { espruino: "00000000-addeadde-addeadde", lua: "lua-host-1" };
/**
 * The sale of an earlier day the day refunds: the last sale of the pre-fill (the acquirer
 * simulator numbers RRNs by approved transaction; the board remembers the last 42 settled
 * sales, src/app/settled.ts, after the journal reclaimed their batch).
 */
export function earlierRrn(prefillDays: number): string {
  return String(prefillDays * PREFILL_DAY_SALES).padStart(12, "0");
}
export const EARLIER_RRN = earlierRrn(PREFILL_DAYS);

/** The shape of a day: its sales, the sale the power cut falls in, the earlier days pre-filled. */
export interface DayShape {
  sales: number;
  cutAfter: number;
  prefillDays: number;
}
/** The full day of issue 9. */
export const FULL_DAY: DayShape = { sales: DAY_SALES, cutAfter: CUT_AFTER_SALES, prefillDays: PREFILL_DAYS };
/**
 * The same day cut short, for npm test on the real Espruino interpreter (the full day takes many
 * minutes there, docs/device.md): every kind of step of the full day, fewer sales, one earlier day.
 */
export const SHORT_DAY: DayShape = { sales: 2, cutAfter: 1, prefillDays: 1 };
/** Its date (MMDD): the pre-fill runs on the Session clock, which starts on 1 January. */
export const EARLIER_DATE = "0101";

/** Day sale `i` (0-based): whole amounts (an amount ending in a response code is a magic decline). */
export function dayAmount(i: number): number {
  return 1000 + 100 * (i % 90);
}

function signOn(): string[] {
  return ["expect POWER ON", "key enter", "keys 01", "key enter", "keys 0000", "key enter", "expect enter: menu"];
}

function hostSignIn(): string[] {
  return ["key enter", "key 9", "key 1", "expect Signed in with the", "key enter", "key cancel", "expect enter: menu"];
}

function sale(amount: number): string[] {
  return ["key enter", "key 1", "expect Amount", `keys ${amount}`, "key enter", "expect Swipe, insert or tap", "swipe debit", "expect Enter PIN",
    "keys 1234", "key enter", "expect Tear off the", "key enter", "expect enter: menu"];
}

function cutSale(amount: number): string[] {
  return ["# a power cut while the sale waits for its reply: the next boot sends the reversal first",
    "key enter", "key 1", `keys ${amount}`, "key enter", "swipe debit", "keys 1234", "key enter", "expect Processing...", "power-cut",
    "expect 1 reversal(s) pending", ...signOn(), "wait 1000"];
}

function voidLast(): string[] {
  return ["# the customer wants the last sale cancelled: void from the advisor", "key enter", "key 5", "expect CAN IT BE CANCELLED?", "key 3",
    "expect enter: void it", "key enter", "expect Supervisor password", "keys 123456", "key enter", "expect REASON", "key 1", "expect Tear off the",
    "key enter", "expect enter: menu"];
}

function lookup(): string[] {
  return ["# a lookup: the batch's transaction list", "key enter", "key 8", "expect up/down enter: print", "key cancel", "expect enter: menu"];
}

/** A refund of a settled sale of an earlier day: its RRN and date typed, capped by the board's settled-sales index. */
function refundEarlier(rrn: string, date: string, max_minor: number, amount: number): string[] {
  return [`# a refund of ${amount / 100} against a sale of an earlier day (settled, its batch reclaimed from the journal)`, "key enter", "key 3",
    "expect Original RRN", `keys ${rrn}`, "key enter", "expect Original date", `keys ${date}`, "key enter", `expect max ${formatAmount(max_minor)}`,
    `keys ${amount}`, "key enter", "expect REASON", "key 4", "expect Swipe or insert", "swipe debit", "expect Tear off the", "key enter", "expect enter: menu"];
}

function settle(expectSales: number): string[] {
  return ["key enter", "key 7", `expect Sales ${expectSales}`, "key enter", "expect Report printed."];
}

/** How the full day's acquirer answers settlements: every batch settles by batch upload (posrt device run --reconcile). */
export const DAY_RECONCILE = "unbalanced-once";

const HEADER = [
  "# The full day on a board (issue 9): sign-on and host sign-in, " + DAY_SALES + " sales, a power cut while a sale",
  "# waits for its reply (the reversal goes at the next boot), a void, a lookup (transaction list), a refund",
  "# of a sale of an earlier day, settlement with batch upload (the acquirer answers the 0500 with 95 until",
  "# the batch is uploaded). The board's journal starts pre-filled with earlier days:",
  "#   posrt device run --target lua|espruino --prefill 90 --reconcile " + DAY_RECONCILE + " --script examples/device/full-day.posrt",
  "# Made by cli/device/full-day.ts (fullDayScript); test/unit/device-day.test.ts keeps them in step.",
];

/** The day as script text (the full day by default; run it on a board pre-filled with `shape.prefillDays` earlier days). */
export function fullDayScript(shape: DayShape = FULL_DAY): string {
  const head = shape === FULL_DAY ? HEADER : [`# The full day cut short (cli/device/full-day.ts): ${shape.sales} sales, the cut after ${shape.cutAfter}, ${shape.prefillDays} earlier day(s).`];
  const lines: string[] = [...head, ...signOn(), ...hostSignIn()];
  for (let i = 0; i < shape.sales; i++) {
    if (i === shape.cutAfter) lines.push(...cutSale(dayAmount(i) + 50));
    lines.push(...sale(dayAmount(i)));
  }
  // the refund before the day's settlement: once the day is settled, its own sales fill the
  // board's index of settled sales (the newest 42) and the earlier day's sale drops out of it
  lines.push(...voidLast(), ...lookup(), ...refundEarlier(earlierRrn(shape.prefillDays), EARLIER_DATE, dayAmount(PREFILL_DAY_SALES - 1), 500));
  lines.push(...settle(shape.sales), "key enter", "expect enter: menu");
  return lines.join("\n") + "\n";
}

/** Bytes of each sector up to its last programmed byte, over the whole flash, in percent. */
export function usedPercent(image: Bytes, sector_bytes: number): number {
  let used = 0;
  for (let s = 0; s < len(image) / sector_bytes; s++) {
    let last = -1;
    for (let i = sector_bytes - 1; i >= 0 && last < 0; i--) if (get(image, s * sector_bytes + i) !== 0xff) last = i;
    used += last + 1;
  }
  return Math.floor((used * 100) / len(image));
}

export interface Prefill {
  /** The journal region, byte for byte. */
  image: Uint8Array;
  /** The board's key store files (posrt.key, posrt.sec) the image's sealed PANs belong to. */
  files: Record<string, string>;
  used_percent: number;
  days: number;
  sales: number;
}

/** The earlier days (`days`) on the board's journal and keys, against `core`; they must use `percent` % of the flash. */
export function prefillBoard(core: AcquirerCore, target: string, percent: number, port: number, days = PREFILL_DAYS): Prefill {
  const files: Record<string, string> = {};
  const keys = new DeviceKeys({
    files: { read: (n) => files[n], write: (n, t) => ((files[n] = t), true) }, serial: HOST_SERIALS[target] ?? "no-serial",
    randomByte: () => crypto.randomBytes(1)[0], development: true,
  });
  const flash = new NorFlash({ ...TERMINAL_FLASH, seed: 1 });
  const session = new Session({
    flash, security: keys, codec: CUP_CODEC, config: txnConfigOf(devConfig(port), DEVICE_CONFIG.supervisorPassword),
    acquirer: (frame, t) => core.respond(frame, t).reply,
  });
  const r: Prefill = { image: new Uint8Array(0), files, used_percent: 0, days: 0, sales: 0 };
  for (let day = 0; day < days; day++) {
    const lines = day === 0 ? [...signOn(), ...hostSignIn()] : [];
    for (let i = 0; i < PREFILL_DAY_SALES; i++) lines.push(...sale(dayAmount(i)));
    lines.push(...settle(PREFILL_DAY_SALES), "key enter", "expect enter: menu");
    const res = runScript(session, parseScript(lines.join("\n")));
    if (!res.ok) throw new Error(`prefill day ${day + 1}: line ${res.line}: ${res.error}; screen: ${res.screen.join(" | ")}`);
    r.days++;
    r.sales += PREFILL_DAY_SALES;
    r.used_percent = usedPercent(flash.image(), TERMINAL_FLASH.sector_bytes);
  }
  if (r.used_percent < percent) throw new Error(`prefill: ${r.days} earlier days use only ${r.used_percent} % of the journal, not ${percent} %`);
  r.image = Uint8Array.from(flash.image() as unknown as Uint8Array);
  return r;
}
