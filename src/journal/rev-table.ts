// The RAM index of the reversal FIFO: one fixed slot per kept reversal in ascending id
// order, pointing at its full record and newest update on flash.
import { Bytes, alloc, copy, fill, get, set } from "../bytes/index";
import { fail } from "../errors";
import { REV_COMPLETED } from "./api";
import {
  NO_ADDR, RV_ATTEMPTS, RV_BATCH, RV_FULL, RV_FULL_LEN, RV_ID, RV_REASON, RV_SLOT_BYTES, RV_STAN, RV_STATE, RV_UPD, RV_UPD_LEN,
  getCode2, getU16, getU24, getU32, setCode2, setU16, setU24, setU32,
} from "./index-slots";

/** Internal reversal state: disarmed (removed). */
export const REV_DISARMED = 0;

export class RevTable {
  readonly max: number;
  readonly rv: Bytes;
  n = 0;

  constructor(max: number) {
    this.max = max;
    this.rv = alloc(max * RV_SLOT_BYTES);
  }

  /** Slot of reversal `id`, or -1. */
  find(id: number): number {
    let i = -1;
    for (let k = 0; k < this.n; k++) if (this.id(k) === id) i = k;
    return i;
  }

  id(i: number): number {
    return getU32(this.rv, i * RV_SLOT_BYTES + RV_ID);
  }

  batchOf(i: number): number {
    return getU24(this.rv, i * RV_SLOT_BYTES + RV_BATCH);
  }

  stanOf(i: number): number {
    return getU24(this.rv, i * RV_SLOT_BYTES + RV_STAN);
  }

  state(i: number): number {
    return get(this.rv, i * RV_SLOT_BYTES + RV_STATE);
  }

  attempts(i: number): number {
    return get(this.rv, i * RV_SLOT_BYTES + RV_ATTEMPTS);
  }

  reason(i: number): string {
    return getCode2(this.rv, i * RV_SLOT_BYTES + RV_REASON);
  }

  full(i: number): number {
    return getU24(this.rv, i * RV_SLOT_BYTES + RV_FULL);
  }

  fullLen(i: number): number {
    return getU16(this.rv, i * RV_SLOT_BYTES + RV_FULL_LEN);
  }

  upd(i: number): number {
    return getU24(this.rv, i * RV_SLOT_BYTES + RV_UPD);
  }

  /** Points the FIFO at a reversal record (`full`: arm/copy, else an update); finished ones leave the FIFO. */
  apply(id: number, batch: number, stan: number, reason: string, attempts: number, state: number, addr: number, span: number, full: boolean): void {
    let i = this.find(id);
    const gone = state === REV_DISARMED || state === REV_COMPLETED;
    if (i < 0 && (gone || !full)) return;
    if (gone) {
      this.remove(i);
      return;
    }
    if (i < 0) i = this.insert(id, batch, stan);
    const at = i * RV_SLOT_BYTES;
    set(this.rv, at + RV_STATE, state);
    set(this.rv, at + RV_ATTEMPTS, attempts);
    setCode2(this.rv, at + RV_REASON, reason);
    if (full) {
      setU24(this.rv, at + RV_FULL, addr);
      setU16(this.rv, at + RV_FULL_LEN, span);
      setU24(this.rv, at + RV_UPD, NO_ADDR);
    } else {
      setU24(this.rv, at + RV_UPD, addr);
      setU16(this.rv, at + RV_UPD_LEN, span);
    }
  }

  /** A new slot for `id`, kept in ascending id order (the FIFO order). */
  private insert(id: number, batch: number, stan: number): number {
    if (this.n >= this.max) fail("journal", "recovery: more than " + this.max + " reversals kept (maxReversals too small for this image)");
    let i = this.n;
    while (i > 0 && this.id(i - 1) > id) {
      copy(this.rv, (i - 1) * RV_SLOT_BYTES, this.rv, i * RV_SLOT_BYTES, RV_SLOT_BYTES);
      i--;
    }
    this.n++;
    const at = i * RV_SLOT_BYTES;
    fill(this.rv, at, RV_SLOT_BYTES, 0);
    setU32(this.rv, at + RV_ID, id);
    setU24(this.rv, at + RV_BATCH, batch);
    setU24(this.rv, at + RV_STAN, stan);
    return i;
  }

  remove(i: number): void {
    for (let k = i; k < this.n - 1; k++) copy(this.rv, (k + 1) * RV_SLOT_BYTES, this.rv, k * RV_SLOT_BYTES, RV_SLOT_BYTES);
    this.n--;
  }

  /** Removes the reversals with the given ids (dropped by a settlement). */
  drop(ids: number[]): void {
    for (let k = 0; k < ids.length; k++) {
      for (let i = 0; i < this.n; i++) {
        if (this.id(i) === ids[k]) {
          this.remove(i);
          break;
        }
      }
    }
  }

  /** Ids of the reversals in `state`, FIFO order. */
  idsIn(state: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.state(i) === state) out.push(this.id(i));
    return out;
  }

  /** Bytes charged by the capacity rule: each full record plus `perRev`. */
  charged(perRev: number): number {
    let total = 0;
    for (let i = 0; i < this.n; i++) total += this.fullLen(i) + perRev;
    return total;
  }
}
