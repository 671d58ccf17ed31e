// Moved: calendar helpers are in src/time/calendar.ts, `pad` in src/text/digits.ts and
// `formatAmount` in src/money/format.ts. Re-exported here only for branches written before
// the move; new code imports from those modules.
export { pad } from "../text/digits";
export { civilFromDays, daysFromCivil, localTime, wallMs } from "../time/calendar";
export { formatAmount } from "../money/format";
