// Builds the `cup` requests of every operation as HostMessage field maps, and the reversal
// (0400) from an original request. Field 60 is 60.1 type code, 60.2 batch, 60.3 network code.
import { HostMessage, cloneMessage, presentKeys } from "../host/codec";
import { fromHex, toHex, len } from "../bytes/index";
import { TlvNode, decodeTlv, encodeTlv } from "../codec/tlv";
import { Card, TxnConfig } from "./types";
import { pad } from "../text/digits";

/** 60.1 transaction type codes. */
export const T60_SALE = "22";
export const T60_VOID = "23";
export const T60_REFUND = "25";
export const T60_BALANCE = "01";
export const T60_MGMT = "00";
/** 60.3 network management codes for settlement and batch upload. */
export const N60_SETTLE = "201";
export const N60_BATCH_END = "202";
export const N60_NONE = "000";
/** Processing codes (field 3). */
export const PROC_SALE = "000000";
export const PROC_CANCEL = "200000";
export const PROC_BALANCE = "310000";
/** Fields a reversal must not carry: track 2 and 3, PIN block, PIN capture code, security info, MAC. */
export const REVERSAL_DROPPED = ["35", "36", "52", "26", "53", "64"];
const PIN_CAPTURE_CODE = "12";
const PIN_SECURITY_INFO = "2600000000000000";

/** Field 60 text. */
export function field60(type: string, batch: number, netCode: string): string {
  return type + pad(batch, 6) + netCode;
}

function base(mti: string, cfg: TxnConfig, stan: number): HostMessage {
  const f: { [n: string]: string } = {};
  f["11"] = pad(stan, 6);
  f["41"] = cfg.terminalId;
  f["42"] = cfg.merchantId;
  return { mti: mti, fields: f };
}

/** Adds the card's fields: PAN, expiry, entry mode, track 2, PIN, chip data. */
function addCard(m: HostMessage, card: Card): void {
  const f = m.fields;
  f["2"] = card.pan;
  if (card.expiry.length > 0) f["14"] = card.expiry;
  const pin = card.pinBlock.length > 0;
  const entry = card.chip ? "05" : card.track2.length > 0 ? "02" : "01";
  f["22"] = entry + (pin ? "1" : "2");
  if (card.track2.length > 0) f["35"] = card.track2;
  if (pin) {
    f["26"] = PIN_CAPTURE_CODE;
    f["52"] = card.pinBlock;
    f["53"] = PIN_SECURITY_INFO;
  }
  if (card.icc.length > 0) f["55"] = card.icc;
}

export interface FinancialInput {
  cfg: TxnConfig;
  stan: number;
  batch: number;
  amount_minor: number;
  card: Card;
}

/** 0200 sale, proc 000000, 60.1 = 22. */
export function saleRequest(x: FinancialInput): HostMessage {
  const m = base("0200", x.cfg, x.stan);
  m.fields["3"] = PROC_SALE;
  m.fields["4"] = pad(x.amount_minor, 12);
  addCard(m, x.card);
  m.fields["25"] = "00";
  m.fields["49"] = x.cfg.currency;
  m.fields["60"] = field60(T60_SALE, x.batch, N60_NONE);
  return m;
}

/** 0200 void, proc 200000, 60.1 = 23; 37/38 the sale's RRN and auth code, 61 its batch and trace. */
export function voidRequest(x: FinancialInput, orig: { batch: number; stan: number; rrn: string; authCode: string }): HostMessage {
  const m = saleRequest(x);
  m.fields["3"] = PROC_CANCEL;
  if (orig.rrn.length > 0) m.fields["37"] = orig.rrn;
  if (orig.authCode.length > 0) m.fields["38"] = orig.authCode;
  m.fields["60"] = field60(T60_VOID, x.batch, N60_NONE);
  m.fields["61"] = pad(orig.batch, 6) + pad(orig.stan, 6);
  return m;
}

/** 0220 refund, proc 200000, 60.1 = 25; 37 the original RRN, 61 zero batch/trace and the original date. */
export function refundRequest(x: FinancialInput, origRrn: string, origDate: string): HostMessage {
  const m = saleRequest(x);
  m.mti = "0220";
  m.fields["3"] = PROC_CANCEL;
  m.fields["37"] = origRrn;
  m.fields["60"] = field60(T60_REFUND, x.batch, N60_NONE);
  m.fields["61"] = "000000" + "000000" + origDate;
  return m;
}

/** 0200 balance inquiry, proc 310000, 60.1 = 01. */
export function balanceRequest(cfg: TxnConfig, stan: number, batch: number, card: Card): HostMessage {
  const m = base("0200", cfg, stan);
  m.fields["3"] = PROC_BALANCE;
  addCard(m, card);
  m.fields["25"] = "00";
  m.fields["49"] = cfg.currency;
  m.fields["60"] = field60(T60_BALANCE, batch, N60_NONE);
  return m;
}

/** 0800 sign-in; 60.3 asks for the key scheme. */
export function signInRequest(cfg: TxnConfig, stan: number, batch: number): HostMessage {
  const m = base("0800", cfg, stan);
  m.fields["60"] = field60(T60_MGMT, batch, cfg.keyScheme);
  m.fields["63"] = "001";
  return m;
}

/**
 * A download exchange (0820 query, 0800 download or end; 60.1 = 00, 60.3 = `net`), field 62 when
 * `f62` is not "". Like the public UnionPay terminal sources, it carries 41, 42, 60 and 62 only:
 * no trace number is used up.
 */
export function downloadRequest(cfg: TxnConfig, batch: number, mti: string, net: string, f62: string): HostMessage {
  const f: { [n: string]: string } = {};
  f["41"] = cfg.terminalId;
  f["42"] = cfg.merchantId;
  const m: HostMessage = { mti: mti, fields: f };
  m.fields["60"] = field60(T60_MGMT, batch, net);
  if (f62.length > 0) m.fields["62"] = f62;
  return m;
}

/** 0500 settlement with the batch totals in field 48. */
export function settleRequest(cfg: TxnConfig, stan: number, batch: number, totals48: string): HostMessage {
  const m = base("0500", cfg, stan);
  m.fields["48"] = totals48;
  m.fields["49"] = cfg.currency;
  m.fields["60"] = field60(T60_MGMT, batch, N60_SETTLE);
  m.fields["63"] = "001";
  return m;
}

/** One batch-upload item (0320, 60.3 = 201): an approved sale or refund, named by 61 (batch, trace) and 37. */
export function uploadRequest(cfg: TxnConfig, stan: number, t: { batch: number; stan: number; kind: number; amount_minor: number; rrn: string }, pan: string, isSale: boolean): HostMessage {
  const m = base("0320", cfg, stan);
  m.fields["2"] = pan;
  m.fields["3"] = isSale ? PROC_SALE : PROC_CANCEL;
  m.fields["4"] = pad(t.amount_minor, 12);
  if (t.rrn.length > 0) m.fields["37"] = t.rrn;
  m.fields["49"] = cfg.currency;
  m.fields["60"] = field60(T60_MGMT, t.batch, N60_SETTLE);
  m.fields["61"] = pad(t.batch, 6) + pad(t.stan, 6);
  return m;
}

/** Batch end (0320, 60.3 = 202) with the batch totals in field 48. */
export function batchEndRequest(cfg: TxnConfig, stan: number, batch: number, totals48: string): HostMessage {
  const m = base("0320", cfg, stan);
  m.fields["48"] = totals48;
  m.fields["49"] = cfg.currency;
  m.fields["60"] = field60(T60_MGMT, batch, N60_BATCH_END);
  return m;
}

/** What a reversal keeps of the original request: everything but track data, PIN block, 26, 53 and the MAC. */
export function reversalBase(req: HostMessage): HostMessage {
  return cloneMessage(req, presentKeys(req, REVERSAL_DROPPED));
}

/** EMV tags that carry the PAN, track data or the cardholder name: never stored on flash. */
export const ICC_CARD_DATA_TAGS = ["5A", "57", "5F20", "9F1F", "9F20", "56", "9F6B"];

function withoutCardData(nodes: TlvNode[]): TlvNode[] {
  const keep: TlvNode[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (ICC_CARD_DATA_TAGS.indexOf(n.tag) >= 0) continue;
    if (n.children !== undefined) keep.push({ tag: n.tag, children: withoutCardData(n.children) });
    else keep.push(n);
  }
  return keep;
}

/**
 * What the journal stores of a reversal base: no PAN (field 2 is put back from the sealed PAN
 * when the reversal is sent) and no card data inside field 55. Field 55 that is not valid
 * TLV is dropped rather than stored unchecked.
 */
export function reversalForStorage(base: HostMessage): HostMessage {
  const m = cloneMessage(base, presentKeys(base, ["2", "55"]));
  const icc = base.fields["55"];
  if (icc === undefined) return m;
  try {
    const b = fromHex(icc);
    const clean = encodeTlv(withoutCardData(decodeTlv(b, 0, len(b))));
    if (len(clean) > 0) m.fields["55"] = toHex(clean);
  } catch (e) {
    // unreadable ICC data is not stored: it could hold card data we cannot see
  }
  return m;
}

/** The 0400 sent for a stored reversal base: MTI 0400 and field 39 the reason. */
export function reversalRequest(stored: HostMessage, reason: string): HostMessage {
  const m = reversalBase(stored);
  m.mti = "0400";
  m.fields["39"] = reason;
  return m;
}
