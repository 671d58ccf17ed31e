// The terminal app: a deterministic state machine above the transaction engine. Events in
// (keys, card events, clock ticks, engine effects, printer status), effects out (display
// frames, ESC/POS print jobs, beeps, engine operations). It reads the journal to answer
// questions (advisor, reprint, lists) and writes only audit records and app blobs to it;
// money moves only through engine operations. Screens live in the flow-*.ts modules.
import { gbkShown } from "../text/gbk";
import { SecurityModule } from "../../hal/security";
import { AUDIT_MAX_OUTCOME, AUDIT_MAX_REASON, AuditKind, Journal, REV_PENDING, ST_REVERSED } from "../journal/api";
import { Card, Effect, Operation, TxnConfig, FX_DISPLAY, FX_FINISH_CARD, FX_PRINT, FX_RESULT } from "../txn/types";
import { OpResult } from "../txn/types";
import { Bytes } from "../bytes/types";
import { concat } from "../bytes/index";
import { errorText } from "../errors";
import { AppStore, AuditEntry } from "./store";
import { Operators } from "./operators";
import { TestCard } from "./cards";
import { plain } from "./screen";
import { PrintLine, encodeJob } from "../escpos/encode";
import {
  AppEffect, AppEvent, AE_CARD, AE_ENGINE, AE_KEY, AE_POWER_UP, AE_PRINTER, AE_TICK,
  AF_BEEP, AF_FRAME, AF_OP, AF_PRINT, AF_PRINTER_RESUME,
} from "./types";
import { Settings, loadSettings } from "./settings";
import { bootScreen, signOnKey } from "./flow-signon";
import { menuKey } from "./flow-menu";
import { faultKey } from "./flow-fault";
import { onCardEvent, saleResult, saleKey, finishCard } from "./flow-sale";
import { refundAmountGiven, voidOrRefundResult } from "./flow-cancel";
import { settleResult, signInResult } from "./flow-menu";
import { printerDone } from "./flow-print";
import { renderScreen } from "./render";
import { ReportTotals, reportTotals } from "./receipts";
import { AUDIT_ROOM_PER_OP, Flow, emptyFlow, F_NONE, F_REFUND, F_SETTLE, F_SIGNIN, F_VOID, S_ADVICE, S_AMOUNT, S_BOOT, S_CARD, S_CHOICE, S_FAULT, S_IDLE, S_INPUT, S_LIST, S_MENU, S_MSG, S_PAPER, S_PIN, S_REMOVE, S_TEAR, S_WAIT } from "./consts";

export const DEFAULT_IDLE_MS = 60000;
export const DEFAULT_CARD_WAIT_MS = 60000;
/** Most effects one event may produce. */
export const MAX_EFFECTS_PER_EVENT = 64;

export interface AppOptions {
  journal: Journal;
  store: AppStore;
  security: SecurityModule;
  config: TxnConfig;
  /** Receipt width in characters (32 for 58 mm paper). */
  columns: number;
  /** Back to idle after this long without a key. */
  idle_ms?: number;
}

/** Lines per encoder part of a print job, and most parts (longer reports are cut, saying so). */
export const PRINT_PART_LINES = 60;
export const PRINT_MAX_PARTS = 16;

/** The first lines of an over-long report and a last line saying how many were left out. */
function cutReport(lines: PrintLine[]): PrintLine[] {
  const keep = PRINT_PART_LINES * PRINT_MAX_PARTS - 1;
  const out = lines.slice(0, keep);
  out.push({ t: "(" + (lines.length - keep) + " more lines not printed)" });
  return out;
}

export class TerminalApp {
  j: Journal;
  st: AppStore;
  sm: SecurityModule;
  cfg: TxnConfig;
  columns: number;
  idle_ms: number;
  ops: Operators;
  settings: Settings;
  t: number;
  fx: AppEffect[];
  scr: number;
  last: string[];
  /** Signed-on operator ("" none). */
  op: string;
  /** Input screen: title, prompt, typed digits, bounds, masked, and what it is for. */
  title: string;
  prompt: string;
  buf: string;
  bufMin: number;
  bufMax: number;
  mask: boolean;
  step: number;
  /** Message screen text and the step `enter` continues with (0: back to the menu). */
  msg: string;
  msgStep: number;
  /** Choice screen entries (numbered 1..n). */
  choices: string[];
  flow: Flow;
  /** Time of the last key (idle timeout). */
  keyAt: number;
  /** Pending reversals seen last (batch * 1e6 + trace). */
  revWatch: number[];
  /** Engine status text while online. */
  status: string;
  /** The issuer's name of the last approval (63.2.1, GBK allowed): customer copy and tear-off screen. */
  issuer: string;
  /** The copy still to print after the tear-off prompt. */
  pendingCopy: PrintLine[];
  /** Screen to return to after paper is loaded. */
  paperBack: number;
  printing: boolean;
  /** Last receipt printed (for reprint): batch and trace. */
  lastBatch: number;
  lastStan: number;
  /** List screen: rows and the first one shown. */
  list: string[];
  listAt: number;
  bootText: string;
  /** The storage fault shown at power-up ("" none). */
  faultText: string;
  /** Sign-on: the operator number typed, and until when the supervisor must wait. */
  pendingNo: string;
  supWaitUntil: number;
  /** Admin: the first entry of a new password. */
  newPw: string;
  /** Settlement in flight: its batch, totals and approved sales (for the settled index). */
  settleBatch: number;
  settleTotals: ReportTotals;
  /** Audit records that could not be written (trail full) since power-up. */
  auditMissed: number;

  constructor(o: AppOptions) {
    this.j = o.journal;
    this.st = o.store;
    this.auditMissed = 0;
    this.sm = o.security;
    this.cfg = o.config;
    this.columns = o.columns;
    this.idle_ms = o.idle_ms === undefined ? DEFAULT_IDLE_MS : o.idle_ms;
    this.ops = new Operators(o.store);
    this.settings = loadSettings(o.store);
    this.t = 0;
    this.fx = [];
    this.scr = S_BOOT;
    this.last = [];
    this.op = "";
    this.title = "";
    this.prompt = "";
    this.buf = "";
    this.bufMin = 0;
    this.bufMax = 0;
    this.mask = false;
    this.step = 0;
    this.msg = "";
    this.msgStep = 0;
    this.choices = [];
    this.flow = emptyFlow(F_NONE);
    this.keyAt = 0;
    this.status = "";
    this.issuer = "";
    this.revWatch = [];
    this.pendingCopy = [];
    this.paperBack = 0;
    this.printing = false;
    this.lastBatch = 0;
    this.lastStan = 0;
    this.list = [];
    this.listAt = 0;
    this.bootText = "";
    this.faultText = "";
    this.pendingNo = "";
    this.supWaitUntil = 0;
    this.newPw = "";
    this.settleBatch = 0;
    this.settleTotals = { sales: 0, sales_minor: 0, voids: 0, voids_minor: 0, refunds: 0, refunds_minor: 0 };
  }

  /** Runs one event; returns the effects, in order. A defect shows as an error screen, never a crash. */
  handle(ev: AppEvent): AppEffect[] {
    this.fx = [];
    this.t = ev.t;
    try {
      this.dispatch(ev);
    } catch (e) {
      this.message("Error: " + errorText(e), 0);
    }
    this.emitFrame();
    return this.fx;
  }

  private dispatch(ev: AppEvent): void {
    if (ev.k === AE_POWER_UP) bootScreen(this);
    else if (ev.k === AE_KEY) this.onKey(ev.key === undefined ? "" : ev.key);
    else if (ev.k === AE_CARD) onCardEvent(this, ev.kind === undefined ? "" : ev.kind, ev.card);
    else if (ev.k === AE_TICK) this.onTick();
    else if (ev.k === AE_ENGINE && ev.fx !== undefined) this.onEngine(ev.fx);
    else if (ev.k === AE_PRINTER) printerDone(this, ev.ok === true, ev.text === undefined ? "" : ev.text);
  }

  private onKey(key: string): void {
    this.keyAt = this.t;
    if (this.scr === S_PAPER) {
      if (key === "enter") {
        this.scr = this.paperBack;
        this.push({ k: AF_PRINTER_RESUME });
      }
      return;
    }
    if (this.scr === S_FAULT) return faultKey(this, key);
    if (this.scr === S_BOOT || this.op === "" ) return signOnKey(this, key);
    if (this.scr === S_AMOUNT || this.scr === S_CARD || this.scr === S_PIN || this.scr === S_WAIT || this.scr === S_TEAR || this.scr === S_REMOVE) return saleKey(this, key);
    menuKey(this, key);
  }

  private onTick(): void {
    const quiet = this.t - this.keyAt;
    if (this.scr === S_BOOT && quiet >= 3000) return signOnKey(this, "enter");
    if (quiet < this.idle_ms || this.op === "") return;
    if (this.scr === S_MENU || this.scr === S_INPUT || this.scr === S_CHOICE || this.scr === S_ADVICE || this.scr === S_LIST || (this.scr === S_MSG && this.flow.f === F_NONE)) this.idle();
    else if ((this.scr === S_AMOUNT || this.scr === S_CARD) && !this.flow.sent) {
      this.flow = emptyFlow(F_NONE);
      this.idle();
    }
  }

  /** Reversals audited as queued get a second record when they are done or have failed. */
  trackReversals(): void {
    // nothing changed (the usual case, checked in the RAM index): no reversal record is read
    let same = this.j.countPendingReversals() === this.revWatch.length;
    for (let i = 0; same && i < this.revWatch.length; i++) same = this.j.reversalStateOf(Math.floor(this.revWatch[i] / 1000000), this.revWatch[i] % 1000000) === REV_PENDING;
    if (same) return;
    const pend = this.j.pendingReversals();
    const now: number[] = [];
    for (let i = 0; i < pend.length; i++) now.push(pend[i].batch * 1000000 + pend[i].stan);
    for (let i = 0; i < this.revWatch.length; i++) {
      const key = this.revWatch[i];
      if (now.indexOf(key) < 0) this.reversalSettled(Math.floor(key / 1000000), key % 1000000);
    }
    this.revWatch = now;
  }

  private reversalSettled(batch: number, stan: number): void {
    const trail = this.st.auditEntries();
    let reason = "";
    for (let i = 0; i < trail.length; i++) {
      const e = trail[i];
      if (e.kind === "reversal" && e.batch === batch && e.stan === stan) reason = e.outcome === "queued" ? e.reason : "";
    }
    if (reason === "") return;
    const t = this.j.getTxn(batch, stan);
    const done = t !== undefined && t.state === ST_REVERSED;
    this.audit("reversal", reason, batch, stan, t === undefined ? "" : t.rrn, t === undefined ? 0 : t.amount_minor, done ? "done: reversed" : "failed: contact acquirer");
  }

  private onEngine(e: Effect): void {
    this.trackReversals();
    if (e.k === FX_DISPLAY) {
      this.status = plain(e.text === undefined ? "" : e.text);
    } else if (e.k === FX_RESULT) this.onResult(e.result as OpResult);
    else if (e.k === FX_FINISH_CARD) finishCard(this);
    else if (e.k === FX_PRINT && !this.flow.sent) this.print("NOTICE", toLines(e.lines as string[]));
  }

  /** The engine finished the flow's operation. */
  private onResult(r: OpResult): void {
    if (!this.flow.sent) return;
    this.flow.sent = false;
    const f = this.flow.f;
    if (f === F_SIGNIN) signInResult(this, r);
    else if (f === F_SETTLE) settleResult(this, r);
    else if (f === F_VOID || f === F_REFUND) voidOrRefundResult(this, r);
    else saleResult(this, r);
  }

  /** The refund amount is in: the reason next. */
  refundAmountGiven(): void {
    refundAmountGiven(this);
  }

  // ---- helpers the flows share

  push(e: AppEffect): void {
    if (this.fx.length < MAX_EFFECTS_PER_EVENT) this.fx.push(e);
  }

  beep(ms: number): void {
    this.push({ k: AF_BEEP, ms: ms });
  }

  operate(op: Operation): void {
    this.flow.sent = true;
    this.status = "";
    this.scr = S_WAIT;
    this.push({ k: AF_OP, op: op });
  }

  /** A print job for `copy` (e.g. "MERCHANT COPY"). */
  /** Prints `lines` as one job (in encoder parts of PRINT_PART_LINES, cut after the last). */
  print(copy: string, lines: PrintLine[]): void {
    const all = lines.length > PRINT_PART_LINES * PRINT_MAX_PARTS ? cutReport(lines) : lines;
    const text: string[] = [];
    for (let i = 0; i < all.length; i++) text.push(plain(all[i].g === true ? gbkShown(all[i].t).text : all[i].t));
    const parts: Bytes[] = [];
    for (let p = 0; p < PRINT_MAX_PARTS && (p === 0 || p * PRINT_PART_LINES < all.length); p++) {
      const last = (p + 1) * PRINT_PART_LINES >= all.length;
      parts.push(encodeJob(all.slice(p * PRINT_PART_LINES, (p + 1) * PRINT_PART_LINES), { columns: this.columns, feed: last ? 3 : 0, cut: last }));
    }
    const b: Bytes = parts.length === 1 ? parts[0] : concat(parts);
    this.printing = true;
    this.push({ k: AF_PRINT, b: b, copy: copy, lines: text });
  }

  /** Digit entry screen. */
  input(title: string, prompt: string, min: number, max: number, mask: boolean, step: number): void {
    this.title = title;
    this.prompt = prompt;
    this.buf = "";
    this.bufMin = min;
    this.bufMax = max;
    this.mask = mask;
    this.step = step;
    this.scr = S_INPUT;
  }

  /** Message screen; `enter` continues with `step` (0: the menu, or idle when nobody is signed on). */
  message(text: string, step: number): void {
    this.msg = text;
    this.msgStep = step;
    this.scr = S_MSG;
  }

  choice(title: string, entries: string[], step: number): void {
    this.title = title;
    this.choices = entries;
    this.step = step;
    this.scr = S_CHOICE;
  }

  idle(): void {
    this.flow = emptyFlow(F_NONE);
    this.list = [];
    this.scr = S_IDLE;
  }

  menu(): void {
    this.flow = emptyFlow(F_NONE);
    // a list screen's rows (one per transaction for menu 8) are not kept once it is left
    this.list = [];
    this.scr = S_MENU;
  }

  /**
   * Writes an audit record. Operations start only with AUDIT_ROOM_PER_OP records free, so this
   * fails only for records nobody started (more power-up reversals than the trail holds): then
   * the money record stays in the journal, the miss is counted and the idle screen says so.
   */
  audit(kind: AuditKind, reason: string, batch: number, stan: number, rrn: string, amount_minor: number, outcome: string): void {
    const e = this.auditEntry(kind, reason, batch, stan, rrn, amount_minor, outcome);
    if (this.st.auditRoom() < 1) {
      this.auditMissed++;
      return;
    }
    this.st.appendAudit(e);
  }

  /** True when the audit trail has room for what one operation may write. */
  auditHasRoom(): boolean {
    return this.st.auditRoom() >= AUDIT_ROOM_PER_OP;
  }

  /** The audit record `audit` writes (texts plain and cut to the journal's limits). */
  auditEntry(kind: AuditKind, reason: string, batch: number, stan: number, rrn: string, amount_minor: number, outcome: string): AuditEntry {
    return {
      t_s: Math.floor(this.t / 1000), operator: this.op === "" ? "--" : this.op, kind: kind, reason: cutText(plain(reason), AUDIT_MAX_REASON),
      batch: batch, stan: stan, rrn: rrn, amount_minor: amount_minor, outcome: cutText(plain(outcome), AUDIT_MAX_OUTCOME),
    };
  }

  /** What the display shows: the last frame sent to it (rendered only before the first one; on Espruino a render loads the screen modules). */
  screen(): string[] {
    return this.last.length > 0 ? this.last : renderScreen(this);
  }

  private emitFrame(): void {
    const rows = renderScreen(this);
    let same = rows.length === this.last.length;
    for (let i = 0; same && i < rows.length; i++) if (rows[i] !== this.last[i]) same = false;
    if (same) return;
    this.last = rows;
    this.fx.push({ k: AF_FRAME, rows: rows });
  }
}

function cutText(s: string, n: number): string {
  return s.length > n ? s.substring(0, n) : s;
}

function toLines(lines: string[]): PrintLine[] {
  const out: PrintLine[] = [];
  for (let i = 0; i < lines.length; i++) out.push({ t: lines[i] });
  return out;
}

