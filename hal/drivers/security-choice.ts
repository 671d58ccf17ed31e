// Which SecurityModule a board gets, decided once at boot: the SE050 path when the board's
// configuration names a secure element and one answers on the bus, else the software DES
// module. The boot banner shows `banner` so nobody has to guess which one is in use.
// Portable (node, es5, lua); a firmware loads this file only on boards configured with an SE
// (the default device bundle does not include it).
import { Bus } from "../bus";
import { SecurityModule } from "../security";
import { fromHex, len } from "../../src/bytes/index";
import { SoftSecurity } from "../../src/crypto/soft-security";
import { Se050, SE050_ADDRESS } from "./se050";
import { Se050Security } from "./se050-security";

export interface SecurityChoiceOptions {
  /** The board's secure element ("se050"), or "" / undefined for none. */
  secure_element?: string;
  /** Its 7-bit I2C address (0x48 by default). */
  address?: number;
  /**
   * TMK for the software module, and for provisioning an SE that holds none yet (hex, 16 or 24
   * bytes). An SE that is provisioned keeps its own TMK and ignores this.
   */
  tmk_hex?: string;
  mac_algorithm?: string;
  seal_counter?: number;
}

export interface SecurityChoice {
  sm: SecurityModule;
  /** "se050" or "software". */
  kind: string;
  /** One line for the boot banner. */
  banner: string;
  /** The SE050 driver when kind is "se050" (for counters). */
  se?: Se050;
}

/** Probes the configured secure element and returns the SecurityModule the board uses. */
export function chooseSecurity(bus: Bus, o: SecurityChoiceOptions): SecurityChoice {
  const want = o.secure_element === undefined ? "" : o.secure_element;
  const soft = (why: string): SecurityChoice => ({
    sm: new SoftSecurity({ tmk_hex: o.tmk_hex, mac_algorithm: o.mac_algorithm, seal_counter: o.seal_counter }),
    kind: "software",
    banner: "security: software DES (" + why + ")",
  });
  if (want === "") return soft("no secure element configured");
  const address = o.address === undefined ? SE050_ADDRESS : o.address;
  const where = "I2C 0x" + hex2(address);
  if (want !== "se050") return soft("unknown secure element \"" + want + "\" configured");
  const se = new Se050(bus, { address: address });
  if (!se.probe()) {
    se.close();
    return soft("no SE050 answered on " + where);
  }
  const sm = new Se050Security({ se: se, mac_algorithm: o.mac_algorithm, seal_counter: o.seal_counter });
  let note = "keys inside the secure element";
  if (!sm.provisioned()) {
    if (o.tmk_hex === undefined || len(fromHex(o.tmk_hex)) === 0) note = "NOT PROVISIONED: inject a master key";
    else {
      sm.provision(fromHex(o.tmk_hex));
      note = "master key provisioned now";
    }
  }
  return { sm: sm, kind: "se050", banner: "security: SE050 on " + where + ", " + note, se: se };
}

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}
