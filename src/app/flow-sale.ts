// Sale, balance and the card/PIN/online part every financial flow shares: amount entry,
// card entry (swipe, insert, tap; chip cards that are swiped are asked to be inserted; bad
// reads retried), PIN entry (the PIN block is made inside the SecurityModule), the engine
// result, receipts (merchant copy, tear-off, customer copy) and "remove card".
import type { TerminalApp } from "./app";
import { toHex } from "../bytes/index";
import { errorText } from "../errors";
import { Card, OP_BALANCE, OP_REFUND, OP_SALE, OP_VOID, OpResult, Operation } from "../txn/types";
import { TestCard } from "./cards";
import { AF_CARD_DONE, CARD_INSERT, CARD_REMOVE, CARD_SWIPE, CARD_TAP } from "./types";
import { F_BALANCE, F_NONE, F_REFUND, F_SALE, F_VOID, S_AMOUNT, S_CARD, S_PIN, S_REMOVE, S_TEAR, S_WAIT, emptyFlow } from "./consts";
import { IN_CANCEL, IN_DONE, inputKey } from "./input";
import { COPY_CUSTOMER, COPY_MERCHANT, txnReceipt } from "./receipts";
import { money } from "./screen";
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from "./pin";

/** Contactless sales up to this amount need no PIN. */
export const TAP_NO_PIN_MAX_MINOR = 100000;
/** Digits an amount may have (field 4). */
export const AMOUNT_DIGITS = 12;

/** Amount entry for flow `f` up to `max_minor`. */
export function askAmount(a: TerminalApp, f: number, max_minor: number): void {
  if (a.flow.f !== f) a.flow = emptyFlow(f);
  a.flow.max_minor = max_minor;
  a.buf = "";
  a.bufMin = 0;
  a.bufMax = AMOUNT_DIGITS;
  a.mask = false;
  a.status = "";
  a.scr = S_AMOUNT;
}

export function askCard(a: TerminalApp): void {
  a.status = "";
  a.scr = S_CARD;
}

/** Keys on the amount, card, PIN, online, tear-off and remove-card screens. */
export function saleKey(a: TerminalApp, key: string): void {
  if (a.scr === S_AMOUNT) return amountKey(a, key);
  if (a.scr === S_CARD && key === "cancel") return a.menu();
  if (a.scr === S_PIN) return pinKey(a, key);
  if (a.scr === S_TEAR && key === "enter") return customerCopy(a);
}

function amountKey(a: TerminalApp, key: string): void {
  const r = inputKey(a, key);
  let guard = 0;
  while (a.buf.length > 0 && a.buf.charAt(0) === "0" && guard < AMOUNT_DIGITS) {
    a.buf = a.buf.substring(1);
    guard++;
  }
  const v = a.buf.length > 0 ? parseInt(a.buf, 10) : 0;
  a.status = "";
  if (r === IN_CANCEL) return a.menu();
  if (v > a.flow.max_minor) {
    a.status = "Above the maximum " + money(a.flow.max_minor);
    if (r !== IN_DONE) a.beep(200);
  }
  if (r !== IN_DONE) return;
  if (v === 0) {
    a.status = "Amount must be above 0.00";
    return;
  }
  if (v > a.flow.max_minor) return;
  a.flow.amount_minor = v;
  a.buf = "";
  if (a.flow.f === F_REFUND) return a.refundAmountGiven();
  askCard(a);
}

/** Service code's first digit 2 or 6: the card has a chip and must be inserted. */
function chipOnStripe(track2: string): boolean {
  const sep = track2.indexOf("D");
  if (sep < 0 || track2.length < sep + 6) return false;
  const c = track2.charAt(sep + 5);
  return c === "2" || c === "6";
}

function cardOf(c: TestCard, chip: boolean, icc: string): Card {
  return { pan: c.pan, expiry: c.expiry, track2: c.track2, pinBlock: "", chip: chip, icc: icc };
}

/** A card event. Only the card screen takes cards; a removal matters wherever a chip card is in. */
export function onCardEvent(a: TerminalApp, kind: string, c: TestCard | undefined): void {
  if (kind === CARD_REMOVE) return cardRemoved(a);
  if (kind === CARD_INSERT && c !== undefined && a.scr !== S_CARD) {
    a.flow.inserted = a.flow.f !== F_NONE;
    return;
  }
  if (a.scr !== S_CARD || c === undefined) return a.beep(100);
  if (kind === CARD_SWIPE) {
    if (c.track2.length === 0) return badRead(a, "Card not read - swipe again");
    if (chipOnStripe(c.track2)) return badRead(a, "Chip card: please insert it");
    return cardRead(a, c, cardOf(c, false, ""), kind);
  }
  if (kind === CARD_INSERT) {
    a.flow.inserted = true;
    if (!c.chip) return badRead(a, "No chip on this card: remove it and swipe");
    return cardRead(a, c, cardOf(c, true, c.icc), kind);
  }
  if (kind === CARD_TAP) {
    if (!c.contactless) return badRead(a, "Card cannot be tapped: insert or swipe");
    return cardRead(a, c, cardOf(c, false, c.icc), kind);
  }
}

function badRead(a: TerminalApp, text: string): void {
  a.status = text;
  a.beep(300);
}

function cardRead(a: TerminalApp, c: TestCard, card: Card, kind: string): void {
  a.flow.card = card;
  a.flow.test = c;
  a.beep(30);
  const noPin = c.pin.length === 0 || a.flow.f === F_REFUND || (kind === CARD_TAP && a.flow.amount_minor <= TAP_NO_PIN_MAX_MINOR);
  if (noPin) return send(a);
  askPin(a, "");
}

function askPin(a: TerminalApp, status: string): void {
  a.buf = "";
  a.bufMin = PIN_MIN_DIGITS;
  a.bufMax = PIN_MAX_DIGITS;
  a.mask = true;
  a.status = status;
  a.scr = S_PIN;
}

function pinKey(a: TerminalApp, key: string): void {
  const r = inputKey(a, key);
  if (r === IN_CANCEL) {
    a.buf = "";
    a.audit("abort", "operator cancel", a.j.batch(), 0, "", a.flow.amount_minor, "stopped at PIN entry, nothing sent");
    return a.flow.inserted ? removeCard(a) : a.menu();
  }
  if (r !== IN_DONE) return;
  const card = a.flow.card as Card;
  try {
    card.pinBlock = toHex(a.sm.encryptPin(a.buf, card.pan));
  } catch (e) {
    a.buf = "";
    return a.message("PIN not taken: " + errorText(e), 0);
  }
  a.buf = "";
  send(a);
}

/** The flow's operation goes to the engine. */
export function send(a: TerminalApp): void {
  const f = a.flow;
  const op: Operation = { op: OP_SALE, amount_minor: f.amount_minor, card: f.card, origStan: 0, password: "", origRrn: "", origDate: "" };
  if (f.f === F_BALANCE) {
    op.op = OP_BALANCE;
    op.amount_minor = 0;
  } else if (f.f === F_REFUND) {
    op.op = OP_REFUND;
    op.origRrn = f.origRrn;
    op.origDate = f.origDate;
  } else if (f.f === F_VOID) {
    op.op = OP_VOID;
    op.card = undefined;
    op.origStan = f.origStan;
    op.password = a.cfg.supervisorPassword;
  }
  a.operate(op);
}

function cardRemoved(a: TerminalApp): void {
  if (!a.flow.inserted) return;
  a.flow.inserted = false;
  if (a.scr === S_REMOVE) return a.idle();
  if (a.scr === S_PIN) {
    a.buf = "";
    a.audit("abort", "card removed", a.j.batch(), 0, "", a.flow.amount_minor, "stopped at PIN entry, nothing sent");
    a.message("Card removed: the sale is stopped, nothing was charged.", 0);
  }
}

/** The host approved a chip sale: the card finishes it, unless it was taken out (reversal 06). */
export function finishCard(a: TerminalApp): void {
  if (a.flow.inserted) {
    a.push({ k: AF_CARD_DONE, ok: true });
    return;
  }
  a.flow.pulled = true;
  a.push({ k: AF_CARD_DONE, ok: false });
}

function removeCard(a: TerminalApp): void {
  a.scr = S_REMOVE;
}

/** After the customer copy: remove the card, or back to idle. */
export function afterReceipt(a: TerminalApp): void {
  if (a.flow.inserted) return removeCard(a);
  a.idle();
}

function customerCopy(a: TerminalApp): void {
  if (a.pendingCopy.length > 0) a.print(COPY_CUSTOMER, a.pendingCopy);
  a.pendingCopy = [];
  afterReceipt(a);
}

/** Merchant copy now, customer copy after the tear-off prompt. */
export function printCopies(a: TerminalApp, batch: number, stan: number): void {
  const t = a.j.getTxn(batch, stan);
  if (t === undefined) return afterReceipt(a);
  a.lastBatch = batch;
  a.lastStan = stan;
  a.print(COPY_MERCHANT, txnReceipt(a.cfg, t, a.op, COPY_MERCHANT, false));
  a.pendingCopy = txnReceipt(a.cfg, t, a.op, COPY_CUSTOMER, false, a.issuer);
  a.scr = S_TEAR;
}

const CODES = ["05", "12", "13", "14", "25", "51", "54", "55", "61", "64", "75", "91", "94", "96", "A0"];
const WORDS = ["do not honour", "invalid transaction", "invalid amount", "invalid card number", "original not found", "insufficient funds", "expired card", "wrong PIN", "over the limit", "original amount differs", "PIN tries exceeded", "issuer unavailable", "duplicate", "acquirer fault", "MAC error: sign in again"];

/** Field 39 in words. */
export function codeWords(code: string): string {
  const i = CODES.indexOf(code);
  return i < 0 ? "code " + code : WORDS[i];
}


/** Words for a result that is not an approval. */
export function failText(r: OpResult): string {
  if (r.code.length > 0) return "DECLINED (" + r.code + "): " + codeWords(r.code) + ".";
  return r.text;
}

/** A sale's or balance inquiry's result. */
export function saleResult(a: TerminalApp, r: OpResult): void {
  if (a.flow.f === F_BALANCE) return a.message(r.ok ? r.text : failText(r), 0);
  if (r.ok) {
    a.status = "APPROVED  auth " + r.authCode;
    a.issuer = r.issuer === undefined ? "" : r.issuer;
    return printCopies(a, a.j.batch(), r.stan);
  }
  if (r.code === "55" && a.flow.card !== undefined) {
    a.flow.card.pinBlock = "";
    return askPin(a, "Wrong PIN - try again (cancel: stop)");
  }
  if (r.code === "" && r.text.indexOf("reversal") >= 0) {
    const at = r.text.indexOf("reversal ");
    const code = at >= 0 ? r.text.substring(at + 9, at + 11) : "98";
    const why = code === "06" && a.flow.pulled ? "card" : code;
    a.audit("reversal", why, a.j.batch(), r.stan, r.rrn, a.flow.amount_minor, "queued");
    if (why === "card") return a.message("Card taken out too soon: the sale is reversed automatically. Nothing is charged.", 0);
    return a.message("No valid reply (" + why + "): the sale is reversed automatically. Nothing is charged.", 0);
  }
  if (r.code === "75") return a.message("DECLINED (75): PIN tries exceeded. Ask for another card.", 0);
  a.message(failText(r), 0);
}
