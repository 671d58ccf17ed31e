// What an operation must satisfy before anything is written or sent: keys, amount, card,
// the supervisor password of a void, the cap of a refund. A refused operation leaves no trace.
import { KIND_SALE, KIND_VOID, ST_APPROVED, ST_PENDING } from "../journal/api";
import { refundIn, refundsOf } from "./settle";
import {
  REFUND_ABOVE_LEFT, REFUND_ABOVE_MAX, REFUND_NOT_APPROVED, REFUND_OK, SaleFacts, VOID_ALREADY_VOIDED, VOID_AMOUNT, VOID_HAS_REFUNDS, VOID_OK,
  refundVerdict, refundableMinor, saleFacts, voidVerdict,
} from "../money/rules";
import { Operation, MAX_AMOUNT_MINOR, refundedBefore, OP_BALANCE, OP_NAMES, OP_REFUND, OP_SETTLE, OP_SIGNIN, OP_VOID } from "./types";
import { pad } from "../text/digits";
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
  const trace = pad(op.origStan, 6);
  if (sale === undefined || sale.kind !== KIND_SALE) return "no sale with trace " + trace + " in this batch";
  const facts = saleFacts(sale.kind, sale.state, sale.amount_minor, sale.refunded_minor, openRefunds(s, sale.rrn, false), false);
  const v = voidVerdict(facts, op.amount_minor === 0 ? sale.amount_minor : op.amount_minor);
  if (v === VOID_ALREADY_VOIDED) return "sale " + trace + " is already voided";
  if (v === VOID_HAS_REFUNDS) return "sale " + trace + " has refunds: refund the rest instead";
  if (v === VOID_AMOUNT) return "a void is for the full amount only";
  if (v !== VOID_OK) return "sale " + trace + " is not approved";
  const n = s.j.txnSlots();
  for (let i = 0; i < n; i++) {
    const t = s.j.txnAt(i, 0);
    if (t !== undefined && t.kind === KIND_VOID && t.origStan === sale.stan && (t.state === ST_PENDING || t.state === ST_APPROVED)) return "sale " + trace + " already has a void";
  }
  return "";
}

/**
 * Refunds of the open batch against `rrn` that count as taken from the original beyond its
 * recorded refunded total: those not answered yet, and (for a settled original, whose total is
 * only brought up to date at settlement) the approved ones too.
 */
function openRefunds(s: EngineState, rrn: string, approvedToo: boolean): number {
  const n = s.j.txnSlots();
  return refundsOf(s.j, rrn, ST_PENDING, n) + (approvedToo ? refundsOf(s.j, rrn, ST_APPROVED, n) : 0);
}

/** The original of a refund as the money rules see it: in the journal, else in the index of settled sales, else unknown. */
function refundOriginal(s: EngineState, rrn: string): SaleFacts | undefined {
  const orig = s.j.findByRrn(rrn);
  if (orig !== undefined) return saleFacts(orig.kind, orig.state, orig.amount_minor, orig.refunded_minor, openRefunds(s, rrn, false), false);
  const settled = s.settled === undefined ? undefined : s.settled.find(rrn);
  if (settled === undefined) return undefined;
  return saleFacts(KIND_SALE, ST_APPROVED, settled.amount_minor, refundedBefore(settled, s.j.batch()), openRefunds(s, rrn, true), true);
}

/** The STAN of a pending refund of the original `rrn`, or 0. */
function pendingRefundOf(s: EngineState, rrn: string): number {
  const t = refundIn(s.j, rrn, ST_PENDING, 0);
  return t === undefined ? 0 : t.stan;
}

/**
 * Amount still refundable: against the original when the journal has it, else the configured
 * maximum. Refunds of one original are sequential: none goes out while another is pending (so
 * the original's record need remember only the refund it counted last, see `settleRefund`).
 */
function refundCheck(s: EngineState, op: Operation): string {
  if (op.origRrn.length !== 12 || op.origDate.length !== 4) return "refund needs the original RRN (12) and date (MMDD)";
  const pending = pendingRefundOf(s, op.origRrn);
  if (pending !== 0) return "refund " + pad(pending, 6) + " of " + op.origRrn + " is still unanswered — try again once it is confirmed";
  const facts = refundOriginal(s, op.origRrn);
  const v = refundVerdict(facts, op.amount_minor, s.cfg.refundMax_minor);
  if (v === REFUND_ABOVE_MAX) return "refund above the maximum without the original sale";
  if (v === REFUND_NOT_APPROVED) return "original " + op.origRrn + " is not an approved sale";
  if (v === REFUND_ABOVE_LEFT) return "refund above what is left of the original (" + refundableMinor(facts as SaleFacts) + ")";
  return v === REFUND_OK ? "" : "amount must be 1.." + MAX_AMOUNT_MINOR + " minor units";
}
