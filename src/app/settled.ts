// A bounded index of settled sales, so a refund after settlement is capped at what is left
// of the original even when the journal has reclaimed the batch: batch, trace, RRN, date,
// amount, refunded so far and the share of the batch counted last, newest last, in app blob
// slots FIRST_SLOT..LAST_SLOT (read on demand, not held in RAM). A slot is FORMAT_V2 then PER_SLOT entries of ENTRY_BYTES; a slot
// without that first byte is read in the earlier format (24-byte entries, no batch share: its
// first byte is a batch's high byte, at most 0x0F).
import { Bytes, alloc, bcdDecode, bcdEncode, copy, get, len, readU32, set, writeU32 } from "../bytes/index";
import { AppStore } from "./store";
import { isDigits as allDigits } from "../text/digits";
import { SettledSale, SettledSales, settledBatchRefunds } from "../txn/types";

export type { SettledSale };

export const FIRST_SLOT = 2;
export const LAST_SLOT = 7;
const ENTRY_BYTES = 32;
const PER_SLOT = 7;
const FORMAT_V2 = 0xa5;
const V1_ENTRY_BYTES = 24;
const V1_PER_SLOT = 10;
/** Most settled sales remembered (older ones drop out first). */
export const MAX_SETTLED = (LAST_SLOT - FIRST_SLOT + 1) * PER_SLOT;
const TWO32 = 4294967296;

function isDigits(s: string, n: number): boolean {
  return s.length === n && allDigits(s);
}

function putU24(b: Bytes, at: number, v: number): void {
  set(b, at, (v >>> 16) & 255);
  set(b, at + 1, (v >>> 8) & 255);
  set(b, at + 2, v & 255);
}

function getU24(b: Bytes, at: number): number {
  return get(b, at) * 65536 + get(b, at + 1) * 256 + get(b, at + 2);
}

function putU40(b: Bytes, at: number, v: number): void {
  set(b, at, Math.floor(v / TWO32) & 255);
  writeU32(b, at + 1, v % TWO32);
}

function getU40(b: Bytes, at: number): number {
  return get(b, at) * TWO32 + readU32(b, at + 1);
}

/** What a lookup matches: an RRN (its 6 BCD bytes), a trace (and batch, 0: any), or the newest entry. */
const M_RRN = 1;
const M_TRACE = 2;
const M_NEWEST = 3;

interface Match {
  how: number;
  rrn: Bytes | undefined;
  batch: number;
  stan: number;
}

function matches(m: Match, b: Bytes, at: number): boolean {
  if (m.how === M_NEWEST) return true;
  if (m.how === M_TRACE) return getU24(b, at + 3) === m.stan && (m.batch === 0 || getU24(b, at) === m.batch);
  const want = m.rrn as Bytes;
  for (let i = 0; i < 6; i++) if (get(b, at + 6 + i) !== get(want, i)) return false;
  return true;
}

/** Entries a stored slot holds, their size, and where the first starts. */
function slotEntries(b: Bytes): number {
  const v2 = get(b, 0) === FORMAT_V2;
  const n = Math.floor((len(b) - (v2 ? 1 : 0)) / (v2 ? ENTRY_BYTES : V1_ENTRY_BYTES));
  return n < V1_PER_SLOT ? n : V1_PER_SLOT;
}

function entryAt(b: Bytes, i: number): number {
  return get(b, 0) === FORMAT_V2 ? 1 + i * ENTRY_BYTES : i * V1_ENTRY_BYTES;
}

/**
 * The engine keeps it (TxnEngine option `settled`): sales added at settlement, refunds counted.
 * Nothing is held between settlements: a lookup reads the slots one at a time and decodes only
 * the entry it finds. A settlement loads every entry into one buffer (MAX_SETTLED * ENTRY_BYTES),
 * adds and counts there, and `save` writes the slots and lets the buffer go.
 */
export class SettledIndex implements SettledSales {
  private st: AppStore;
  /** While a settlement changes the index: every entry (newest last), `n` of them; else undefined. */
  private buf: Bytes | undefined;
  private n: number;

  constructor(st: AppStore) {
    this.st = st;
    this.buf = undefined;
    this.n = 0;
  }

  /** The settled sale with RRN `rrn`, or undefined. */
  find(rrn: string): SettledSale | undefined {
    if (!isDigits(rrn, 12)) return undefined;
    return this.seek({ how: M_RRN, rrn: bcdEncode(rrn, "left"), batch: 0, stan: 0 });
  }

  /** The newest settled sale with this trace (`batch` 0: any batch), or undefined. */
  findTrace(batch: number, stan: number): SettledSale | undefined {
    return this.seek({ how: M_TRACE, rrn: undefined, batch: batch, stan: stan });
  }

  /** The newest settled sale, or undefined. */
  newest(): SettledSale | undefined {
    return this.seek({ how: M_NEWEST, rrn: undefined, batch: 0, stan: 0 });
  }

  /** Adds a sale of a settled batch (one without a numeric 12-digit RRN cannot be kept); one kept already is updated. Kept in RAM until `save`. */
  add(sale: SettledSale): void {
    if (!isDigits(sale.rrn, 12) || !isDigits(sale.date, 4)) return;
    const buf = this.loaded();
    const k = this.indexOf({ how: M_TRACE, rrn: undefined, batch: sale.batch, stan: sale.stan });
    if (k >= 0 && bcdDecode(buf, k * ENTRY_BYTES + 6, 12, "left", "settled index") === sale.rrn) {
      putU40(buf, k * ENTRY_BYTES + 14, sale.amount_minor);
      putU40(buf, k * ENTRY_BYTES + 19, sale.refunded_minor);
      return;
    }
    this.append(buf, sale);
  }

  /** Counts the approved refunds of `batch` against a settled sale as that batch's share (idempotent); kept in RAM until `save`. */
  countRefunds(rrn: string, batch: number, batch_minor: number): void {
    if (!isDigits(rrn, 12)) return;
    const buf = this.loaded();
    const k = this.indexOf({ how: M_RRN, rrn: bcdEncode(rrn, "left"), batch: 0, stan: 0 });
    if (k < 0) return;
    const s = decode(buf, k * ENTRY_BYTES, true);
    settledBatchRefunds(s, batch, batch_minor);
    encode(s, buf, k * ENTRY_BYTES);
  }

  /** Writes the slots from the settlement's buffer, then lets it go. */
  save(): void {
    const buf = this.buf;
    if (buf === undefined) return;
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const from = (s - FIRST_SLOT) * PER_SLOT;
      const n = this.n - from > PER_SLOT ? PER_SLOT : this.n - from > 0 ? this.n - from : 0;
      const b = alloc(n === 0 ? 0 : 1 + n * ENTRY_BYTES);
      if (n > 0) set(b, 0, FORMAT_V2);
      if (n > 0) copy(buf, from * ENTRY_BYTES, b, 1, n * ENTRY_BYTES);
      this.st.putAppBlob(s, b);
    }
    this.buf = undefined;
    this.n = 0;
  }

  /** The settlement's buffer, read from the slots on first use (the newest MAX_SETTLED entries). */
  private loaded(): Bytes {
    if (this.buf !== undefined) return this.buf;
    const buf = alloc(MAX_SETTLED * ENTRY_BYTES);
    this.buf = buf;
    this.n = 0;
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const b = this.st.getAppBlob(s);
      if (b === undefined || len(b) === 0) continue;
      const v2 = get(b, 0) === FORMAT_V2;
      const count = slotEntries(b);
      for (let i = 0; i < count; i++) this.append(buf, decode(b, entryAt(b, i), v2));
    }
    return buf;
  }

  /** Appends an entry to the buffer; the oldest drops out when it is full. */
  private append(buf: Bytes, x: SettledSale): void {
    if (this.n >= MAX_SETTLED) {
      copy(buf, ENTRY_BYTES, buf, 0, (MAX_SETTLED - 1) * ENTRY_BYTES);
      this.n = MAX_SETTLED - 1;
    }
    encode(x, buf, this.n * ENTRY_BYTES);
    this.n++;
  }

  /** The buffer's newest entry `m` matches, or -1. */
  private indexOf(m: Match): number {
    const buf = this.buf as Bytes;
    for (let i = this.n - 1; i >= 0; i--) if (matches(m, buf, i * ENTRY_BYTES)) return i;
    return -1;
  }

  /** The newest entry `m` matches, decoded: from the buffer during a settlement, else read slot by slot (newest last). */
  private seek(m: Match): SettledSale | undefined {
    if (this.buf !== undefined) {
      const k = this.indexOf(m);
      return k < 0 ? undefined : decode(this.buf, k * ENTRY_BYTES, true);
    }
    const total = this.stored();
    let g = total;
    for (let s = LAST_SLOT; s >= FIRST_SLOT; s--) {
      const b = this.st.getAppBlob(s);
      if (b === undefined || len(b) === 0) continue;
      const count = slotEntries(b);
      for (let i = count - 1; i >= 0; i--) {
        g--;
        // older entries beyond MAX_SETTLED (the earlier format held more) are not kept
        if (g < total - MAX_SETTLED) return undefined;
        if (matches(m, b, entryAt(b, i))) return decode(b, entryAt(b, i), get(b, 0) === FORMAT_V2);
      }
    }
    return undefined;
  }

  /** Entries the slots hold (before the MAX_SETTLED bound). */
  private stored(): number {
    let total = 0;
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const b = this.st.getAppBlob(s);
      if (b !== undefined && len(b) > 0) total += slotEntries(b);
    }
    return total;
  }
}

function encode(x: SettledSale, b: Bytes, at: number): void {
  putU24(b, at, x.batch);
  putU24(b, at + 3, x.stan);
  copy(bcdEncode(x.rrn, "left"), 0, b, at + 6, 6);
  copy(bcdEncode(x.date, "left"), 0, b, at + 12, 2);
  putU40(b, at + 14, x.amount_minor);
  putU40(b, at + 19, x.refunded_minor);
  putU24(b, at + 24, x.refundBatch);
  putU40(b, at + 27, x.refundBatch_minor);
}

function decode(b: Bytes, at: number, v2: boolean): SettledSale {
  return {
    batch: getU24(b, at), stan: getU24(b, at + 3), rrn: bcdDecode(b, at + 6, 12, "left", "settled index"),
    date: bcdDecode(b, at + 12, 4, "left", "settled index"), amount_minor: getU40(b, at + 14), refunded_minor: getU40(b, at + 19),
    refundBatch: v2 ? getU24(b, at + 24) : 0, refundBatch_minor: v2 ? getU40(b, at + 27) : 0,
  };
}
