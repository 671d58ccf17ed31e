// Espruino entry: wires the Espruino HAL to the portable core.
import { crc32, fromText } from "../../src/bytes/index";

declare function print(s: string): void;

export const VERSION = "0.1.0";

/** Start-up self-check: CRC-32 of "123456789" must be CBF43926. */
export function selfTest(): boolean {
  return crc32(fromText("123456789")) === 0xcbf43926;
}

print("posrt " + VERSION + (selfTest() ? " ready" : " SELF-TEST FAILED"));
