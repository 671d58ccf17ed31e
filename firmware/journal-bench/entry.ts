// Entry of the journal memory bundles (ES5 and Lua): fill a 64 KB emulated region to capacity,
// then open the journal on it, so the engine can measure the heap the open journal holds.
import { NorFlash } from "../../src/sim/nor-flash";
import { FlashJournal, JOURNAL_FULL, JournalOptions } from "../../src/journal/journal";
import { openJournal } from "../../src/journal/recover";
import { KIND_SALE, ST_APPROVED } from "../../src/journal/api";
import { Bytes, alloc, set } from "../../src/bytes/index";
import { errorText } from "../../src/errors";

/** The device configuration the figures are for: 64 KB of 4 KB sectors. */
export const BENCH_CONFIG: JournalOptions = { maxTxnsPerBatch: 300, maxReversals: 8, warnFillPercent: 80 };
const MAX_FILL_SALES = 10000;

let flash: NorFlash | undefined = undefined;
let journal: FlashJournal | undefined = undefined;

function fakeSealed(stan: number): Bytes {
  const b = alloc(25);
  for (let i = 0; i < 25; i++) set(b, i, (stan * 31 + i * 7) & 0xff);
  return b;
}

/** One unsettled sale (the first ones with a pending reversal); false when the journal refuses it as full. */
function addSale(j: FlashJournal, i: number, req: Bytes): boolean {
  const stan = j.nextStan();
  try {
    if (i < BENCH_CONFIG.maxReversals) j.armReversal(j.batch(), stan, "98", req);
    j.putTxn({
      batch: j.batch(), stan: stan, kind: KIND_SALE, state: ST_APPROVED, amount_minor: 1000 + i, currency: "156",
      panMasked: "622202******0128", panSealed: fakeSealed(stan), time: "1126120000", rrn: "331126000001", authCode: "A12345",
      respCode: "00", origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
    });
  } catch (e) {
    if (errorText(e) !== "journal: " + JOURNAL_FULL) throw e;
    return false;
  }
  return true;
}

/** Creates the flash and fills it with unsettled sales and pending reversals until the journal refuses; returns the sales kept. */
export function prepare(): number {
  const f = new NorFlash({ sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256, seed: 1 });
  const kept = fillRegion(f);
  flash = f;
  return kept;
}

/** Fills `f` through a journal until it refuses a sale as full; returns the sales kept. */
export function fillRegion(f: NorFlash): number {
  const j = openJournal(f, BENCH_CONFIG);
  const req = alloc(120);
  let kept = 0;
  let full = false;
  for (let i = 0; i < MAX_FILL_SALES && !full; i++) {
    full = !addSale(j, i, req);
    if (!full) kept++;
  }
  return kept;
}

/** Opens (recovers) the journal on the full region and keeps it open; returns its transaction count. */
export function openFull(): number {
  if (flash === undefined) return -1;
  journal = openJournal(flash, BENCH_CONFIG);
  return journal.txnCount();
}

/** The journal's own RAM accounting, for comparison with the engine's figure. */
export function journalRamBytes(): number {
  return journal === undefined ? -1 : journal.ramBytes();
}
export { heapStart, heapRun } from "./heap";
