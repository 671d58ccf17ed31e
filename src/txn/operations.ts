// Starting an operation once the queue is clear: sign-in, balance, settlement, and the
// financial ones (sale, void, refund), which are journalled (reversal armed) before they leave.
import { fail } from "../errors";
import { maskPan } from "../card/pan";
import { TxnRecord, KIND_REFUND, KIND_SALE, KIND_VOID, ST_PENDING } from "../journal/api";
import { HostMessage } from "../host/codec";
import { Card, Operation, OP_BALANCE, OP_REFUND, OP_SALE, OP_SETTLE, OP_VOID } from "./types";
import { balanceRequest, refundRequest, reversalBase, saleRequest, signInRequest, voidRequest } from "./messages";
import { localTime } from "../time/calendar";
import { EngineState, REASON_NO_REPLY, X_BALANCE, X_FINANCIAL, X_SIGNIN, financialInput, send, sendWire, storedCard, storedReversal } from "./engine-state";
import { setSent } from "./refund-repeats";
import { startSettle } from "./settlement";

export function startOperation(s: EngineState, op: Operation): void {
  if (op.op === OP_SALE || op.op === OP_VOID || op.op === OP_REFUND) startFinancial(s, op);
  else if (op.op === OP_BALANCE) send(s, balanceRequest(s.cfg, s.j.nextStan(), s.j.batch(), op.card as Card), X_BALANCE, true);
  else if (op.op === OP_SETTLE) startSettle(s);
  else fail("txn", "operation " + op.op + " cannot start here");
}

export function startSignIn(s: EngineState): void {
  send(s, signInRequest(s.cfg, s.j.nextStan(), s.j.batch()), X_SIGNIN, false);
}

function newRecord(s: EngineState, kind: number, stan: number, amount_minor: number, pan: string): TxnRecord {
  return {
    batch: s.j.batch(), stan: stan, kind: kind, state: ST_PENDING, amount_minor: amount_minor,
    currency: s.cfg.currency, panMasked: maskPan(pan), panSealed: s.sm.sealPan(pan), time: localTime(s.now_ms),
    rrn: "", authCode: "", respCode: "", origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
  };
}

/** Writes the new pending record; if the journal refuses it (full), the reversal armed for it is disarmed: the request never leaves. */
function journalNew(s: EngineState, t: TxnRecord): void {
  try {
    s.j.putTxn(t);
  } catch (e) {
    if (s.curRev !== 0) s.j.disarmReversal(s.curRev);
    s.curRev = 0;
    throw e;
  }
}

/** Sale, void or refund: journal first (reversal armed before the bytes leave), then send. */
function startFinancial(s: EngineState, op: Operation): void {
  const stan = s.j.nextStan();
  let req: HostMessage;
  let t: TxnRecord;
  if (op.op === OP_VOID) {
    const sale = s.j.getTxn(s.j.batch(), op.origStan) as TxnRecord;
    const card = storedCard(s, sale);
    req = voidRequest(financialInput(s, stan, sale.amount_minor, card), sale);
    t = newRecord(s, KIND_VOID, stan, sale.amount_minor, card.pan);
    t.origStan = sale.stan;
  } else {
    const card = op.card as Card;
    const input = financialInput(s, stan, op.amount_minor, card);
    req = op.op === OP_SALE ? saleRequest(input) : refundRequest(input, op.origRrn, op.origDate);
    t = newRecord(s, op.op === OP_SALE ? KIND_SALE : KIND_REFUND, stan, op.amount_minor, card.pan);
    t.origRrn = op.op === OP_REFUND ? op.origRrn : "";
    t.origDate = op.op === OP_REFUND ? op.origDate : "";
  }
  s.curRev = 0;
  s.curBase = reversalBase(req);
  // MAC first: a security module that fails here leaves nothing armed and nothing sent.
  const wire = s.x.send(req, true);
  try {
    if (t.kind !== KIND_REFUND) s.curRev = s.j.armReversal(t.batch, stan, REASON_NO_REPLY, storedReversal(s, s.curBase));
    journalNew(s, t);
  } catch (e) {
    s.x.clear();
    throw e;
  }
  if (t.kind === KIND_REFUND) setSent(s, stan, 1);
  s.cur = t;
  sendWire(s, wire, X_FINANCIAL);
}
