// Node-only: a NOR flash emulator backed by an image file (raw bytes, sector after sector).
import * as fs from "fs";
import { Bytes } from "../../src/bytes/types";
import { NorFlash, NorOptions } from "./nor-flash";
import { fail } from "../../src/errors";

/** Default page size of W25Q-class NOR, used when an image is loaded. */
export const IMAGE_PAGE_BYTES = 256;

/** Loads `path` into a new emulator with `sector_bytes` sectors; the size must be a whole number of sectors. */
export function loadNorImage(path: string, sector_bytes: number, seed = 1): NorFlash {
  if (!fs.existsSync(path)) fail("flash image", "no file " + path);
  if (fs.statSync(path).isDirectory()) fail("flash image", path + " is a directory, not a file");
  const raw = fs.readFileSync(path);
  if (raw.length === 0 || raw.length % sector_bytes !== 0) fail("flash image", path + " is " + raw.length + " bytes, not a whole number of " + sector_bytes + "-byte sectors");
  const o: NorOptions = { sector_bytes, sector_count: raw.length / sector_bytes, prog_bytes: 1, page_bytes: Math.min(IMAGE_PAGE_BYTES, sector_bytes), seed };
  const f = new NorFlash(o);
  f.load(new Uint8Array(raw) as unknown as Bytes);
  return f;
}

/** Writes the emulator's current content to `path`. */
export function saveNorImage(f: NorFlash, path: string): void {
  fs.writeFileSync(path, f.image() as unknown as Uint8Array);
}
