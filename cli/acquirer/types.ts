// Shapes shared by the acquirer simulator's parts (core, handlers, keys, state), kept apart
// so that none of them imports another in a circle: core → financial, keys, state → types.
import { IsoFields, IsoMessage, WireHeader } from "../../src/iso8583/index";
import { Bytes } from "../../src/bytes/index";
import { MagicAmount } from "../../src/acquirer/protocol";
import { Ledger } from "./ledger";

/** One set of working keys (hex) under a key scheme (60.3). */
export interface KeySet {
  scheme: string;
  pik: string;
  mak: string;
  tdk: string;
}

/** A terminal as the acquirer knows it; keys are hex ("" before sign-in). */
export interface TerminalState {
  tid: string;
  mid: string;
  /** Master key (hex) its working keys are sent under. */
  tmk: string;
  /** Current batch (60.2) the host hands out at sign-in. */
  batch: string;
  /** The keys in use: requests MAC'd under them verify. */
  scheme: string;
  pik: string;
  mak: string;
  tdk: string;
  /**
   * Keys handed out at sign-in but not used yet, at most one set per scheme. The keys in use
   * stay valid until a request verifies under a pending set, which then replaces them: a sign-in
   * by anyone else cannot lock the terminal out.
   */
  pending: KeySet[];
  /** Versions of the CA keys and chip parameters the terminal finished downloading (absent: none yet). */
  keys_ver?: string;
  params_ver?: string;
}

/** A registered terminal (from --terminals FILE): id, merchant, optional own master key (hex). */
export interface TerminalEntry {
  tid: string;
  mid?: string;
  tmk?: string;
}

/** What to do with one frame: an optional reply, whether to close the connection, and why. */
export interface Answer {
  reply?: Bytes;
  close: boolean;
  note: string;
  /** Magic-amount effect still to apply ("", "no_reply", "bad_mac", "wrong_stan"). */
  effect?: string;
  /** True when answering may have changed the acquirer's state (the frame must be logged before the reply leaves). */
  changed?: boolean;
}

/** A request being answered. */
export interface Req {
  msg: IsoMessage;
  header: WireHeader;
  tid: string;
  mid: string;
  now_ms: number;
  term?: TerminalState;
  /** True once the request's MAC checked out: only then does the reply carry one. */
  verified?: boolean;
}

/**
 * How the simulator answers a settlement (0500), a QA switch as acquirer test hosts have:
 * - "totals" (default): 95 "unbalanced" when the terminal's totals differ from the acquirer's, else 00;
 * - "unbalanced-once": 95 to a batch's 0500s until the terminal has uploaded that batch (one
 *   0320 per transaction and the batch end), whatever the totals: every batch settles by upload;
 * - "always": 95 to every 0500 (a batch closes only by upload);
 * - "never": 00 "balanced" to every 0500, totals or not (the settlement record keeps whether they agreed).
 */
export type ReconcileMode = "totals" | "unbalanced-once" | "always" | "never";
export const RECONCILE_MODES: ReconcileMode[] = ["totals", "unbalanced-once", "always", "never"];

/** What the financial handlers need from the core. */
export interface Desk {
  readonly book: Ledger;
  readonly reconcile: ReconcileMode;
  readonly terminals: Map<string, TerminalState>;
  readonly currency: string;
  readonly approvalFields: IsoFields;
  reply(req: Req, rc: string, extra: IsoFields, mac: boolean, note: string): Answer;
  nextRrn(): string;
  nextAuth(): string;
  magic(amount_minor: number): MagicAmount | undefined;
}
