// The terminal `posrt terminal`, the app.trace suite and the examples run: its identity,
// limits and a Session factory on a 64 KB emulated NOR flash with the software SecurityModule.
import { NorFlash } from "../sim/nor-flash";
import { SoftSecurity } from "../crypto/soft-security";
import { SecurityModule } from "../../hal/security";
import { AcquirerProfile, profileHost } from "../host/profile";
import { TxnConfig } from "../txn/types";
import { AcquirerFn, Session } from "./session";
import { AppStore } from "./store";
import { DEFAULT_SUPERVISOR_PASSWORD } from "./operators";

export const TERMINAL_CONFIG: TxnConfig = {
  terminalId: "POS00001", merchantId: "POSRTSHOP000001", merchantName: "POSRT CORNER SHOP", currency: "156",
  timeout_ms: 30000, reversalAttempts: 3, refundMax_minor: 50000, supervisorPassword: DEFAULT_SUPERVISOR_PASSWORD, keyScheme: "003", awaitCompletion: false,
};

/** 64 KB of 4 KB sectors, 256-byte pages. */
export const TERMINAL_FLASH = { sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256 };

export function terminalFlash(seed: number): NorFlash {
  return new NorFlash({ sector_bytes: TERMINAL_FLASH.sector_bytes, sector_count: TERMINAL_FLASH.sector_count, prog_bytes: 1, page_bytes: TERMINAL_FLASH.page_bytes, seed: seed });
}

/** The region of downloaded chip parameters and CA keys: four 4 KB sectors, two banks (src/params/store.ts). */
export const PARAMS_FLASH = { sector_bytes: 4096, sector_count: 4, prog_bytes: 1, page_bytes: 256 };

export function paramsFlash(seed: number): NorFlash {
  return new NorFlash({ sector_bytes: PARAMS_FLASH.sector_bytes, sector_count: PARAMS_FLASH.sector_count, prog_bytes: 1, page_bytes: PARAMS_FLASH.page_bytes, seed: seed });
}

export interface TerminalSessionOptions {
  acquirer: AcquirerFn;
  /** An existing flash (e.g. loaded from an image); a fresh one seeded with `seed` otherwise. */
  flash?: NorFlash;
  seed?: number;
  paper_bytes?: number;
  store?: AppStore;
  /** The acquirer profile (src/host/profile.ts): host codec and MAC algorithm; posrt's default when absent. */
  profile?: AcquirerProfile;
  /** The parameter region (e.g. loaded from an image); a fresh one otherwise. */
  paramsFlash?: NorFlash;
  /** Makes the SecurityModule for the profile's MAC algorithm (e.g. the SE050 path on its model); the software one otherwise. */
  security?: (this: void, mac_algorithm: string) => SecurityModule;
}

export function terminalSession(o: TerminalSessionOptions): Session {
  const flash = o.flash === undefined ? terminalFlash(o.seed === undefined ? 1 : o.seed) : o.flash;
  const host = profileHost(o.profile);
  const security = o.security === undefined ? new SoftSecurity({ mac_algorithm: host.mac_algorithm }) : o.security(host.mac_algorithm);
  const codec = host.codec;
  const pf = o.paramsFlash === undefined ? paramsFlash(o.seed === undefined ? 1 : o.seed) : o.paramsFlash;
  return new Session({ flash: flash, security: security, codec: codec, config: TERMINAL_CONFIG, acquirer: o.acquirer, paper_bytes: o.paper_bytes, store: o.store, paramsFlash: pf });
}
