// The side views of the emulator page, computed by the server: the journal read from the
// flash image, the acquirer's books per card, and each wire message decoded field by field
// (field 55 as a tree). Card data is masked here, before anything goes to the page: PAN
// first 6 / last 4, track data and cardholder name hidden, PIN blocks only named.
import { Bytes, fromHex, len, toHex } from "../../src/bytes/index";
import { errorText } from "../../src/errors";
import { maskPan } from "../../src/card/pan";
import { decodeTlv, TlvNode } from "../../src/codec/tlv";
import { fieldDef, fieldNumbers, unpackWire } from "../../src/iso8583/index";
import { FieldDef, FORMAT_NAMES } from "../../src/iso8583/spec";
import { openJournal } from "../../src/journal/recover";
import { MAX_SLOTS } from "../../src/journal/journal";
import { NorFlash } from "../../hal/emulator/nor-flash";
import { DEVICE_SECTOR_COUNT } from "../../firmware/device/terminal";
import { ICC_CARD_DATA_TAGS } from "../../src/txn/messages";
import { advise, originalOf } from "../../src/app/advisor";
import { MemoryAppStore, storeOf } from "../../src/app/store";
import { SettledIndex } from "../../src/app/settled";
import { emvTag } from "../emv-tags";
import { AcquirerCore } from "../acquirer/core";
import { FLASH_PAGE_BYTES } from "./image";

const SPEC = "cup";
const KIND_NAMES = ["?", "sale", "void", "refund"];
const STATE_NAMES = ["?", "pending", "approved", "declined", "voided", "reversed"];
const REVERSAL_STATES = ["?", "pending", "completed", "failed"];
/** Wire messages the page keeps (older ones scroll away). */
export const MAX_WIRE_ENTRIES = 200;

/** A PAN masked, or a note when it is not a PAN. */
function masked(pan: string): string {
  try {
    return maskPan(pan);
  } catch (e) {
    return "(" + pan.length + " characters, hidden)";
  }
}

/** Track 2 shown as its masked PAN only; expiry, service code and discretionary data hidden. */
function maskedTrack(track: string): string {
  const sep = track.search(/[D=]/);
  return (sep > 0 ? masked(track.substring(0, sep)) : "?") + " (rest of track hidden)";
}

export interface TreeNode {
  tag: string;
  name: string;
  value?: string;
  children?: TreeNode[];
}

function tree(nodes: TlvNode[]): TreeNode[] {
  return nodes.map((n) => {
    const info = emvTag(n.tag);
    const name = info === undefined ? "?" : info.name;
    if (n.children !== undefined) return { tag: n.tag, name, children: tree(n.children) };
    const v = n.value as Bytes;
    let value = toHex(v);
    if (n.tag === "5A") value = masked(value.replace(/F+$/, ""));
    else if (ICC_CARD_DATA_TAGS.indexOf(n.tag) >= 0) value = "(" + len(v) + " bytes of card data, hidden)";
    return { tag: n.tag, name, value };
  });
}

export interface WireField {
  no: number;
  format: string;
  name: string;
  value: string;
  tree?: TreeNode[];
}

export interface WireEntry {
  n: number;
  t_ms: number;
  dir: "out" | "in";
  bytes: number;
  mti: string;
  stan: string;
  rc: string;
  fields: WireField[];
  error?: string;
}

function fieldValue(no: number, v: string): { value: string; tree?: TreeNode[] } {
  if (no === 2) return { value: masked(v) };
  if (no === 35 || no === 36) return { value: maskedTrack(v) };
  if (no === 52) return { value: "(PIN block, " + v.length / 2 + " bytes, encrypted)" };
  if (no !== 55) return { value: v };
  try {
    const b = fromHex(v);
    return { value: "(" + len(b) + " bytes of ICC data)", tree: tree(decodeTlv(b, 0, len(b))) };
  } catch (e) {
    return { value: "(" + v.length / 2 + " bytes, not valid BER-TLV: " + errorText(e) + "; hidden)" };
  }
}

/** One wire frame decoded for the page, card data masked. */
export function wireEntry(n: number, dir: "out" | "in", frame: Uint8Array): WireEntry {
  const e: WireEntry = { n, t_ms: Date.now(), dir, bytes: frame.length, mti: "?", stan: "", rc: "", fields: [] };
  try {
    const { msg } = unpackWire(SPEC, frame as unknown as Bytes);
    e.mti = msg.mti;
    e.stan = msg.fields["11"] ?? "";
    e.rc = msg.fields["39"] ?? "";
    for (const no of fieldNumbers(msg)) {
      const d = fieldDef(SPEC, no) as FieldDef;
      const v = fieldValue(no, msg.fields[String(no)]);
      e.fields.push({ no, format: FORMAT_NAMES[d.fmt] + d.max, name: d.name, ...v });
    }
  } catch (err) {
    e.error = "undecodable frame: " + errorText(err);
  }
  return e;
}

export interface JournalView {
  batch: number;
  fill_percent: number;
  torn_tail: string;
  corrupt: string[];
  txns: { batch: number; stan: number; kind: string; state: string; amount_minor: number; pan: string; rrn: string; rc: string; refunded_minor: number; time: string; advice: string }[];
  reversals: { id: number; batch: number; stan: number; reason: string; attempts: number; state: string }[];
  audit: { [k: string]: unknown }[];
  audit_dropped: number;
  error?: string;
}

/** The journal of the image's first DEVICE_SECTOR_COUNT pages, opened read-only. */
export function journalView(image: Buffer): JournalView {
  const bytes = DEVICE_SECTOR_COUNT * FLASH_PAGE_BYTES;
  const empty: JournalView = { batch: 0, fill_percent: 0, torn_tail: "", corrupt: [], txns: [], reversals: [], audit: [], audit_dropped: 0 };
  try {
    const f = new NorFlash({ sector_bytes: FLASH_PAGE_BYTES, sector_count: DEVICE_SECTOR_COUNT, prog_bytes: 1, page_bytes: 256, seed: 1 });
    f.load(new Uint8Array(image.subarray(0, bytes)) as unknown as Bytes);
    const j = openJournal(f, { maxTxnsPerBatch: MAX_SLOTS, maxReversals: 255, warnFillPercent: 80, read_only: true });
    // the app's own advisor answers "can it be cancelled?", as menu 5 does on the terminal
    const store = storeOf(j, new MemoryAppStore());
    const settled = new SettledIndex(store);
    const txns = j.allTxns().map((t) => {
      const a = advise(originalOf(j, t, settled.findTrace(t.batch, t.stan)));
      return {
        batch: t.batch, stan: t.stan, kind: KIND_NAMES[t.kind] ?? "?", state: STATE_NAMES[t.state] ?? "?", amount_minor: t.amount_minor,
        pan: t.panMasked, rrn: t.rrn, rc: t.respCode, refunded_minor: t.refunded_minor, time: t.time,
        advice: a.state + " — " + a.action + (a.refundable_minor > 0 ? " up to " + formatMinor(a.refundable_minor) : "") + ": " + a.reason,
      };
    });
    return {
      batch: j.batch(), fill_percent: j.fillPercent(), torn_tail: j.report.torn_tail, corrupt: j.report.corrupt, txns,
      reversals: j.reversals().map((r) => ({ id: r.id, batch: r.batch, stan: r.stan, reason: r.reason, attempts: r.attempts, state: REVERSAL_STATES[r.state] ?? "?" })),
      audit: store.auditEntries().map((e) => ({ ...e })),
      audit_dropped: store.auditDropped(),
    };
  } catch (e) {
    return { ...empty, error: "journal unreadable: " + errorText(e) };
  }
}

function formatMinor(v: number): string {
  return Math.floor(v / 100) + "." + String(100 + (v % 100)).substring(1);
}

export interface CardBooks {
  pan: string;
  opening_minor: number;
  balance_minor: number;
  txns: { kind: string; tid: string; batch: string; stan: string; amount_minor: number; rrn: string; rc: string; state: string }[];
}

/** The simulator's books per card (accounts with activity first), PANs masked. */
export function ledgerView(core: AcquirerCore): CardBooks[] {
  const byPan = new Map<string, CardBooks>();
  for (const a of core.book.accounts.values()) byPan.set(a.pan, { pan: masked(a.pan), opening_minor: a.opening_minor, balance_minor: a.balance_minor, txns: [] });
  for (const t of core.book.txns) {
    const b = byPan.get(t.pan);
    if (b === undefined) continue;
    const state = !t.approved ? "declined " + t.rc : t.reversed ? "reversed" : t.voided ? "voided" : t.refunded_minor > 0 ? "refunded " + t.refunded_minor : "approved";
    b.txns.push({ kind: t.kind, tid: t.tid, batch: t.batch, stan: t.stan, amount_minor: t.amount_minor, rrn: t.rrn, rc: t.rc, state });
  }
  return [...byPan.values()].sort((a, b) => b.txns.length - a.txns.length);
}
