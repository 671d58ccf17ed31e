// Downloaded chip-card parameters and CA public keys in their own NOR region: two banks of
// BANK_SECTORS sectors each. A download writes into the bank not in use: a header (magic, generation), then
// one item per CA key or AID (kind, length, its TLVs as field 62 carried them, CRC-32), then a
// commit item whose CRC-32 covers the whole bank up to it. Only a committed bank is read; the
// newest committed one is current. A download cut short (power lost, link lost) leaves a bank
// without a commit: it is never taken as complete, `interrupted()` says so, and the next
// download starts that bank again from its erase. Fixed memory: one item buffer, bounded counts.
import { Bytes, alloc, copy, crc32, get, len, readU16, readU32, set, slice, writeU16, writeU32 } from "../bytes/index";
import { fail } from "../errors";
import { FLASH_OK, Flash } from "../../hal/flash";

export const KIND_KEY = 1;
export const KIND_AID = 2;
const KIND_COMMIT = 0x7e;
const ERASED = 0xff;
/** Most CA public keys and AID parameter sets kept (UnionPay hosts list 15 and more keys). */
export const MAX_CA_KEYS = 20;
export const MAX_AIDS = 16;
/** Longest item (the TLVs of one CA key: a 248-byte modulus and the rest). */
export const MAX_ITEM_BYTES = 320;
/** Sectors per bank, and the region's (two banks). */
export const BANK_SECTORS = 2;
export const PARAM_SECTORS = 2 * BANK_SECTORS;
const HEADER_BYTES = 16;
const ITEM_HEAD = 4;
const ITEM_TAIL = 4;
const ALIGN = 4;
/** Most items walked in one bank (keys, AIDs, commit). */
export const MAX_BANK_ITEMS = MAX_CA_KEYS + MAX_AIDS + 1;
const MAGIC = 0x50524d31;

export interface BankState {
  gen: number;
  /** What the download that wrote it fetched (KIND_KEY or KIND_AID). */
  kind: number;
  /** Offset after the last good item. */
  end: number;
  complete: boolean;
  keys: number;
  aids: number;
  /** Offsets of the items (keys and AIDs), in order. */
  at: number[];
}

function roundUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

export class ParamStore {
  private f: Flash;
  private buf: Bytes;
  private banks: BankState[];
  private cur: number;
  private target: number;
  private w: number;

  constructor(f: Flash) {
    const g = f.geometry;
    if (g.sector_count < PARAM_SECTORS) fail("params", "region needs " + PARAM_SECTORS + " sectors, has " + g.sector_count);
    if (g.prog_bytes > ALIGN || ALIGN % g.prog_bytes !== 0) fail("params", "program unit " + g.prog_bytes + " bytes does not divide " + ALIGN);
    this.f = f;
    this.buf = alloc(MAX_ITEM_BYTES + ITEM_HEAD + ITEM_TAIL + ALIGN);
    this.banks = [this.scan(0), this.scan(1)];
    this.cur = this.newest();
    this.target = -1;
    this.w = 0;
  }

  /** The bank in use (-1: nothing downloaded yet) and its generation. */
  current(): BankState | undefined {
    return this.cur < 0 ? undefined : this.banks[this.cur];
  }

  /** True when the newest bank started is not complete (a download was cut short). */
  interrupted(): boolean {
    const other = this.cur < 0 ? (this.banks[0].gen >= this.banks[1].gen ? 0 : 1) : 1 - this.cur;
    const b = this.banks[other];
    return b.gen > 0 && !b.complete && (this.cur < 0 || b.gen > this.banks[this.cur].gen);
  }

  /** The TLVs of the current bank's items of `kind`, in download order. */
  items(kind: number): Bytes[] {
    const out: Bytes[] = [];
    if (this.cur < 0) return out;
    const b = this.banks[this.cur];
    for (let i = 0; i < b.at.length; i++) {
      const n = this.readItem(this.cur, b.at[i]);
      if (n >= 0 && get(this.buf, 0) === kind) out.push(slice(this.buf, ITEM_HEAD, n - ITEM_HEAD));
    }
    return out;
  }

  /** The kind (KIND_KEY or KIND_AID) of the download cut short, 0 when none was. */
  interruptedKind(): number {
    if (!this.interrupted()) return 0;
    const b = this.cur < 0 ? (this.banks[0].gen >= this.banks[1].gen ? 0 : 1) : 1 - this.cur;
    return this.banks[b].kind;
  }

  /** Starts a download of `kind`: erases the other bank, writes its header, copies the current items of `keep` (0: none). */
  begin(keep: number, kind: number): void {
    const keepItems = keep === 0 ? [] : this.items(keep);
    const t = this.cur < 0 ? 0 : 1 - this.cur;
    const gen = 1 + (this.banks[0].gen > this.banks[1].gen ? this.banks[0].gen : this.banks[1].gen);
    for (let k = 0; k < BANK_SECTORS; k++) if (this.f.erase(t * BANK_SECTORS + k) !== FLASH_OK) fail("params", "erase of bank " + t + " failed");
    this.banks[t] = { gen: gen, kind: kind, end: HEADER_BYTES, complete: false, keys: 0, aids: 0, at: [] };
    const h = alloc(HEADER_BYTES);
    for (let i = 0; i < HEADER_BYTES; i++) set(h, i, 0);
    writeU32(h, 0, MAGIC);
    writeU32(h, 4, gen);
    set(h, 8, kind);
    this.program(t, 0, h, HEADER_BYTES);
    this.target = t;
    this.w = HEADER_BYTES;
    for (let i = 0; i < keepItems.length; i++) this.add(keep, keepItems[i]);
  }

  /** Appends one item (a CA key or an AID's parameters, as TLVs) to the download in progress. */
  add(kind: number, tlv: Bytes): void {
    const t = this.target;
    if (t < 0) fail("params", "no download in progress");
    const b = this.banks[t];
    if (kind === KIND_KEY && b.keys >= MAX_CA_KEYS) fail("params", "more than " + MAX_CA_KEYS + " CA public keys");
    if (kind === KIND_AID && b.aids >= MAX_AIDS) fail("params", "more than " + MAX_AIDS + " AID parameter sets");
    if (len(tlv) > MAX_ITEM_BYTES) fail("params", "item of " + len(tlv) + " bytes, at most " + MAX_ITEM_BYTES);
    const at = this.w;
    this.w = this.writeItem(t, at, kind, tlv);
    b.at.push(at);
    b.end = this.w;
    if (kind === KIND_KEY) b.keys++;
    else b.aids++;
  }

  /** Ends the download: the commit item makes the bank complete and current. */
  commit(): void {
    const t = this.target;
    if (t < 0) fail("params", "no download in progress");
    const body = alloc(8);
    writeU16(body, 0, this.banks[t].keys);
    writeU16(body, 2, this.banks[t].aids);
    writeU32(body, 4, this.bankCrc(t, this.w));
    this.writeItem(t, this.w, KIND_COMMIT, body);
    this.banks[t].complete = true;
    this.cur = t;
    this.target = -1;
  }

  private newest(): number {
    const a = this.banks[0];
    const b = this.banks[1];
    if (a.complete && (!b.complete || a.gen > b.gen)) return 0;
    return b.complete ? 1 : -1;
  }

  private sectorBase(bank: number): number {
    return bank * this.bankBytes();
  }

  private bankBytes(): number {
    return BANK_SECTORS * this.f.geometry.sector_bytes;
  }

  private program(bank: number, off: number, src: Bytes, n: number): void {
    const page = this.f.geometry.page_bytes;
    const base = this.sectorBase(bank);
    let done = 0;
    for (let k = 0; k < n && done < n; k++) {
      const addr = base + off + done;
      const room = page - (addr % page);
      const step = n - done < room ? n - done : room;
      if (this.f.program(addr, src, done, step) !== FLASH_OK) fail("params", "program at bank " + bank + " offset " + (off + done) + " failed");
      done += step;
    }
  }

  private writeItem(bank: number, at: number, kind: number, body: Bytes): number {
    const n = len(body);
    const total = roundUp(ITEM_HEAD + n + ITEM_TAIL);
    if (at + total > this.bankBytes()) fail("params", "parameter region full (" + at + " of " + this.bankBytes() + " bytes of a bank used)");
    const b = this.buf;
    for (let i = 0; i < total; i++) set(b, i, 0);
    set(b, 0, kind);
    set(b, 1, 0);
    writeU16(b, 2, n);
    copy(body, 0, b, ITEM_HEAD, n);
    writeU32(b, ITEM_HEAD + n, crc32(b, 0, ITEM_HEAD + n));
    this.program(bank, at, b, total);
    return at + total;
  }

  /** Reads the item at `at` into the buffer; its body length, or -1 when absent or damaged. */
  private readItem(bank: number, at: number): number {
    const size = this.bankBytes();
    if (at + ITEM_HEAD + ITEM_TAIL > size) return -1;
    if (this.f.read(this.sectorBase(bank) + at, this.buf, 0, ITEM_HEAD) !== FLASH_OK) return -1;
    const n = readU16(this.buf, 2);
    if (get(this.buf, 0) === ERASED || n > MAX_ITEM_BYTES || at + roundUp(ITEM_HEAD + n + ITEM_TAIL) > size) return -1;
    if (this.f.read(this.sectorBase(bank) + at + ITEM_HEAD, this.buf, ITEM_HEAD, n + ITEM_TAIL) !== FLASH_OK) return -1;
    return readU32(this.buf, ITEM_HEAD + n) === crc32(this.buf, 0, ITEM_HEAD + n) ? ITEM_HEAD + n : -1;
  }

  private bankCrc(bank: number, end: number): number {
    let c = 0;
    const step = MAX_ITEM_BYTES;
    for (let at = 0; at < end; at += step) {
      const n = end - at < step ? end - at : step;
      if (this.f.read(this.sectorBase(bank) + at, this.buf, 0, n) !== FLASH_OK) return -1;
      c = crc32(this.buf, 0, n, c);
    }
    return c;
  }

  private scan(bank: number): BankState {
    const s: BankState = { gen: 0, kind: 0, end: 0, complete: false, keys: 0, aids: 0, at: [] };
    const h = alloc(9);
    if (this.f.read(this.sectorBase(bank), h, 0, 9) !== FLASH_OK || readU32(h, 0) !== MAGIC) return s;
    s.gen = readU32(h, 4);
    s.kind = get(h, 8);
    let at = HEADER_BYTES;
    for (let i = 0; i < MAX_BANK_ITEMS + 1; i++) {
      const n = this.readItem(bank, at);
      if (n < 0) break;
      const kind = get(this.buf, 0);
      if (kind === KIND_COMMIT) {
        const want = readU32(this.buf, ITEM_HEAD + 4);
        const keys = readU16(this.buf, ITEM_HEAD);
        const aids = readU16(this.buf, ITEM_HEAD + 2);
        s.complete = want === this.bankCrc(bank, at) && keys === s.keys && aids === s.aids;
        break;
      }
      if (kind === KIND_KEY) s.keys++;
      else if (kind === KIND_AID) s.aids++;
      else break;
      s.at.push(at);
      at += roundUp(n + ITEM_TAIL);
    }
    s.end = at;
    return s;
  }
}
