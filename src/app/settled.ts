// A bounded index of settled sales, so a refund after settlement is capped at what is left
// of the original even when the journal has reclaimed the batch: batch, trace, RRN, date,
// amount, refunded so far and the share of the batch counted last, newest last, in app blob
// slots FIRST_SLOT..LAST_SLOT. A slot is FORMAT_V2 then PER_SLOT entries of ENTRY_BYTES; a slot
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

/** The engine keeps it (TxnEngine option `settled`): sales added at settlement, refunds counted. */
export class SettledIndex implements SettledSales {
  private st: AppStore;
  items: SettledSale[];

  constructor(st: AppStore) {
    this.st = st;
    this.items = [];
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const b = this.st.getAppBlob(s);
      if (b === undefined || len(b) === 0) continue;
      const v2 = get(b, 0) === FORMAT_V2;
      const size = v2 ? ENTRY_BYTES : V1_ENTRY_BYTES;
      const n = Math.floor((len(b) - (v2 ? 1 : 0)) / size);
      for (let i = 0; i < n && i < V1_PER_SLOT; i++) this.items.push(decode(b, (v2 ? 1 : 0) + i * size, v2));
    }
    const extra = this.items.length - MAX_SETTLED;
    if (extra > 0) this.items.splice(0, extra);
  }

  /** The settled sale with RRN `rrn`, or undefined. */
  find(rrn: string): SettledSale | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].rrn === rrn) return this.items[i];
    return undefined;
  }

  findTrace(batch: number, stan: number): SettledSale | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].stan === stan && (batch === 0 || this.items[i].batch === batch)) return this.items[i];
    return undefined;
  }

  /** Adds the sales of a settled batch (those without a numeric 12-digit RRN cannot be kept); one kept already is updated. */
  add(sales: SettledSale[]): void {
    for (let i = 0; i < sales.length; i++) {
      if (!isDigits(sales[i].rrn, 12) || !isDigits(sales[i].date, 4)) continue;
      const kept = this.findTrace(sales[i].batch, sales[i].stan);
      if (kept !== undefined && kept.rrn === sales[i].rrn) {
        kept.amount_minor = sales[i].amount_minor;
        kept.refunded_minor = sales[i].refunded_minor;
        continue;
      }
      if (this.items.length >= MAX_SETTLED) this.items.shift();
      this.items.push(sales[i]);
    }
    this.save();
  }

  /** Counts the approved refunds of `batch` against a settled sale as that batch's share (idempotent). */
  countRefunds(rrn: string, batch: number, batch_minor: number): void {
    const s = this.find(rrn);
    if (s === undefined) return;
    settledBatchRefunds(s, batch, batch_minor);
    this.save();
  }

  private save(): void {
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const from = (s - FIRST_SLOT) * PER_SLOT;
      const n = this.items.length - from > PER_SLOT ? PER_SLOT : this.items.length - from > 0 ? this.items.length - from : 0;
      const b = alloc(n === 0 ? 0 : 1 + n * ENTRY_BYTES);
      if (n > 0) set(b, 0, FORMAT_V2);
      for (let i = 0; i < n; i++) encode(this.items[from + i], b, 1 + i * ENTRY_BYTES);
      this.st.putAppBlob(s, b);
    }
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
