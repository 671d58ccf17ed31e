// A bounded index of settled sales, so a refund after settlement is capped at what is left
// of the original even when the journal has reclaimed the batch: batch, trace, RRN, date,
// amount, refunded so far and the share of the batch counted last, newest last, in app blob
// slots FIRST_SLOT..LAST_SLOT (read on demand, not held in RAM). A slot is FORMAT_V2 then PER_SLOT entries of ENTRY_BYTES; a slot
// without that first byte is read in the earlier format (24-byte entries, no batch share: its
// first byte is a batch's high byte, at most 0x0F).
import { Bytes, alloc, bcdDecode, bcdEncode, copy, fill, get, len, readU32, set, writeU32 } from "../bytes/index";
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

/**
 * The engine keeps it (TxnEngine option `settled`): sales added at settlement, refunds counted.
 * Nothing is held between uses: a lookup reads the slots into one buffer of MAX_SETTLED *
 * ENTRY_BYTES, decodes only the entry it finds and lets the buffer go; a settlement keeps the
 * buffer while it adds and counts, until `save` writes the slots.
 */
export class SettledIndex implements SettledSales {
  private st: AppStore;
  /** Every entry (newest last), `n` of them, while a settlement changes the index; else undefined. */
  private buf: Bytes | undefined;
  private n: number;

  constructor(st: AppStore) {
    this.st = st;
    this.buf = undefined;
    this.n = 0;
  }

  /** The settled sale with RRN `rrn`, or undefined. */
  find(rrn: string): SettledSale | undefined {
    return isDigits(rrn, 12) ? this.pick(rrn, 0, 0) : undefined;
  }

  /** The newest settled sale with this trace (`batch` 0: any batch; `stan` 0: the newest of all), or undefined. */
  findTrace(batch: number, stan: number): SettledSale | undefined {
    return this.pick("", batch, stan);
  }

  /** Adds a sale of a settled batch (one without a numeric 12-digit RRN cannot be kept); one kept already is updated. Kept in RAM until `save`. */
  add(x: SettledSale): void {
    if (!isDigits(x.rrn, 12) || !isDigits(x.date, 4)) return;
    const buf = this.load();
    const k = this.indexOf("", x.batch, x.stan);
    if (k >= 0 && bcdDecode(buf, k * ENTRY_BYTES + 6, 12, "left", "settled index") === x.rrn) {
      putU40(buf, k * ENTRY_BYTES + 14, x.amount_minor);
      putU40(buf, k * ENTRY_BYTES + 19, x.refunded_minor);
      return;
    }
    if (this.n >= MAX_SETTLED) {
      copy(buf, ENTRY_BYTES, buf, 0, (MAX_SETTLED - 1) * ENTRY_BYTES);
      this.n = MAX_SETTLED - 1;
    }
    encode(x, buf, this.n * ENTRY_BYTES);
    this.n++;
  }

  /** Counts the approved refunds of `batch` against a settled sale as that batch's share (idempotent); kept in RAM until `save`. */
  countRefunds(rrn: string, batch: number, batch_minor: number): void {
    if (!isDigits(rrn, 12)) return;
    const buf = this.load();
    const k = this.indexOf(rrn, 0, 0);
    if (k < 0) return;
    const s = decode(buf, k * ENTRY_BYTES);
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

  /** Every entry in one buffer (the newest MAX_SETTLED; the earlier format held more per slot), read from the slots unless held. */
  private load(): Bytes {
    if (this.buf !== undefined) return this.buf;
    const buf = alloc(MAX_SETTLED * ENTRY_BYTES);
    this.buf = buf;
    this.n = 0;
    for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
      const b = this.st.getAppBlob(s);
      if (b === undefined || len(b) === 0) continue;
      const v2 = get(b, 0) === FORMAT_V2;
      const size = v2 ? ENTRY_BYTES : V1_ENTRY_BYTES;
      const count = Math.floor((len(b) - (v2 ? 1 : 0)) / size);
      for (let i = 0; i < count && i < V1_PER_SLOT; i++) {
        if (this.n >= MAX_SETTLED) {
          copy(buf, ENTRY_BYTES, buf, 0, (MAX_SETTLED - 1) * ENTRY_BYTES);
          this.n = MAX_SETTLED - 1;
        }
        // an entry of the earlier format is the first 24 bytes of one of this format (no batch share: zeros)
        copy(b, (v2 ? 1 : 0) + i * size, buf, this.n * ENTRY_BYTES, size);
        fill(buf, this.n * ENTRY_BYTES + size, ENTRY_BYTES - size, 0);
        this.n++;
      }
    }
    return buf;
  }

  /** The newest entry with RRN `rrn` (not ""), else with trace `stan` (and `batch`, 0: any; `stan` 0: any), or -1. */
  private indexOf(rrn: string, batch: number, stan: number): number {
    const buf = this.buf as Bytes;
    const want = rrn === "" ? undefined : bcdEncode(rrn, "left");
    for (let i = this.n - 1; i >= 0; i--) {
      const at = i * ENTRY_BYTES;
      let same = true;
      if (want !== undefined) {
        for (let k = 0; k < 6; k++) if (get(buf, at + 6 + k) !== get(want, k)) same = false;
      } else same = (stan === 0 || getU24(buf, at + 3) === stan) && (batch === 0 || getU24(buf, at) === batch);
      if (same) return i;
    }
    return -1;
  }

  /** The entry `indexOf` finds, decoded; the buffer is let go again unless a settlement holds it. */
  private pick(rrn: string, batch: number, stan: number): SettledSale | undefined {
    const held = this.buf !== undefined;
    const buf = this.load();
    const k = this.indexOf(rrn, batch, stan);
    const s = k < 0 ? undefined : decode(buf, k * ENTRY_BYTES);
    if (!held) {
      this.buf = undefined;
      this.n = 0;
    }
    return s;
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

function decode(b: Bytes, at: number): SettledSale {
  return {
    batch: getU24(b, at), stan: getU24(b, at + 3), rrn: bcdDecode(b, at + 6, 12, "left", "settled index"),
    date: bcdDecode(b, at + 12, 4, "left", "settled index"), amount_minor: getU40(b, at + 14), refunded_minor: getU40(b, at + 19),
    refundBatch: getU24(b, at + 24), refundBatch_minor: getU40(b, at + 27),
  };
}
