// What a reply (or its absence) means for the exchange in flight: a sale, void or refund,
// a chip card finishing after approval, a sign-in, a balance inquiry; reversal and repeat
// replies go to the queue, settlement replies to settlement.
import { Bytes, fromHex, len, toHex } from "../bytes/index";
import { errorText } from "../errors";
import { HostMessage } from "../host/codec";
import { RX_BAD_MAC, RX_OK, Verdict } from "../host/exchange";
import { TxnRecord, KIND_REFUND, KIND_SALE, ST_DECLINED } from "../journal/api";
import { parseBalance54 } from "../acquirer/protocol";
import { Operation, FX_FINISH_CARD, FX_PRINT, FX_SET_CLOCK } from "./types";
import { currencyName, receiptLines } from "./receipt";
import { pad } from "../text/digits";
import { formatAmount } from "../money/format";
import {
  EngineState, MSG_SIGN_IN_AGAIN, PH_COMPLETE, PH_IDLE, REASON_BAD_MAC, REASON_MISMATCH, REASON_NO_REPLY,
  X_BALANCE, X_DOWNLOAD, X_FINANCIAL, X_NONE, X_REPEAT, X_REVERSAL, X_SIGNIN, display, finishOp, storedReversal,
} from "./engine-state";
import { downloadReplied, signInDone, startDownloads } from "./downloads";
import { issuerName } from "../iso8583/issuer";
import { approve, keepReply, settleRefund } from "./outcomes";
import { proceed, repeatReplied, reversalReplied } from "./queue";
import { settleReplied } from "./settlement";

/** Verdict kind for "no reply before the timer fired". */
export const RX_TIMEOUT = 0;
/** Replies (even without a valid MAC) that say the working keys are out of step. */
const KEY_TROUBLE_CODES = ["A0", "77"];

/** Field 39 → reversal reason for a failed exchange. */
function reasonOf(v: Verdict): string {
  if (v.k === RX_TIMEOUT) return REASON_NO_REPLY;
  return v.k === RX_BAD_MAC ? REASON_BAD_MAC : REASON_MISMATCH;
}

function code39(m: HostMessage): string {
  const c = m.fields["39"];
  return c === undefined ? "" : c;
}

/** Field 54 as "CNY 12.34" (or as given when it does not parse). */
function balanceText(f54: string | undefined): string {
  if (f54 === undefined) return "(not given)";
  try {
    const b = parseBalance54(f54);
    return currencyName(b.currency) + " " + (b.balance_minor < 0 ? "-" + formatAmount(-b.balance_minor) : formatAmount(b.balance_minor));
  } catch (e) {
    return f54;
  }
}

/** The exchange in flight ended with verdict `v` (a reply, a bad one, or the timer). */
export function judged(s: EngineState, v: Verdict): void {
  s.x.clear();
  const kind = s.xk;
  s.xk = X_NONE;
  s.ph = PH_IDLE;
  const code = v.k === RX_OK ? code39(v.msg as HostMessage) : "";
  if (v.k === RX_BAD_MAC && KEY_TROUBLE_CODES.indexOf(code39(v.msg as HostMessage)) >= 0 && kind !== X_SIGNIN) {
    s.keysStale = true;
    display(s, MSG_SIGN_IN_AGAIN);
  }
  if (kind === X_REVERSAL) reversalReplied(s, v, code);
  else if (kind === X_REPEAT) repeatReplied(s, v, code);
  else if (kind === X_FINANCIAL) {
    if (v.k === RX_OK) s.issuer = issuerName((v.msg as HostMessage).fields["63"]);
    financialReplied(s, v, code);
  }
  else if (kind === X_SIGNIN) signInReplied(s, v, code);
  else if (kind === X_DOWNLOAD) downloadReplied(s, v, code);
  else if (kind === X_BALANCE) balanceReplied(s, v, code);
  else settleReplied(s, kind, v, code);
}

function financialReplied(s: EngineState, v: Verdict, code: string): void {
  const t = s.cur as TxnRecord;
  if (t.kind === KIND_REFUND) return refundReplied(s, v, code);
  if (v.k !== RX_OK) {
    const reason = reasonOf(v);
    if (reason !== REASON_NO_REPLY) s.j.setReversalReason(s.curRev, reason);
    display(s, "no valid reply (" + v.why + ") — reversing");
    finishOp(s, false, "", "no valid reply: " + v.why + "; reversal " + reason + " queued");
    proceed(s);
    return;
  }
  keepReply(t, v.msg as HostMessage, code);
  if (code !== "00") {
    t.state = ST_DECLINED;
    s.j.putTxnDisarm(t, s.curRev);
    display(s, "declined (" + code + ")");
    finishOp(s, false, code, "declined (" + code + ")");
    return;
  }
  const op = s.op as Operation;
  if (t.kind === KIND_SALE && op.card !== undefined && (op.card.chip || s.cfg.awaitCompletion)) {
    s.j.putTxn(t);
    s.ph = PH_COMPLETE;
    s.fx.push({ k: FX_FINISH_CARD });
    return;
  }
  approve(s, t);
}

function refundReplied(s: EngineState, v: Verdict, code: string): void {
  const t = s.cur as TxnRecord;
  if (v.k !== RX_OK) {
    display(s, "refund unanswered (" + v.why + ") — it will be repeated, never reversed");
    finishOp(s, false, "", "no valid reply: " + v.why + "; refund will be repeated");
    proceed(s);
    return;
  }
  settleRefund(s, t, v.msg as HostMessage, code);
  if (code === "00") s.fx.push({ k: FX_PRINT, lines: receiptLines(s.cfg, t, "") });
  display(s, code === "00" ? "approved" : "declined (" + code + ")");
  finishOp(s, code === "00", code, code === "00" ? "approved" : "declined (" + code + ")");
}

/** The app/EMV layer finished a host-approved chip sale: complete it, or reverse it (06). */
export function cardFinished(s: EngineState, ok: boolean, icc: Bytes | undefined): void {
  if (s.ph !== PH_COMPLETE) return;
  const t = s.cur as TxnRecord;
  if (ok) return approve(s, t);
  s.ph = PH_IDLE;
  if (icc !== undefined && len(icc) > 0 && s.curBase !== undefined) rearmWithIcc(s, t, s.curBase, icc);
  else s.j.setReversalReason(s.curRev, REASON_MISMATCH);
  display(s, "cannot complete after approval — reversing");
  finishOp(s, false, "", "cannot complete after approval; reversal 06 queued");
  proceed(s);
}

/** The reversal must carry the card's final field 55: a new one is armed first, then the old one disarmed. */
function rearmWithIcc(s: EngineState, t: TxnRecord, base: HostMessage, icc: Bytes): void {
  base.fields["55"] = toHex(icc);
  const id = s.j.armReversal(t.batch, t.stan, REASON_MISMATCH, storedReversal(s, base));
  s.j.disarmReversal(s.curRev);
  s.curRev = id;
}

function signInReplied(s: EngineState, v: Verdict, code: string): void {
  if (v.k !== RX_OK) return finishOp(s, false, "", "sign-in failed: " + v.why);
  if (code !== "00") return finishOp(s, false, code, "sign-in declined (" + code + ")");
  const m = v.msg as HostMessage;
  const keys = m.fields["62"];
  if (keys === undefined) return finishOp(s, false, code, "sign-in reply has no working keys (62)");
  try {
    s.sm.installWorkingKeys(fromHex(keys));
  } catch (e) {
    return finishOp(s, false, code, "working keys rejected: " + errorText(e));
  }
  s.keysStale = false;
  adoptBatch(s, m.fields["60"]);
  const date = m.fields["13"];
  const time = m.fields["12"];
  if (date !== undefined && time !== undefined && date.length === 4 && time.length === 6) s.fx.push({ k: FX_SET_CLOCK, text: date + time });
  s.dlRounds = 0;
  s.dlNote = "";
  if (startDownloads(s, v.hdr)) return;
  signInDone(s);
}

/** Takes 60.2 as the batch number unless the current batch still holds transactions. */
function adoptBatch(s: EngineState, f60: string | undefined): void {
  if (f60 === undefined || f60.length < 8) return;
  const digits = f60.substring(2, 8);
  let n = 0;
  for (let i = 0; i < 6; i++) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return;
    n = n * 10 + c;
  }
  if (n !== s.j.batch() && s.j.countTxns(0) === 0) s.j.setBatch(n);
}

function balanceReplied(s: EngineState, v: Verdict, code: string): void {
  if (v.k !== RX_OK) return finishOp(s, false, "", "balance inquiry failed: " + v.why);
  const bal = (v.msg as HostMessage).fields["54"];
  const text = code === "00" ? "balance " + balanceText(bal) : "declined (" + code + ")";
  display(s, text);
  finishOp(s, code === "00", code, text);
}
