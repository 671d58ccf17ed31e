// Journal figures (deterministic counts, not timings): bytes programmed per byte stored and erases over a
// sale's lifecycle, flash lifetime, bytes read to recover a full region, records read by a lookup by RRN, and the heap the open
// journal holds at full capacity inside Lua 5.3 and QuickJS (ES5).
import * as fs from "fs";
import * as path from "path";
import { openQuickJs } from "../quickjs";
import { BenchArea } from "./area";
import { DIST, ROOT } from "../paths";
import { LUA, spawnLua } from "../engines";
import { NorFlash } from "../../src/sim/nor-flash";
import { FlashJournal } from "../../src/journal/journal";
import { RECORD_OVERHEAD_BYTES, REC_TXN } from "../../src/journal/format";
import { openJournal } from "../../src/journal/recover";
import { KIND_SALE, ST_APPROVED, ST_PENDING, TxnRecord, refundedByOf } from "../../src/journal/api";
import { Bytes, alloc, len } from "../../src/bytes/index";
import { cborWriter, wArray, wBytes, wText, wUint } from "../../src/codec/cbor";
import { SoftSecurity } from "../../src/crypto/soft-security";
import { maskPan } from "../../src/card/pan";
import { BENCH_CONFIG, fillRegion } from "../../firmware/journal-bench/entry";

/** The region the figures are for: 64 KB of 4 KB sectors rated 100,000 erase cycles. */
export const SECTOR_BYTES = 4096;
export const SECTOR_COUNT = 16;
export const ENDURANCE_CYCLES = 100000;
/** Steady state: sales run, settled every BATCH_SALES; reversal request bytes per sale. */
export const BENCH_SALES = 20000;
export const BATCH_SALES = 200;
export const REQUEST_BYTES = 120;
const PANS = ["6222021234567890128", "4761739001010010", "5413330089010434"];

function region(): NorFlash {
  return new NorFlash({ sector_bytes: SECTOR_BYTES, sector_count: SECTOR_COUNT, prog_bytes: 1, page_bytes: 256, seed: 1 });
}

/**
 * The bytes of a sale's data, as this figure has defined them since journal format 2: its final
 * transaction as a positional CBOR array of 17 fields with every text as a CBOR text string.
 * Fixed here, apart from the journal's own payload codec (which packs digit strings since
 * format 3), so that a more compact encoding on flash lowers the figure instead of the denominator.
 */
export function saleDataBytes(b: Bytes, t: TxnRecord): number {
  const w = cborWriter(b, 0, len(b));
  wArray(w, 17);
  wUint(w, t.batch); wUint(w, t.stan); wUint(w, t.kind); wUint(w, t.state);
  wUint(w, t.amount_minor); wText(w, t.currency); wText(w, t.panMasked);
  wBytes(w, t.panSealed, 0, len(t.panSealed));
  wText(w, t.time); wText(w, t.rrn); wText(w, t.authCode); wText(w, t.respCode);
  wUint(w, t.origStan); wText(w, t.origRrn); wText(w, t.origDate); wUint(w, t.refunded_minor);
  wUint(w, refundedByOf(t));
  return w.pos;
}

/** One online sale as the engine writes it: STAN, reversal armed, pending, approved with the reversal disarmed (one record). Returns the final record. */
function sale(j: FlashJournal, i: number, seal: (pan: string) => ReturnType<typeof alloc>): TxnRecord {
  const stan = j.nextStan();
  const pan = PANS[i % PANS.length];
  const t: TxnRecord = {
    batch: j.batch(), stan, kind: KIND_SALE, state: ST_PENDING, amount_minor: 100 + ((i * 7919) % 99900), currency: "156",
    panMasked: maskPan(pan), panSealed: seal(pan), time: "1126120000", rrn: "", authCode: "", respCode: "", origStan: 0,
    origRrn: "", origDate: "", refunded_minor: 0,
  };
  const id = j.armReversal(t.batch, stan, "98", alloc(REQUEST_BYTES));
  j.putTxn(t);
  const done = { ...t, state: ST_APPROVED, rrn: "3311" + String(stan).padStart(8, "0"), authCode: "A12345", respCode: "00" };
  j.putTxnDisarm(done, id);
  return done;
}

function lifecycleFigures(): { [k: string]: number } {
  const f = region();
  const j = openJournal(f, BENCH_CONFIG);
  const sealer = new SoftSecurity({ seal_counter: 1 });
  const scratch = alloc(1024);
  let payload = 0;
  for (let i = 0; i < BENCH_SALES; i++) {
    const t = sale(j, i, (p) => sealer.sealPan(p));
    payload += saleDataBytes(scratch, t) + REQUEST_BYTES;
    if ((i + 1) % BATCH_SALES === 0) j.closeBatch();
  }
  const erases = f.erases.reduce((a, b) => a + b, 0);
  const worst_per_1k = Math.max(...f.erases) / (BENCH_SALES / 1000);
  const s = j.stats;
  // where the programmed bytes go (the region programs single bytes: no padding to a program unit)
  const framing = (s.records - s.copy_records) * RECORD_OVERHEAD_BYTES;
  const copies = s.copy_payload_bytes + s.copy_records * RECORD_OVERHEAD_BYTES;
  const rest = f.bytes_programmed - s.payload_bytes - framing - copies;
  return {
    "journal.sale_data_bytes_per_sale": payload / BENCH_SALES,
    "journal.programmed_bytes_per_sale": f.bytes_programmed / BENCH_SALES,
    "journal.written_payload_bytes_per_sale": s.payload_bytes / BENCH_SALES,
    // record head (type and length, seq) and CRC-32 (which is also the single-bit corrector) of each record written
    "journal.record_framing_bytes_per_sale": framing / BENCH_SALES,
    // live records copied forward by reclaim, with their framing
    "journal.reclaim_copy_bytes_per_sale": copies / BENCH_SALES,
    // sector headers, retired-header marks and zero fillers after restarts
    "journal.sector_header_bytes_per_sale": rest / BENCH_SALES,
    // bytes programmed (records, headers, fillers, reclaim copies) per byte of what each sale
    // leaves: its final transaction (saleDataBytes: format-2 CBOR) plus its reversal request
    "journal.programmed_per_sale_data_byte": f.bytes_programmed / payload,
    // bytes programmed per byte of record payload the journal's callers had it write
    // (reversal arm, pending txn, approval delta with the disarm, META): the storage layer's own overhead
    "journal.programmed_per_written_payload_byte": f.bytes_programmed / j.stats.payload_bytes,
    "journal.erases_per_1k_tx": erases / (BENCH_SALES / 1000),
    "journal.lifetime_years_at_1k_tx_per_day": ENDURANCE_CYCLES / worst_per_1k / 365,
  };
}

/** Transactions in the batch the RRN lookup figures are for (a device's maxTxnsPerBatch). */
export const LOOKUP_SALES = 120;

/** Txn base records read from flash while `run` runs (every transaction looked at reads one). */
export function txnReads(j: FlashJournal, run: () => void): number {
  const log = j.log;
  const read = log.readRecord.bind(log);
  let n = 0;
  log.readRecord = (addr: number, type: number) => {
    if (type === REC_TXN) n++;
    return read(addr, type);
  };
  try {
    run();
  } finally {
    log.readRecord = read;
  }
  return n;
}

/** Lookups by RRN in a batch of LOOKUP_SALES approved sales: records read for an RRN it does not hold, and for its last sale's. */
function rrnLookupFigures(): { [k: string]: number } {
  const j = openJournal(region(), BENCH_CONFIG);
  const sealer = new SoftSecurity({ seal_counter: 1 });
  let last = "";
  for (let i = 0; i < LOOKUP_SALES; i++) last = sale(j, i, (p) => sealer.sealPan(p)).rrn;
  return {
    "journal.txn_records_read_find_by_rrn_absent_120_txns": txnReads(j, () => j.findByRrn("999999999999")),
    "journal.txn_records_read_find_by_rrn_last_of_120_txns": txnReads(j, () => j.findByRrn(last)),
  };
}

function recoveryBytes(): number {
  const f = region();
  fillRegion(f);
  const j = openJournal(f, { ...BENCH_CONFIG, read_only: true });
  return j.report.bytes_read;
}

/** Lua heap of the journal open at full capacity (firmware/journal-bench/host.lua). */
export function luaJournalBytes(): number {
  const bundle = path.join(DIST, "nodemcu", "posrt-journal-bench.lua");
  if (!fs.existsSync(bundle)) throw new Error(`bench journal: no ${bundle} (npm run build)`);
  const p = spawnLua([path.join(ROOT, "firmware", "journal-bench", "host.lua"), bundle]);
  const m = /JOURNAL_BYTES (\d+)/.exec(p.stdout ?? "");
  if (p.status !== 0 || m === null) throw new Error(`bench journal: ${LUA.name} failed: ${(p.stderr ?? String(p.error)).trim()}`);
  return Number(m[1]);
}

/** QuickJS heap (memory_used_size) added by opening the journal on a full region. */
export async function es5JournalBytes(): Promise<number> {
  const bundle = path.join(DIST, "es5", "posrt-journal-bench.js");
  if (!fs.existsSync(bundle)) throw new Error(`bench journal: no ${bundle} (npm run build)`);
  const qjs = await openQuickJs(undefined, "bench journal: QuickJS");
  const run = qjs.evalValue;
  const used = qjs.used;
  try {
    run(fs.readFileSync(bundle, "utf8"));
    run("posrtJournalBench.prepare()");
    const before = used();
    if ((run("posrtJournalBench.openFull()") as number) <= 0) throw new Error("bench journal: the full region recovered no transactions");
    return used() - before;
  } finally {
    qjs.dispose();
  }
}

export const journalBench: BenchArea = {
  name: "journal",
  async run() {
    return {
      ...lifecycleFigures(),
      ...rrnLookupFigures(),
      "journal.recovery_bytes_read_full_region": recoveryBytes(),
      "memory.lua_journal_bytes": luaJournalBytes(),
      "memory.es5_journal_bytes": await es5JournalBytes(),
    };
  },
};
