// The terminal's persistent side as the simulation, the `txn.trace` suite and the bench see
// it: a NOR flash (emulated, with torn writes on a power cut) holding the journal, plus the
// software SecurityModule (a secure element keeps its keys across a cut). Portable.
import { crc32 } from "../bytes/index";
import { fail } from "../errors";
import { Journal } from "../journal/api";
import { openJournal } from "../journal/recover";
import { NorFlash } from "./nor-flash";
import { SecurityModule } from "../../hal/security";
import { SoftSecurity } from "../crypto/soft-security";
import { CUP_CODEC } from "../host/cup";
import { ReplayDevice } from "../txn/replay";
import { TxnConfig } from "../txn/types";

/** 64 KB of 4 KB sectors, 256-byte pages (W25Q-class), as on the target boards. */
export const TXN_FLASH_GEOMETRY = { sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256 };
export const TXN_JOURNAL_LIMITS = { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80 };

/** Configuration of the simulated terminal (and of the recorded traces). */
export const SIM_TERMINAL: TxnConfig = {
  terminalId: "SIM00001", merchantId: "SIMMERCHANT0001", merchantName: "POSRT SIM SHOP", currency: "156",
  timeout_ms: 30000, reversalAttempts: 3, refundMax_minor: 200000, supervisorPassword: "246810", keyScheme: "003", awaitCompletion: false,
};

export interface FlashTerminal extends ReplayDevice {
  flash: NorFlash;
}

/** Fewest sectors a trace device may have (the journal needs its reserve plus two). */
export const MIN_TRACE_SECTORS = 4;

/**
 * A terminal whose journal lives on emulated NOR flash seeded with `seed` (torn-bit pattern);
 * `sector_count` (default 16, i.e. 64 KB) may be smaller for short traces.
 */
export function flashTerminal(seed: number, security?: SecurityModule, sector_count?: number): FlashTerminal {
  const sectors = sector_count === undefined ? TXN_FLASH_GEOMETRY.sector_count : sector_count;
  if (sectors < MIN_TRACE_SECTORS || sectors > TXN_FLASH_GEOMETRY.sector_count) fail("sim", "sector_count " + sectors + " outside " + MIN_TRACE_SECTORS + ".." + TXN_FLASH_GEOMETRY.sector_count);
  const flash = new NorFlash({ sector_bytes: TXN_FLASH_GEOMETRY.sector_bytes, sector_count: sectors, prog_bytes: TXN_FLASH_GEOMETRY.prog_bytes, page_bytes: TXN_FLASH_GEOMETRY.page_bytes, seed: seed });
  return {
    flash: flash,
    open: (): Journal => {
      flash.powerOn();
      return openJournal(flash, TXN_JOURNAL_LIMITS);
    },
    armCut: (n: number): void => {
      flash.cut_at = flash.ops + n - 1;
    },
    dead: (): boolean => flash.dead,
    imageCrc: (): number => crc32(flash.image()),
    security: security === undefined ? new SoftSecurity({}) : security,
    codec: CUP_CODEC,
    config: SIM_TERMINAL,
  };
}
