// RAM index of the app's records: the audit FIFO (ascending id) and the blob slots.
import { Bytes, alloc, copy, get, set } from "../bytes/index";
import { fail } from "../errors";
import { APP_BLOB_SLOTS, AUDIT_MAX } from "./api";
import { NO_ADDR, getU16, getU24, getU32, setU16, setU24, setU32 } from "./index-slots";

/** Audit slot: id u32 | addr u24 | span u16. */
const AU_ID = 0;
const AU_ADDR = 4;
const AU_SPAN = 7;
export const AU_SLOT_BYTES = 9;
/** Blob slot: present u8 | addr u24 | span u16. */
const BL_HAS = 0;
const BL_ADDR = 1;
const BL_SPAN = 4;
export const BL_SLOT_BYTES = 6;

export class AuditTable {
  readonly au: Bytes = alloc(AUDIT_MAX * AU_SLOT_BYTES);
  n = 0;

  id(i: number): number {
    return getU32(this.au, i * AU_SLOT_BYTES + AU_ID);
  }

  addr(i: number): number {
    return getU24(this.au, i * AU_SLOT_BYTES + AU_ADDR);
  }

  span(i: number): number {
    return getU16(this.au, i * AU_SLOT_BYTES + AU_SPAN);
  }

  /** Points entry `id` at its record (a new entry, or a copy moved by reclaim); ids at or below `dropThrough` are gone. */
  apply(id: number, addr: number, span: number, dropThrough: number): void {
    if (id <= dropThrough) return;
    let i = 0;
    while (i < this.n && this.id(i) < id) i++;
    if (i >= this.n || this.id(i) !== id) {
      if (this.n >= AUDIT_MAX) fail("journal", "recovery: more than " + AUDIT_MAX + " audit records kept");
      for (let k = this.n; k > i; k--) copy(this.au, (k - 1) * AU_SLOT_BYTES, this.au, k * AU_SLOT_BYTES, AU_SLOT_BYTES);
      this.n++;
      setU32(this.au, i * AU_SLOT_BYTES + AU_ID, id);
    }
    setU24(this.au, i * AU_SLOT_BYTES + AU_ADDR, addr);
    setU16(this.au, i * AU_SLOT_BYTES + AU_SPAN, span);
  }

  /** Forgets every entry with id <= `through` (FIFO front). */
  dropThrough(through: number): void {
    let k = 0;
    while (k < this.n && this.id(k) <= through) k++;
    if (k === 0) return;
    for (let i = k; i < this.n; i++) copy(this.au, i * AU_SLOT_BYTES, this.au, (i - k) * AU_SLOT_BYTES, AU_SLOT_BYTES);
    this.n -= k;
  }

  charged(): number {
    let t = 0;
    for (let i = 0; i < this.n; i++) t += this.span(i);
    return t;
  }
}

export class BlobTable {
  readonly bl: Bytes = alloc(APP_BLOB_SLOTS * BL_SLOT_BYTES);

  has(slot: number): boolean {
    return get(this.bl, slot * BL_SLOT_BYTES + BL_HAS) !== 0;
  }

  addr(slot: number): number {
    return this.has(slot) ? getU24(this.bl, slot * BL_SLOT_BYTES + BL_ADDR) : NO_ADDR;
  }

  span(slot: number): number {
    return this.has(slot) ? getU16(this.bl, slot * BL_SLOT_BYTES + BL_SPAN) : 0;
  }

  apply(slot: number, addr: number, span: number): void {
    if (slot < 0 || slot >= APP_BLOB_SLOTS) fail("journal", "app blob record for slot " + slot);
    set(this.bl, slot * BL_SLOT_BYTES + BL_HAS, 1);
    setU24(this.bl, slot * BL_SLOT_BYTES + BL_ADDR, addr);
    setU16(this.bl, slot * BL_SLOT_BYTES + BL_SPAN, span);
  }

  clear(): void {
    for (let s = 0; s < APP_BLOB_SLOTS; s++) set(this.bl, s * BL_SLOT_BYTES + BL_HAS, 0);
  }

  charged(): number {
    let t = 0;
    for (let s = 0; s < APP_BLOB_SLOTS; s++) t += this.span(s);
    return t;
  }
}
