// Flash HAL on NodeMCU (ESP32, Lua 5.3). The ESP32 firmware exposes no raw partition
// read/write to Lua, so the journal region is a file of the same size in SPIFFS (`file`
// module: open, seek, read, write), kept open. Erase writes 0xFF over the sector; a program
// writes (old AND new), as NOR would, and is read back. SPIFFS adds its own wear levelling
// and its own power-loss behaviour under ours: a partial write may tear differently than NOR.
import { Bytes, get, len, set } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { FLASH_E_ALIGN, FLASH_E_IO, FLASH_E_RANGE, FLASH_OK, Flash, FlashGeometry } from "../flash";

export const JOURNAL_FILE = "posrt.jnl";
/** Bytes written per file write when filling with 0xFF. */
export const FILL_CHUNK_BYTES = 256;
export const SECTOR_BYTES = 4096;

interface NodeFile {
  seek(this: NodeFile, whence: string, offset: number): number | undefined;
  read(this: NodeFile, n: number): string | undefined;
  write(this: NodeFile, s: string): boolean | undefined;
  flush(this: NodeFile): void;
  close(this: NodeFile): void;
}

declare const file: {
  open(this: void, name: string, mode: string): NodeFile | undefined;
  exists(this: void, name: string): boolean;
};

export interface NodeMcuFlashOptions {
  sector_count: number;
  /** SPIFFS file holding the region; JOURNAL_FILE by default. */
  name?: string;
}

function ffChunk(): string {
  let s = String.fromCharCode(0xff);
  for (let i = 0; i < 16 && s.length < FILL_CHUNK_BYTES; i++) s = s + s;
  return s;
}

class FileFlash implements Flash {
  readonly geometry: FlashGeometry;
  private fd: NodeFile;
  private total: number;
  private ff: string;

  constructor(fd: NodeFile, g: FlashGeometry) {
    this.fd = fd;
    this.geometry = g;
    this.total = g.sector_bytes * g.sector_count;
    this.ff = ffChunk();
  }

  private outside(addr: number, buf: Bytes, off: number, n: number): boolean {
    return addr < 0 || n < 0 || addr + n > this.total || off < 0 || off + n > len(buf);
  }

  private readText(addr: number, n: number): string | undefined {
    if (this.fd.seek("set", addr) === undefined) return undefined;
    const s = this.fd.read(n);
    return s !== undefined && s.length === n ? s : undefined;
  }

  read(addr: number, buf: Bytes, off: number, n: number): number {
    if (this.outside(addr, buf, off, n)) return FLASH_E_RANGE;
    if (n === 0) return FLASH_OK;
    const s = this.readText(addr, n);
    if (s === undefined) return FLASH_E_IO;
    for (let i = 0; i < n; i++) set(buf, off + i, s.charCodeAt(i));
    return FLASH_OK;
  }

  program(addr: number, buf: Bytes, off: number, n: number): number {
    const g = this.geometry;
    if (this.outside(addr, buf, off, n) || n === 0) return FLASH_E_RANGE;
    if (Math.floor(addr / g.page_bytes) !== Math.floor((addr + n - 1) / g.page_bytes)) return FLASH_E_ALIGN;
    const old = this.readText(addr, n);
    if (old === undefined) return FLASH_E_IO;
    let want = "";
    for (let i = 0; i < n; i++) want = want + String.fromCharCode(old.charCodeAt(i) & get(buf, off + i));
    if (this.fd.seek("set", addr) === undefined || this.fd.write(want) !== true) return FLASH_E_IO;
    this.fd.flush();
    return this.readText(addr, n) === want ? FLASH_OK : FLASH_E_IO;
  }

  erase(sector: number): number {
    const g = this.geometry;
    if (sector < 0 || sector >= g.sector_count || sector !== Math.floor(sector)) return FLASH_E_RANGE;
    return fillFF(this.fd, sector * g.sector_bytes, g.sector_bytes, this.ff) ? FLASH_OK : FLASH_E_IO;
  }
}

/** Writes 0xFF over `[at, at+n)` in FILL_CHUNK_BYTES pieces (n a multiple of it). */
function fillFF(fd: NodeFile, at: number, n: number, ff: string): boolean {
  if (fd.seek("set", at) === undefined) return false;
  for (let done = 0; done < n; done = done + FILL_CHUNK_BYTES) if (fd.write(ff) !== true) return false;
  fd.flush();
  return true;
}

/** Opens (creating and erasing it on first use) the SPIFFS file that holds the journal region. */
export function openNodeMcuFlash(o: NodeMcuFlashOptions): Flash {
  const name = o.name === undefined ? JOURNAL_FILE : o.name;
  const total = SECTOR_BYTES * o.sector_count;
  if (!file.exists(name)) {
    const created = file.open(name, "w");
    if (created === undefined) return fail("flash", "cannot create " + name);
    const ok = fillFF(created, 0, total, ffChunk());
    created.close();
    if (!ok) fail("flash", "cannot fill " + name + " (SPIFFS full?)");
  }
  const fd = file.open(name, "r+");
  if (fd === undefined) return fail("flash", "cannot open " + name);
  const size = fd.seek("end", 0);
  if (size !== total) {
    fd.close();
    return fail("flash", name + " holds " + size + " bytes, the region is " + total);
  }
  return new FileFlash(fd, { sector_bytes: SECTOR_BYTES, sector_count: o.sector_count, prog_bytes: 1, page_bytes: 256 });
}
