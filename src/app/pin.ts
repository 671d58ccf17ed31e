// ISO 9564 format 0 PIN blocks: the clear block is the PIN field (0, length, digits, F
// padding) XOR the PAN field (0000 + the 12 rightmost PAN digits without the check digit).
// The terminal encrypts it under the PIN key inside the SecurityModule; the acquirer
// simulator decrypts and checks it with `checkPinBlock`. PIN digits never leave these calls.
import { Bytes, alloc, fromHex, get, len, set } from "../bytes/index";
import { fail } from "../errors";
import { ecb, tdesKey } from "../crypto/index";

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 12;
export const PIN_BLOCK_BYTES = 8;

function nibbleOfDigit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  if (c < 0 || c > 9) fail("pin", "not a digit at " + i);
  return c;
}

/** The PAN field: 0000 + 12 rightmost digits excluding the check digit, as 8 bytes. */
function panField(pan: string): Bytes {
  if (pan.length < 13) fail("pin", "PAN too short for a PIN block");
  const digits = pan.substring(pan.length - 13, pan.length - 1);
  const out = alloc(PIN_BLOCK_BYTES);
  for (let i = 0; i < 6; i++) set(out, 2 + i, (nibbleOfDigit(digits, 2 * i) << 4) | nibbleOfDigit(digits, 2 * i + 1));
  return out;
}

/** The clear format 0 block of `pin` for `pan`. */
export function clearPinBlock(pin: string, pan: string): Bytes {
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) fail("pin", "PIN must have " + PIN_MIN_DIGITS + ".." + PIN_MAX_DIGITS + " digits");
  const out = alloc(PIN_BLOCK_BYTES);
  const p = panField(pan);
  for (let i = 0; i < PIN_BLOCK_BYTES; i++) {
    const hi = i === 0 ? 0 : 2 * i - 2 < pin.length ? nibbleOfDigit(pin, 2 * i - 2) : 15;
    const lo = i === 0 ? pin.length : 2 * i - 1 < pin.length ? nibbleOfDigit(pin, 2 * i - 1) : 15;
    set(out, i, ((hi << 4) | lo) ^ get(p, i));
  }
  return out;
}

/** The PIN block encrypted under the PIN key `pik` (8 or 16 bytes). */
export function encryptPinBlock(pik: Bytes, pin: string, pan: string): Bytes {
  return ecb(tdesKey(pik), clearPinBlock(pin, pan), false);
}

/** The PIN inside a clear block for `pan`, or "" when the block is not a valid format 0 block. */
export function pinOfClearBlock(block: Bytes, pan: string): string {
  if (len(block) !== PIN_BLOCK_BYTES) return "";
  const p = panField(pan);
  const first = get(block, 0) ^ get(p, 0);
  const n = first & 15;
  if ((first >>> 4) !== 0 || n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS) return "";
  let pin = "";
  for (let k = 0; k < 14; k++) {
    const b = get(block, 1 + (k >>> 1)) ^ get(p, 1 + (k >>> 1));
    const nib = (k & 1) === 0 ? b >>> 4 : b & 15;
    if (k < n && nib > 9) return "";
    if (k >= n && nib !== 15) return "";
    if (k < n) pin = pin + String(nib);
  }
  return pin;
}

/** True when the encrypted block `blockHex` under PIN key `pikHex` holds `expected` for `pan`. */
export function checkPinBlock(pikHex: string, blockHex: string, pan: string, expected: string): boolean {
  if (blockHex.length !== 2 * PIN_BLOCK_BYTES) return false;
  const clear = ecb(tdesKey(fromHex(pikHex)), fromHex(blockHex), true);
  const pin = pinOfClearBlock(clear, pan);
  return pin.length > 0 && pin === expected;
}

/** Wrong PINs one card may have before every request is answered 75. */
export const PIN_TRIES_MAX = 3;

export interface PinVerdict {
  /** "00" PIN right (or not checked), "55" wrong, "75" tries exceeded. */
  rc: string;
  /** Wrong tries counted for the card after this one. */
  wrong: number;
}

/**
 * The acquirer's PIN decision for a card whose PIN is `expected` ("" = not checked) after
 * `wrong` wrong tries: 55 for a wrong PIN, 75 once three wrong tries were made (the PIN is
 * then blocked, even a right one), 00 otherwise (and the count starts again).
 */
export function pinVerdict(pikHex: string, blockHex: string, pan: string, expected: string, wrong: number): PinVerdict {
  if (expected.length === 0) return { rc: "00", wrong: wrong };
  if (wrong >= PIN_TRIES_MAX) return { rc: "75", wrong: wrong };
  if (checkPinBlock(pikHex, blockHex, pan, expected)) return { rc: "00", wrong: 0 };
  return { rc: "55", wrong: wrong + 1 };
}
