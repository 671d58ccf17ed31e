// Emulated NOR flash, a simulation model (portable: runs on node, es5 and lua; the emulator
// platform exposes it as hal/emulator/nor-flash.ts). Enforces the NOR rules, counts
// wear, and injects faults like littlefs's emulated block device: a power cut at a chosen
// program/erase operation (torn program, interrupted erase, unstable bits that read
// differently on each read) and bad sectors (read, program or erase failures).
import { Bytes } from "../bytes/types";
import { alloc, copy, fill, get, len, set, toHex } from "../bytes/index";
import { fail } from "../errors";
import { Prng, nextBelow, nextByte, prng } from "./prng";
import { FLASH_E_ALIGN, FLASH_E_IO, FLASH_E_RANGE, FLASH_OK, Flash, FlashGeometry } from "../../hal/flash";

/** Bad-sector modes (bit flags). */
export const BAD_READ = 1;
export const BAD_PROGRAM = 2;
export const BAD_ERASE = 4;
/** Torn regions remembered at once; the oldest settles (reads stably) when more arrive. */
export const MAX_UNSTABLE_SPANS = 8;
/** Largest region the emulator accepts, bytes. */
export const MAX_REGION_BYTES = 16777216;
/** Message of the error thrown when the emulated power is cut (and while it stays off). */
export const POWER_LOST = "power lost";

export interface NorOptions extends FlashGeometry {
  /** Seed of the fault PRNG (torn bits, unstable reads). */
  seed: number;
  /** Erase cycles after which a sector's erase fails (0: never). */
  endurance_cycles?: number;
}

interface Span {
  addr: number;
  /** Per byte: bits that read randomly. */
  mask: Bytes;
}

/** NOR flash in RAM. `cut_at` is the index of the program/erase operation that loses power (-1: none). */
export class NorFlash implements Flash {
  readonly geometry: FlashGeometry;
  data: Bytes;
  erases: number[] = [];
  programs: number[] = [];
  bad: number[] = [];
  spans: Span[] = [];
  ops = 0;
  cut_at = -1;
  dead = false;
  bytes_read = 0;
  bytes_programmed = 0;
  /** Reads that will fail (FLASH_E_IO) before reads work again: transient read errors. */
  transient_read_failures = 0;
  /** One bit per byte: programmed by a completed program (not torn, not loaded); erase clears it. */
  committed: Bytes;
  endurance_cycles: number;
  rng: Prng;

  constructor(o: NorOptions) {
    checkGeometry(o);
    this.geometry = { sector_bytes: o.sector_bytes, sector_count: o.sector_count, prog_bytes: o.prog_bytes, page_bytes: o.page_bytes };
    this.data = alloc(o.sector_bytes * o.sector_count);
    fill(this.data, 0, len(this.data), 0xff);
    this.committed = alloc(Math.ceil(len(this.data) / 8));
    for (let s = 0; s < o.sector_count; s++) {
      this.erases.push(0);
      this.programs.push(0);
      this.bad.push(0);
    }
    this.endurance_cycles = o.endurance_cycles === undefined ? 0 : o.endurance_cycles;
    this.rng = prng(o.seed);
  }

  read(addr: number, buf: Bytes, off: number, n: number): number {
    this.alive();
    if (!this.inRange(addr, n) || off < 0 || off + n > len(buf)) return FLASH_E_RANGE;
    if (this.touchesBad(addr, n, BAD_READ)) return FLASH_E_IO;
    if (this.transient_read_failures > 0) {
      this.transient_read_failures--;
      return FLASH_E_IO;
    }
    copy(this.data, addr, buf, off, n);
    this.bytes_read += n;
    for (let i = 0; i < this.spans.length; i++) this.blurSpan(this.spans[i], addr, buf, off, n);
    return FLASH_OK;
  }

  program(addr: number, buf: Bytes, off: number, n: number): number {
    this.alive();
    const g = this.geometry;
    if (!this.inRange(addr, n) || n === 0 || off < 0 || off + n > len(buf)) return FLASH_E_RANGE;
    if (addr % g.prog_bytes !== 0 || n % g.prog_bytes !== 0) return FLASH_E_ALIGN;
    if (Math.floor(addr / g.page_bytes) !== Math.floor((addr + n - 1) / g.page_bytes)) return FLASH_E_ALIGN;
    this.assertProgrammable(addr, buf, off, n);
    const sector = Math.floor(addr / g.sector_bytes);
    const op = this.ops;
    this.ops++;
    this.programs[sector]++;
    if (op === this.cut_at) {
      this.tearProgram(addr, buf, off, n);
      this.powerDown();
    }
    if ((this.bad[sector] & BAD_PROGRAM) !== 0) {
      this.landSome(addr, buf, off, n, nextBelow(this.rng, 256));
      return FLASH_E_IO;
    }
    for (let i = 0; i < n; i++) {
      set(this.data, addr + i, get(this.data, addr + i) & get(buf, off + i));
      this.commit(addr + i, true);
    }
    this.solidify(addr, buf, off, n);
    this.bytes_programmed += n;
    return FLASH_OK;
  }

  erase(sector: number): number {
    this.alive();
    const g = this.geometry;
    if (sector < 0 || sector >= g.sector_count || sector !== Math.floor(sector)) return FLASH_E_RANGE;
    const op = this.ops;
    this.ops++;
    this.erases[sector]++;
    if (op === this.cut_at) {
      this.tearErase(sector);
      this.powerDown();
    }
    const worn = this.endurance_cycles > 0 && this.erases[sector] > this.endurance_cycles;
    if (worn) this.bad[sector] = this.bad[sector] | BAD_ERASE | BAD_PROGRAM;
    if ((this.bad[sector] & BAD_ERASE) !== 0) {
      this.scramble(sector, 128);
      return FLASH_E_IO;
    }
    fill(this.data, sector * g.sector_bytes, g.sector_bytes, 0xff);
    for (let a = sector * g.sector_bytes; a < (sector + 1) * g.sector_bytes; a++) this.commit(a, false);
    this.dropSpans(sector * g.sector_bytes, g.sector_bytes);
    return FLASH_OK;
  }

  /** Restores power after a cut; the next cut is chosen again with `cut_at`. */
  powerOn(): void {
    this.dead = false;
    this.cut_at = -1;
  }

  /** Marks a sector bad for the given modes (BAD_READ | BAD_PROGRAM | BAD_ERASE). */
  setBad(sector: number, modes: number): void {
    this.bad[sector] = modes;
  }

  /** Bit rot: flips bit `bit` of the byte at `addr` (what was programmed stays "programmed"). */
  flipBit(addr: number, bit: number): void {
    set(this.data, addr, get(this.data, addr) ^ (1 << bit));
  }

  /** Multi-byte damage: `n` bytes from `addr` get seeded random values (at least one bit changes in each). */
  damage(addr: number, n: number): void {
    for (let i = 0; i < n; i++) set(this.data, addr + i, get(this.data, addr + i) ^ (1 + nextBelow(this.rng, 255)));
  }

  /** True when the byte at `addr` was written by a completed program since its last erase. */
  isCommitted(addr: number): boolean {
    return (get(this.committed, Math.floor(addr / 8)) & (1 << (addr % 8))) !== 0;
  }

  private commit(addr: number, on: boolean): void {
    const at = Math.floor(addr / 8);
    const m = 1 << (addr % 8);
    const v = get(this.committed, at);
    set(this.committed, at, on ? v | m : v & (m ^ 0xff));
  }

  /** The stored bits (unstable bits at their last settled value); the caller must not modify it. */
  image(): Bytes {
    return this.data;
  }

  /** Replaces the whole content with `img` (same size), e.g. loaded from a file. */
  load(img: Bytes): void {
    if (len(img) !== len(this.data)) fail("nor", "image of " + len(img) + " bytes, region is " + len(this.data));
    copy(img, 0, this.data, 0, len(img));
    fill(this.committed, 0, len(this.committed), 0);
    this.spans = [];
  }

  private alive(): void {
    if (this.dead) fail("nor", POWER_LOST);
  }

  private powerDown(): void {
    this.dead = true;
    fail("nor", POWER_LOST);
  }

  private inRange(addr: number, n: number): boolean {
    return addr >= 0 && n >= 0 && addr === Math.floor(addr) && addr + n <= len(this.data);
  }

  private touchesBad(addr: number, n: number, mode: number): boolean {
    const sb = this.geometry.sector_bytes;
    const last = n === 0 ? addr : addr + n - 1;
    for (let s = Math.floor(addr / sb); s <= Math.floor(last / sb); s++) if ((this.bad[s] & mode) !== 0) return true;
    return false;
  }

  /**
   * NOR rules, asserted: a program may only clear bits, may not leave a bit that a cut left
   * unstable at 1 (programming it to 0 again completes it; see solidify), and nothing a
   * completed program wrote is ever programmed over with other data (only zeros, which retire
   * a torn or damaged tail as filler).
   */
  private assertProgrammable(addr: number, buf: Bytes, off: number, n: number): void {
    for (let i = 0; i < n; i++) {
      const want = get(buf, off + i);
      const have = get(this.data, addr + i);
      if ((want & (have ^ 0xff)) !== 0) {
        fail("nor", "assertion: program sets a 0 bit back to 1 at 0x" + hexAddr(addr + i) + " (" + toHex(this.data, addr + i, 1) + " <- " + toHex(buf, off + i, 1) + ")");
      }
      if ((this.unstableAt(addr + i) & want) !== 0) fail("nor", "assertion: program leaves unstable (torn) bits at 1 at 0x" + hexAddr(addr + i));
      if (this.isCommitted(addr + i) && want !== have && want !== 0) {
        fail("nor", "assertion: program over already-programmed data at 0x" + hexAddr(addr + i) + " (" + toHex(this.data, addr + i, 1) + " <- " + toHex(buf, off + i, 1) + ")");
      }
    }
  }

  private unstableAt(a: number): number {
    let m = 0;
    for (let i = 0; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (a >= s.addr && a < s.addr + len(s.mask)) m = m | get(s.mask, a - s.addr);
    }
    return m;
  }

  /** Unstable bits programmed to 0 become stable 0. */
  private solidify(addr: number, buf: Bytes, off: number, n: number): void {
    for (let k = 0; k < this.spans.length; k++) {
      const s = this.spans[k];
      const from = Math.max(addr, s.addr);
      const to = Math.min(addr + n, s.addr + len(s.mask));
      for (let a = from; a < to; a++) set(s.mask, a - s.addr, get(s.mask, a - s.addr) & get(buf, off + a - addr));
    }
  }

  /** Torn program: each in-flight 1→0 bit lands, stays 1 or becomes unstable; odds differ per cut. */
  private tearProgram(addr: number, buf: Bytes, off: number, n: number): void {
    const land = nextBelow(this.rng, 257);
    const mask = alloc(n);
    for (let i = 0; i < n; i++) {
      const before = get(this.data, addr + i);
      const flight = before & (get(buf, off + i) ^ 0xff);
      const landed = flight & randomBits(this.rng, land);
      const weak = flight & (landed ^ 0xff) & randomBits(this.rng, 64);
      set(this.data, addr + i, before & (landed ^ 0xff));
      set(mask, i, weak);
    }
    this.bytes_programmed += n;
    this.addSpan(addr, mask);
  }

  /** Interrupted erase: 0 bits rise to 1 with a random progress; some bits stay unstable. */
  private tearErase(sector: number): void {
    const sb = this.geometry.sector_bytes;
    this.scramble(sector, nextBelow(this.rng, 257));
    const mask = alloc(sb);
    for (let i = 0; i < sb; i++) set(mask, i, randomBits(this.rng, 16));
    this.dropSpans(sector * sb, sb);
    this.addSpan(sector * sb, mask);
  }

  /** Sets each 0 bit of a sector to 1 with probability `odds`/256. */
  private scramble(sector: number, odds: number): void {
    const sb = this.geometry.sector_bytes;
    const base = sector * sb;
    for (let i = 0; i < sb; i++) set(this.data, base + i, get(this.data, base + i) | randomBits(this.rng, odds));
  }

  /** Lands each in-flight bit with probability `odds`/256 (a failed program). */
  private landSome(addr: number, buf: Bytes, off: number, n: number, odds: number): void {
    for (let i = 0; i < n; i++) {
      const clear = (get(buf, off + i) ^ 0xff) & randomBits(this.rng, odds);
      set(this.data, addr + i, get(this.data, addr + i) & (clear ^ 0xff));
    }
  }

  private addSpan(addr: number, mask: Bytes): void {
    if (this.spans.length >= MAX_UNSTABLE_SPANS) this.spans.shift();
    this.spans.push({ addr: addr, mask: mask });
  }

  private dropSpans(addr: number, n: number): void {
    const keep: Span[] = [];
    for (let i = 0; i < this.spans.length; i++) {
      const s = this.spans[i];
      if (s.addr + len(s.mask) <= addr || s.addr >= addr + n) keep.push(s);
    }
    this.spans = keep;
  }

  /** Unstable bits of `span` inside the read window get a fresh random value in `buf`. */
  private blurSpan(span: Span, addr: number, buf: Bytes, off: number, n: number): void {
    const from = Math.max(addr, span.addr);
    const to = Math.min(addr + n, span.addr + len(span.mask));
    for (let a = from; a < to; a++) {
      const m = get(span.mask, a - span.addr);
      if (m === 0) continue;
      const v = get(buf, off + a - addr);
      set(buf, off + a - addr, (v & (m ^ 0xff)) | (nextByte(this.rng) & m));
    }
  }
}

/** A byte whose bits are each set with probability `odds`/256. */
function randomBits(rng: Prng, odds: number): number {
  if (odds <= 0) return 0;
  if (odds >= 256) return 0xff;
  let b = 0;
  for (let bit = 0; bit < 8; bit++) if (nextBelow(rng, 256) < odds) b = b | (1 << bit);
  return b;
}

function hexAddr(a: number): string {
  const digits = "0123456789abcdef";
  let s = "";
  let v = a;
  for (let i = 0; i < 6; i++) {
    s = digits.charAt(v % 16) + s;
    v = Math.floor(v / 16);
  }
  return s;
}

function checkGeometry(o: NorOptions): void {
  const total = o.sector_bytes * o.sector_count;
  if (o.sector_bytes < 64 || o.sector_count < 2 || total > MAX_REGION_BYTES) fail("nor", "geometry " + o.sector_count + " x " + o.sector_bytes + " bytes outside 2 x 64 .. " + MAX_REGION_BYTES);
  if (o.prog_bytes < 1 || o.page_bytes % o.prog_bytes !== 0 || o.sector_bytes % o.page_bytes !== 0) fail("nor", "page " + o.page_bytes + " / prog " + o.prog_bytes + " must divide the sector");
}
