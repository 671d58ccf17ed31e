// Flash HAL on Espruino: the built-in `Flash` module (espruino.com/Reference#Flash) over the
// chip's own SPI flash. Flash.write needs 4-byte aligned addresses and lengths (ESP32 and
// most ports); the HAL promises byte programs (prog_bytes 1), so a program is padded with 0xFF
// to whole words — 0xFF leaves NOR bits as they are — and read back to check every cleared bit.
import { Bytes, copy, get, len } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { FLASH_E_ALIGN, FLASH_E_IO, FLASH_E_RANGE, FLASH_OK, Flash, FlashGeometry } from "../flash";

/** Flash.write unit on Espruino. */
export const FLASH_WORD_BYTES = 4;
/** Most free areas looked at when choosing the region. */
export const MAX_FREE_AREAS = 16;

interface PageInfo {
  addr: number;
  length: number;
}

interface EspruinoFlash {
  read(length: number, addr: number): ArrayLike<number> | undefined;
  write(data: string, addr: number): void;
  erasePage(addr: number): void;
  getPage(addr: number): PageInfo | undefined;
  getFree(): PageInfo[] | undefined;
}

declare function require(name: "Flash"): EspruinoFlash;

export interface EspruinoFlashOptions {
  sector_count: number;
  /** Region start on the chip; by default the first free area (Flash.getFree) large enough. */
  base?: number;
}

/** Finds a free area of at least `bytes` starting on a page of `sector_bytes`. */
function freeBase(F: EspruinoFlash, bytes: number, sector_bytes: number): number {
  const free = F.getFree();
  for (let i = 0; free !== undefined && i < free.length && i < MAX_FREE_AREAS; i++) {
    // integer arithmetic only: Flash.erasePage refuses a float address (Math.ceil gives one)
    const start = free[i].addr + ((sector_bytes - (free[i].addr % sector_bytes)) % sector_bytes);
    if (start + bytes <= free[i].addr + free[i].length) return start;
  }
  return fail("flash", "no free flash area of " + bytes + " bytes (Flash.getFree)");
}

class EspruinoFlashRegion implements Flash {
  readonly geometry: FlashGeometry;
  private F: EspruinoFlash;
  private base: number;
  private total: number;

  constructor(F: EspruinoFlash, g: FlashGeometry, base: number) {
    this.F = F;
    this.geometry = g;
    this.base = base;
    this.total = g.sector_bytes * g.sector_count;
  }

  private outside(addr: number, buf: Bytes, off: number, n: number): boolean {
    return addr < 0 || n < 0 || addr + n > this.total || off < 0 || off + n > len(buf);
  }

  read(addr: number, buf: Bytes, off: number, n: number): number {
    if (this.outside(addr, buf, off, n)) return FLASH_E_RANGE;
    if (n === 0) return FLASH_OK;
    const got = this.F.read(n, this.base + addr);
    if (got === undefined || got.length !== n) return FLASH_E_IO;
    // Flash.read gives a Uint8Array, the Bytes representation here: one native copy, not a loop per byte.
    copy(got as unknown as Bytes, 0, buf, off, n);
    return FLASH_OK;
  }

  program(addr: number, buf: Bytes, off: number, n: number): number {
    const g = this.geometry;
    if (this.outside(addr, buf, off, n) || n === 0) return FLASH_E_RANGE;
    if (Math.floor(addr / g.page_bytes) !== Math.floor((addr + n - 1) / g.page_bytes)) return FLASH_E_ALIGN;
    const start = addr - (addr % FLASH_WORD_BYTES);
    const end = Math.ceil((addr + n) / FLASH_WORD_BYTES) * FLASH_WORD_BYTES;
    let words = "";
    for (let a = start; a < end; a++) words += String.fromCharCode(a < addr || a >= addr + n ? 0xff : get(buf, off + a - addr));
    try {
      this.F.write(words, this.base + start);
    } catch (e) {
      return FLASH_E_IO;
    }
    return this.verify(addr, buf, off, n);
  }

  /** After a program every bit cleared in the data must read 0. */
  private verify(addr: number, buf: Bytes, off: number, n: number): number {
    const got = this.F.read(n, this.base + addr);
    if (got === undefined || got.length !== n) return FLASH_E_IO;
    for (let i = 0; i < n; i++) if ((got[i] & (get(buf, off + i) ^ 0xff)) !== 0) return FLASH_E_IO;
    return FLASH_OK;
  }

  erase(sector: number): number {
    const g = this.geometry;
    if (sector < 0 || sector >= g.sector_count || sector !== Math.floor(sector)) return FLASH_E_RANGE;
    const at = this.base + sector * g.sector_bytes;
    try {
      this.F.erasePage(at);
    } catch (e) {
      return FLASH_E_IO;
    }
    const probe = this.F.read(FLASH_WORD_BYTES, at);
    for (let i = 0; probe !== undefined && i < FLASH_WORD_BYTES; i++) if (probe[i] !== 0xff) return FLASH_E_IO;
    return probe === undefined ? FLASH_E_IO : FLASH_OK;
  }
}

/**
 * Opens the journal region: `sector_count` flash pages of the chip (4 KB on ESP32), 256-byte
 * program pages. Addresses come from the chip: the first free area (Flash.getFree) large enough
 * unless `base` is given, and the page size from Flash.getPage at that address; flash need not
 * start at 0 (0x10000000 on the host build, other places on other chips).
 */
export function openEspruinoFlash(o: EspruinoFlashOptions): Flash {
  const F = require("Flash");
  const at = o.base === undefined ? firstFree(F) : o.base;
  const probe = F.getPage(at);
  if (probe === undefined) return fail("flash", "Flash.getPage(" + at + ") gave no page");
  const sector_bytes = probe.length;
  const base = o.base === undefined ? freeBase(F, sector_bytes * o.sector_count, sector_bytes) : o.base;
  if (base % sector_bytes !== 0) fail("flash", "region base " + base + " is not on a " + sector_bytes + "-byte page");
  return new EspruinoFlashRegion(F, { sector_bytes: sector_bytes, sector_count: o.sector_count, prog_bytes: 1, page_bytes: 256 }, base);
}

/** Start of the first free area the chip reports. */
function firstFree(F: EspruinoFlash): number {
  const free = F.getFree();
  if (free === undefined || free.length === 0) return fail("flash", "Flash.getFree reports no free area");
  return free[0].addr;
}
