// Flash HAL: a NOR region seen as sectors (littlefs-style read/program/erase, geometry passed in,
// caller-owned buffers, typed error codes). Addresses are relative to the region's start.
// NOR rules: program only clears bits (1→0); erase sets a whole sector to 0xFF.
import { Bytes } from "../src/bytes/types";

export const FLASH_OK = 0;
/** Address, length or sector outside the region. */
export const FLASH_E_RANGE = -1;
/** Program crosses a page or is not aligned to `prog_bytes`. */
export const FLASH_E_ALIGN = -2;
/** The device reported a failure (worn-out or bad sector): program, erase or read did not complete. */
export const FLASH_E_IO = -3;

export interface FlashGeometry {
  /** Erase unit, e.g. 4096. */
  sector_bytes: number;
  sector_count: number;
  /** Program granularity: offsets and lengths are multiples of it (1 on NOR). */
  prog_bytes: number;
  /** One program must stay inside one page (256 on W25Q-class NOR). */
  page_bytes: number;
}

/** One options object describing a region (ECMA-419 style constructor argument). */
export interface FlashOptions extends FlashGeometry {
  /** First byte of the region on the device (0 for emulators). */
  base?: number;
}

export interface Flash {
  readonly geometry: FlashGeometry;
  /** Reads `n` bytes at `addr` into `buf[off..]`; FLASH_OK or an error code. */
  read(addr: number, buf: Bytes, off: number, n: number): number;
  /** Programs `buf[off .. off+n)` at `addr` (within one page); FLASH_OK or an error code. */
  program(addr: number, buf: Bytes, off: number, n: number): number;
  /** Erases one sector to 0xFF; FLASH_OK or an error code. */
  erase(sector: number): number;
}
