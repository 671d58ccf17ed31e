// Shared fixtures for the journal tests: a 64 KB emulated NOR region and sample records.
import { NorFlash } from "../../hal/emulator/nor-flash";
import { Bytes, alloc, set } from "../../src/bytes/index";
import { maskPan } from "../../src/card/pan";
import { KIND_SALE, ST_APPROVED, ST_PENDING, TxnRecord } from "../../src/journal/api";
import { FlashJournal, JournalOptions } from "../../src/journal/journal";
import { openJournal } from "../../src/journal/recover";
import { SoftSecurity } from "../../src/crypto/soft-security";

export const CFG: JournalOptions = { maxTxnsPerBatch: 300, maxReversals: 8, warnFillPercent: 80 };
export const sealer = new SoftSecurity({ seal_counter: 1 });

export function nor(seed = 1, sector_count = 16): NorFlash {
  return new NorFlash({ sector_bytes: 4096, sector_count, prog_bytes: 1, page_bytes: 256, seed });
}

export function open(f: NorFlash, cfg: JournalOptions = CFG): FlashJournal {
  return openJournal(f, cfg);
}

export function sale(batch: number, stan: number, pan = "6222021234567890128", amount_minor = 1500): TxnRecord {
  return {
    batch, stan, kind: KIND_SALE, state: ST_PENDING, amount_minor, currency: "156", panMasked: maskPan(pan),
    panSealed: sealer.sealPan(pan), time: "1126120000", rrn: "", authCode: "", respCode: "", origStan: 0,
    origRrn: "", origDate: "", refunded_minor: 0,
  };
}

export function approved(t: TxnRecord): TxnRecord {
  return { ...t, state: ST_APPROVED, rrn: "33" + String(t.stan).padStart(10, "0"), authCode: "A12345", respCode: "00" };
}

/** A request-like message of `n` bytes (no PAN, track or PIN block). */
export function request(n: number, stan: number): Bytes {
  const b = alloc(n);
  for (let i = 0; i < n; i++) set(b, i, (i * 13 + stan) & 0xff);
  return b;
}
