// A transaction workload for the heap test: sale journalled pending with its reversal armed,
// then approved and the reversal disarmed; the batch closes every HEAP_BATCH sales. The test
// runs it inside QuickJS and Lua and compares the engine's heap after 100 and 10,000 sales.
import { NorFlash } from "../../src/sim/nor-flash";
import { Journal, KIND_SALE, ST_APPROVED, ST_PENDING, TxnRecord } from "../../src/journal/api";
import { openJournal } from "../../src/journal/recover";
import { Bytes, alloc, set } from "../../src/bytes/index";
import { pad } from "../../src/text/digits";

/** Sales per batch before it is closed. */
export const HEAP_BATCH = 200;
/** Most sales one heapRun call writes. */
export const MAX_HEAP_RUN = 20000;

let heapJournal: Journal | undefined = undefined;
let heapReq: Bytes = alloc(0);
let heapPan: Bytes = alloc(0);
let heapInBatch = 0;

/** A fresh 64 KB region and journal. */
export function heapStart(): number {
  const f = new NorFlash({ sector_bytes: 4096, sector_count: 16, prog_bytes: 1, page_bytes: 256, seed: 1 });
  heapJournal = openJournal(f, { maxTxnsPerBatch: 300, maxReversals: 8, warnFillPercent: 80 });
  heapInBatch = 0;
  heapReq = alloc(120);
  for (let i = 0; i < 120; i++) set(heapReq, i, (i * 13) & 0xff);
  heapPan = alloc(25);
  for (let i = 0; i < 25; i++) set(heapPan, i, (i * 7 + 3) & 0xff);
  return 0;
}

/** Writes `n` sales; returns the sales in the open batch. */
export function heapRun(n: number): number {
  const j = heapJournal as Journal;
  for (let i = 0; i < n && i < MAX_HEAP_RUN; i++) {
    const stan = j.nextStan();
    const t: TxnRecord = {
      batch: j.batch(), stan: stan, kind: KIND_SALE, state: ST_PENDING, amount_minor: 1000 + (stan % 500), currency: "156",
      panMasked: "622202******0128", panSealed: heapPan, time: "1126120000", rrn: "", authCode: "", respCode: "",
      origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
    };
    const id = j.armReversal(t.batch, stan, "98", heapReq);
    j.putTxn(t);
    t.state = ST_APPROVED;
    t.rrn = "33" + pad(stan, 10);
    t.authCode = "A12345";
    t.respCode = "00";
    j.putTxn(t);
    j.disarmReversal(id);
    heapInBatch++;
    if (heapInBatch >= HEAP_BATCH) {
      j.closeBatch();
      heapInBatch = 0;
    }
  }
  return heapInBatch;
}
