// SecurityModule HAL: every secret stays behind this boundary (keys, PAN at rest, MACs).
// Implementations: software DES (src/crypto/soft-security.ts; the emulator's and the device's
// keys.ts build on it) and an NXP SE050 secure element (hal/drivers/se050-security.ts), chosen
// at boot by hal/drivers/security-choice.ts (docs/security-module.md). Keys never cross this
// interface in clear. The calls are synchronous; a secure element that fails (no answer, an
// error status) makes the call throw a PosrtError with one line ("se050: …"), which the engine
// turns into an aborted operation, as for a missing key.
import { Bytes } from "../src/bytes/types";

export interface SecurityModule {
  /**
   * Seals a PAN for storage in the journal (authenticated encryption; never stored in clear).
   * `nonce` (optional, 0..2^32-1, e.g. the journal record sequence) should never repeat.
   */
  sealPan(pan: string, nonce?: number): Bytes;
  /** Opens a sealed PAN; a tampered or foreign blob is a PosrtError. */
  openPan(sealed: Bytes): string;
  /** MAC (8 bytes) over a request's MAC input with the current MAC working key. */
  mac(data: Bytes): Bytes;
  /** Checks a reply's MAC; false when it does not match. */
  verifyMac(data: Bytes, mac: Bytes): boolean;
  /**
   * Installs working keys from a sign-in reply's field 62 (PIN, MAC and track keys with
   * check values); a check-value mismatch is a PosrtError and keeps the old keys.
   */
  installWorkingKeys(field62: Bytes): void;
  /** True once working keys are installed (sign-in done). */
  hasWorkingKeys(): boolean;
  /**
   * The ISO 9564 format 0 PIN block of `pin` for `pan`, encrypted under the PIN key of the
   * last sign-in (8 bytes). The PIN goes no further than this call; PosrtError before sign-in.
   */
  encryptPin(pin: string, pan: string): Bytes;
}
