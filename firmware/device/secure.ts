// The secure element of a board whose configuration names one (`secure_element=se050…` in
// posrt.cfg, config.ts): the SE050 path of the SecurityModule (hal/drivers/se050-security.ts)
// wired to the board's own keys (keys.ts). The entry requires this module only when the line is
// there (a transient module in the Espruino bundle: no line, none of the SE code in RAM).
//
// - At boot the SE is probed on the configured I2C bus and address; no answer (or any failure
//   while opening) is one boot line and the board stays on software DES, exactly as without the
//   line.
// - The SE holds the board's TMK and the board's PAN seal key (the key record's, keys.ts), and
//   the seal keys derive from the latter, so a PAN sealed by the SE opens with software DES and
//   the other way round: a board whose SE stops answering loses no journal record. At boot the
//   SE's check values of both are compared with the record's; a mismatch (a new SE, a key
//   injected since) writes them again.
// - Working keys: installed into the SE at sign-in (and again at boot from the field 62 the key
//   record keeps), never decoded in MCU RAM beyond what Se050Security does.
// Portable (ES5 and Lua 5.3).
import { Bus } from "../../hal/bus";
import { SecurityModule } from "../../hal/security";
import { Bytes, fromHex } from "../../src/bytes/index";
import { errorText, isPosrtError } from "../../src/errors";
import { Se050 } from "../../hal/drivers/se050";
import { OBJ_SEAL_ROOT, OBJ_TMK, Se050Security } from "../../hal/drivers/se050-security";
import { SeKeyAccess } from "./keys";
import { SecureElementSpec } from "./config";

/** The SecurityModule of a board with a secure element, as the terminal uses it. */
export interface BoardSecurity extends SecurityModule {
  /** After a key injection into the record: the SE takes the board's keys again; "" or why not. */
  keysChanged(): string;
}

const NO_TMK = "NO MASTER KEY: inject one (posrt keys inject)";

/** True when the SE holds this board's TMK and seal key (check values as in the key record). */
function inSync(sm: Se050Security, keys: SeKeyAccess): boolean {
  let same = false;
  try {
    same = sm.checkValue(OBJ_TMK) === keys.tmkKcv() && sm.checkValue(OBJ_SEAL_ROOT) === keys.sealKcv();
  } catch (e) {
    if (!isPosrtError(e)) throw e;
  }
  return same;
}

/** Brings the SE's keys in line with the record; the note for the boot line. */
function provision(sm: Se050Security, keys: SeKeyAccess): string {
  if (inSync(sm, keys)) return "keys inside the secure element";
  sm.dropWorkingKeys();
  if (!keys.provide((tmk: Bytes, seal: Bytes) => sm.provision(tmk, seal))) return NO_TMK;
  return "master key and seal key written into it now";
}

class SeBoardSecurity implements BoardSecurity {
  private sm: Se050Security;
  private keys: SeKeyAccess;

  constructor(sm: Se050Security, keys: SeKeyAccess) {
    this.sm = sm;
    this.keys = keys;
  }

  sealPan(pan: string, nonce?: number): Bytes {
    return this.sm.sealPan(pan, nonce);
  }

  openPan(sealed: Bytes): string {
    return this.sm.openPan(sealed);
  }

  mac(data: Bytes): Bytes {
    return this.sm.mac(data);
  }

  verifyMac(data: Bytes, mac: Bytes): boolean {
    return this.sm.verifyMac(data, mac);
  }

  /** Into the SE (a check-value mismatch keeps the old keys), then field 62 into the key record for the next boot. */
  installWorkingKeys(field62: Bytes): void {
    this.sm.installWorkingKeys(field62);
    this.keys.keep(field62);
  }

  hasWorkingKeys(): boolean {
    return this.sm.hasWorkingKeys();
  }

  encryptPin(pin: string, pan: string): Bytes {
    return this.sm.encryptPin(pin, pan);
  }

  keysChanged(): string {
    let why = "";
    try {
      provision(this.sm, this.keys);
    } catch (e) {
      why = "the secure element refused the keys: " + errorText(e);
    }
    return why;
  }
}

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}

/**
 * Opens the configured secure element: its SecurityModule, or undefined when none answered or
 * opening failed (the board then uses software DES). Either way `log` gets one line saying which.
 */
export function openSecureElement(spec: SecureElementSpec, openBus: (this: void, spec: SecureElementSpec) => Bus, keys: SeKeyAccess, mac_algorithm: string | undefined, log: (this: void, line: string) => void): BoardSecurity | undefined {
  const where = "SE050 on I2C 0x" + hex2(spec.address) + " (SDA " + spec.sda + ", SCL " + spec.scl + ")";
  let se: Se050 | undefined = undefined;
  try {
    se = new Se050(openBus(spec), { address: spec.address });
    if (!se.probe()) {
      se.close();
      log("security: software DES (no " + where + " answered)");
      return undefined;
    }
    const sm = new Se050Security({ se: se, mac_algorithm: mac_algorithm });
    const note = provision(sm, keys);
    const f62 = keys.field62();
    let kept = "";
    if (f62 !== "" && note !== NO_TMK) {
      try {
        sm.installWorkingKeys(fromHex(f62));
        kept = ", working keys kept";
      } catch (e) {
        if (!isPosrtError(e)) throw e;
        kept = ", stored working keys dropped (" + errorText(e) + "): sign in";
      }
    }
    log("security: " + where + ", " + note + kept);
    return new SeBoardSecurity(sm, keys);
  } catch (e) {
    if (se !== undefined) se.close();
    log("security: software DES (" + where + ": " + errorText(e) + ")");
    return undefined;
  }
}
