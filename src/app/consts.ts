// Screens and flows of the terminal app, and what a flow gathers.
import { Card } from "../txn/types";
import { TestCard } from "./cards";

/** Screens. */
export const S_BOOT = 1;
export const S_INPUT = 2;
export const S_IDLE = 3;
export const S_MENU = 4;
export const S_AMOUNT = 5;
export const S_CARD = 6;
export const S_PIN = 7;
export const S_WAIT = 8;
export const S_MSG = 9;
export const S_TEAR = 10;
export const S_REMOVE = 11;
export const S_PAPER = 12;
export const S_CHOICE = 13;
export const S_ADVICE = 14;
export const S_LIST = 15;
/** A storage fault found at power-up, before sign-on. */
export const S_FAULT = 16;

/** Flows (what the operator is doing). */
export const F_NONE = 0;
export const F_SALE = 1;
export const F_VOID = 2;
export const F_REFUND = 3;
export const F_BALANCE = 4;
export const F_SIGNIN = 5;
export const F_SETTLE = 6;

/** What the current flow has gathered. */
export interface Flow {
  f: number;
  amount_minor: number;
  /** Largest amount allowed for this entry. */
  max_minor: number;
  origStan: number;
  origRrn: string;
  origDate: string;
  reason: string;
  card: Card | undefined;
  test: TestCard | undefined;
  /** A chip card is in the reader. */
  inserted: boolean;
  /** The flow's operation went to the engine (and no result came yet). */
  sent: boolean;
  /** Supervisor approved (refund beyond the index). */
  sup: boolean;
  /** The chip card was taken out before the sale completed. */
  pulled: boolean;
}

export function emptyFlow(f: number): Flow {
  return { f: f, amount_minor: 0, max_minor: 0, origStan: 0, origRrn: "", origDate: "", reason: "", card: undefined, test: undefined, inserted: false, sent: false, sup: false, pulled: false };
}


/** Steps: what a finished input or choice continues with. */
export const ST_OPNO = 1;
export const ST_OPPW = 2;
export const ST_AMOUNT = 3;
export const ST_VOID_TRACE = 10;
export const ST_VOID_CONFIRM = 11;
export const ST_VOID_PW = 12;
export const ST_REASON = 13;
export const ST_REFUND_RRN = 20;
export const ST_REFUND_DATE = 21;
export const ST_REFUND_PW = 22;
export const ST_ADV_HOW = 30;
export const ST_ADV_TRACE = 31;
export const ST_ADV_RRN = 32;
export const ST_ADV_GO = 33;
export const ST_REPRINT_HOW = 40;
export const ST_REPRINT_TRACE = 41;
export const ST_SETTLE_CONFIRM = 50;
export const ST_ADMIN = 60;
export const ST_OPERATORS = 61;
export const ST_NEWPW = 62;
export const ST_NEWPW2 = 63;
export const ST_UNLOCK_NO = 64;
export const ST_SETTINGS = 65;
export const ST_MAXAMOUNT = 66;
export const ST_SUP_FOR = 67;
export const ST_PIN_RETRY = 70;
export const ST_MENU = 0;

/** Audit records one operation may write: its own (void, refund or abort), a reversal queued and its end. */
export const AUDIT_ROOM_PER_OP = 3;
/** Shown instead of starting an operation when the audit trail lacks that room. */
export const AUDIT_FULL_TEXT = "Audit trail full: settle (menu 7) to print and clear it.";
