// The emulated board's flash, kept by the server as a file: the bytes of the free flash area
// the page's `Flash` built-in reports (Flash.getFree), page after page, NOR rules (a program
// only clears bits, an erase sets a 4 KB page to 0xFF). The journal lives in its first pages,
// so `posrt journal dump` reads the same file. Every change is written through at once, so
// killing the server, reloading the page or pulling the power loses nothing already written.
import * as fs from "fs";
import * as path from "path";
import { fail } from "../../src/errors";

/**
 * The board is an ESP32 with 4 MB of flash (firmware/espruino/board.json): addresses 0..4 MB,
 * Storage (saved code) at 0x320000 for 64 pages, and the free area Flash.getFree reports right
 * after it: the image. The device takes its addresses from getFree/getPage, never assumes them.
 */
export const FLASH_CHIP_BYTES = 4 * 1024 * 1024;
/** First byte of the free area (the image), after Storage at 0x320000 + 64 pages. */
export const FLASH_BASE = 0x360000;
/** Erase page of the board (ESP32 class). */
export const FLASH_PAGE_BYTES = 4096;
/** Pages in the image: 256 KB, room for the 64 KB journal and the device's config and keys. */
export const FLASH_PAGES = 64;
export const IMAGE_BYTES = FLASH_PAGE_BYTES * FLASH_PAGES;
/** Erased bytes in a row that end a segment of the sparse image. */
export const SPARSE_GAP_BYTES = 16;
/** Default image file, relative to the working directory. */
export const DEFAULT_IMAGE = path.join(".posrt", "emulator-flash.img");

export class FlashImage {
  readonly file: string;
  readonly bytes: Buffer;
  private fd: number;
  /** Programs and erases applied since the server started. */
  writes = 0;

  private constructor(file: string, bytes: Buffer, fd: number) {
    this.file = file;
    this.bytes = bytes;
    this.fd = fd;
  }

  /** Opens `file`, creating an erased image (mode 0600) when it does not exist. */
  static open(file: string): FlashImage {
    let bytes: Buffer;
    if (fs.existsSync(file)) {
      const st = fs.statSync(file);
      if (!st.isFile()) fail("flash image", file + " is not a file");
      if (st.size !== IMAGE_BYTES) fail("flash image", `${file} is ${st.size} bytes, an emulator image is ${IMAGE_BYTES} (${FLASH_PAGES} pages of ${FLASH_PAGE_BYTES})`);
      bytes = fs.readFileSync(file);
    } else {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      bytes = Buffer.alloc(IMAGE_BYTES, 0xff);
      fs.writeFileSync(file, bytes, { mode: 0o600 });
    }
    return new FlashImage(file, bytes, fs.openSync(file, "r+"));
  }

  /** Programs `data` at flash address `addr` (bits only clear); false when outside the image. */
  program(addr: number, data: Uint8Array): boolean {
    const o = addr - FLASH_BASE;
    if (o < 0 || o + data.length > IMAGE_BYTES) return false;
    for (let i = 0; i < data.length; i++) this.bytes[o + i] &= data[i];
    fs.writeSync(this.fd, this.bytes, o, data.length, o);
    this.writes++;
    return true;
  }

  /** Erases the page holding flash address `addr`; false when outside the image. */
  erase(addr: number): boolean {
    const o = addr - FLASH_BASE;
    if (o < 0 || o >= IMAGE_BYTES) return false;
    const start = o - (o % FLASH_PAGE_BYTES);
    this.bytes.fill(0xff, start, start + FLASH_PAGE_BYTES);
    fs.writeSync(this.fd, this.bytes, start, FLASH_PAGE_BYTES, start);
    this.writes++;
    return true;
  }

  /**
   * The image as the page receives it at power-on: only the bytes that are not erased, as
   * segments [offset u32 BE][length u32 BE][bytes] (an erased flash is mostly 0xFF; a fresh
   * image is a few bytes instead of 256 KB). Runs of SPARSE_GAP_BYTES 0xFF or more split segments.
   */
  sparse(): Buffer {
    const parts: Buffer[] = [];
    const b = this.bytes;
    let i = 0;
    while (i < b.length) {
      while (i < b.length && b[i] === 0xff) i++;
      if (i >= b.length) break;
      const start = i;
      let gap = 0;
      while (i < b.length && gap < SPARSE_GAP_BYTES) {
        gap = b[i] === 0xff ? gap + 1 : 0;
        i++;
      }
      const end = i - gap;
      const head = Buffer.alloc(8);
      head.writeUInt32BE(start, 0);
      head.writeUInt32BE(end - start, 4);
      parts.push(head, b.subarray(start, end));
    }
    return Buffer.concat(parts);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
