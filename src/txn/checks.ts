// What an operation must satisfy before anything is written or sent: keys, amount, card,
// the supervisor password of a void, the cap of a refund. A refused operation leaves no trace.
import { KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_PENDING, ST_VOIDED } from "../journal/api";
import { Operation, MAX_AMOUNT_MINOR, OP_BALANCE, OP_NAMES, OP_REFUND, OP_SETTLE, OP_SIGNIN, OP_VOID } from "./types";
import { pad } from "./time";
import { EngineState, MSG_SIGN_IN_AGAIN } from "./engine-state";
import { prepareSettle } from "./settlement";

/** Longest supervisor password compared. */
export const MAX_PASSWORD_CHARS = 32;

/** Compares a secret without stopping at the first difference. */
export function sameSecret(given: string, want: string): boolean {
  let diff = given.length === want.length ? 0 : 1;
  for (let i = 0; i < want.length && i < MAX_PASSWORD_CHARS; i++) {
    const g = i < given.length ? given.charCodeAt(i) : 0;
    if (g !== want.charCodeAt(i)) diff = diff + 1;
  }
  return diff === 0 && given.length <= MAX_PASSWORD_CHARS;
}

/** "" when `op` may go online, else why not (nothing is written in that case). */
export function precheck(s: EngineState, op: Operation): string {
  if (op.op === OP_SIGNIN) return "";
  if (op.op < OP_SIGNIN || op.op > OP_SETTLE) return "unknown operation " + op.op;
  if (!s.sm.hasWorkingKeys()) return "sign in first";
  if (s.keysStale) return MSG_SIGN_IN_AGAIN;
  if (op.op === OP_SETTLE) return prepareSettle(s);
  if (op.op === OP_VOID) return voidCheck(s, op);
  if (op.card === undefined) return OP_NAMES[op.op] + " needs a card";
  if (op.op === OP_BALANCE) return "";
  if (op.amount_minor < 1 || op.amount_minor > MAX_AMOUNT_MINOR || Math.floor(op.amount_minor) !== op.amount_minor) return "amount must be 1.." + MAX_AMOUNT_MINOR + " minor units";
  return op.op === OP_REFUND ? refundCheck(s, op) : "";
}

function voidCheck(s: EngineState, op: Operation): string {
  if (!sameSecret(op.password, s.cfg.supervisorPassword)) return "wrong supervisor password";
  const sale = s.j.getTxn(s.j.batch(), op.origStan);
  if (sale === undefined || sale.kind !== KIND_SALE) return "no sale with trace " + pad(op.origStan, 6) + " in this batch";
  if (sale.state === ST_VOIDED) return "sale " + pad(op.origStan, 6) + " is already voided";
  if (sale.state !== ST_APPROVED) return "sale " + pad(op.origStan, 6) + " is not approved";
  if (sale.refunded_minor > 0) return "sale " + pad(op.origStan, 6) + " has refunds: refund the rest instead";
  if (op.amount_minor !== 0 && op.amount_minor !== sale.amount_minor) return "a void is for the full amount only";
  const txns = s.j.txns();
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.kind === KIND_VOID && t.origStan === sale.stan && (t.state === ST_PENDING || t.state === ST_APPROVED)) return "sale " + pad(op.origStan, 6) + " already has a void";
  }
  return "";
}

/** Amount still refundable: against the original when the journal has it, else the configured maximum. */
function refundCheck(s: EngineState, op: Operation): string {
  if (op.origRrn.length !== 12 || op.origDate.length !== 4) return "refund needs the original RRN (12) and date (MMDD)";
  const orig = s.j.findByRrn(op.origRrn);
  if (orig === undefined) {
    return op.amount_minor > s.cfg.refundMax_minor ? "refund above the maximum without the original sale" : "";
  }
  if (orig.kind !== KIND_SALE || orig.state !== ST_APPROVED) return "original " + op.origRrn + " is not an approved sale";
  let open_minor = 0;
  const txns = s.j.txns();
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (t.kind === KIND_REFUND && t.state === ST_PENDING && t.origRrn === op.origRrn) open_minor += t.amount_minor;
  }
  const left = orig.amount_minor - orig.refunded_minor - open_minor;
  return op.amount_minor > left ? "refund above what is left of the original (" + left + ")" : "";
}
