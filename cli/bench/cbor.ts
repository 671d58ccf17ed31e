// cbor.* figures: posrt's own CBOR codec on the records the journal actually writes, against
// cbor-x on the same CBOR. One sale's records as the journal writes them (payload.ts, format 3):
// the reversal arm (7 fields, 120-byte request), the pending transaction (17 fields) and its
// approval delta that also disarms the reversal (9). Ours: writeRev/writeTxn/writeTxnDelta into
// a caller-owned buffer and readRev/readTxn/applyTxnDelta/readKeys back, exactly the journal's
// calls (digit strings packed and unpacked, digits.ts). cbor-x: encode the same positional
// arrays (digit strings as the packed byte strings the journal writes) and decode them.
import { Encoder } from "cbor-x";
import { BenchArea, sideBySideRatio } from "./area";
import { Bytes, alloc, len, toHex } from "../../src/bytes/index";
import { KIND_SALE, REV_PENDING, ST_APPROVED, ST_PENDING, ReversalRecord, TxnRecord, refundedByOf } from "../../src/journal/api";
import { REC_TXN_DELTA } from "../../src/journal/format";
import { Keys, applyTxnDelta, newKeys, readKeys, readRev, readTxn, writeRev, writeTxn, writeTxnDelta } from "../../src/journal/payload";
import { MAJOR_BYTES, cborWriter } from "../../src/codec/cbor";
import { wDigits } from "../../src/journal/digits";
import { SoftSecurity } from "../../src/crypto/soft-security";
import { maskPan } from "../../src/card/pan";

const BUFFER_BYTES = 1024;
/** Reversal request bytes per sale (as in the journal bench). */
const REQUEST_BYTES = 120;

interface Sale {
  pending: TxnRecord;
  approved: TxnRecord;
  rev: ReversalRecord;
}

/** One sale's records with realistic contents (sealed PAN, masked PAN, RRN, auth code). */
export function sampleSale(): Sale {
  const pan = "6222021234567890128";
  const sealed = new SoftSecurity({ seal_counter: 1 }).sealPan(pan);
  const request = alloc(REQUEST_BYTES);
  const pending: TxnRecord = {
    batch: 12, stan: 4021, kind: KIND_SALE, state: ST_PENDING, amount_minor: 125050, currency: "156", panMasked: maskPan(pan),
    panSealed: sealed, time: "1126120000", rrn: "", authCode: "", respCode: "", origStan: 0, origRrn: "", origDate: "", refunded_minor: 0,
  };
  const approved: TxnRecord = { ...pending, state: ST_APPROVED, rrn: "331100004021", authCode: "A12345", respCode: "00" };
  const rev: ReversalRecord = { id: 40213, batch: 12, stan: 4021, reason: "98", attempts: 0, state: REV_PENDING, request: request };
  return { pending, approved, rev };
}

/** A text field as the journal has it on flash: packed digits (a byte string) or the text itself. */
function onFlash(s: string): string | Buffer {
  const b = alloc(64);
  const w = cborWriter(b, 0, 64);
  wDigits(w, s);
  const hex = toHex(b).substring(0, 2 * w.pos);
  return parseInt(hex.substring(0, 2), 16) >>> 5 === MAJOR_BYTES ? Buffer.from(hex.substring(2), "hex") : s;
}

function txnArray(t: TxnRecord): unknown[] {
  return [t.batch, t.stan, t.kind, t.state, t.amount_minor, onFlash(t.currency), onFlash(t.panMasked), Buffer.from(toHex(t.panSealed), "hex"), onFlash(t.time),
    onFlash(t.rrn), onFlash(t.authCode), onFlash(t.respCode), t.origStan, onFlash(t.origRrn), onFlash(t.origDate), t.refunded_minor, refundedByOf(t)];
}

/** Our side: the journal's writes and reads of one sale's three records; returns a checksum of what was read. */
function ours(s: Sale, buf: Bytes, k: Keys): number {
  let sum = 0;
  let n = writeRev(buf, 0, BUFFER_BYTES, s.rev);
  sum += len(readRev(buf, 0, n).request);
  n = writeTxn(buf, 0, BUFFER_BYTES, s.pending);
  const t = readTxn(buf, 0, n);
  n = writeTxnDelta(buf, 0, BUFFER_BYTES, s.approved, s.rev.id);
  applyTxnDelta(buf, 0, n, t);
  sum += t.amount_minor + t.rrn.length;
  readKeys(REC_TXN_DELTA, buf, 0, n, k, true);
  return sum + k.disarm;
}

export const cborBench: BenchArea = {
  name: "cbor",
  async run() {
    const s = sampleSale();
    const buf = alloc(BUFFER_BYTES);
    const k = newKeys();
    const cborX = new Encoder({ useRecords: false, tagUint8Array: false });
    const a = s.approved;
    const arrays: unknown[][] = [
      [s.rev.id, s.rev.batch, s.rev.stan, onFlash(s.rev.reason), s.rev.attempts, s.rev.state, Buffer.from(toHex(s.rev.request), "hex")],
      txnArray(s.pending),
      [a.batch, a.stan, a.state, onFlash(a.rrn), onFlash(a.authCode), onFlash(a.respCode), a.refunded_minor, refundedByOf(a), s.rev.id],
    ];
    let sink = 0;
    const oursFn = (): void => { sink += ours(s, buf, k); };
    const theirsFn = (): void => {
      for (let i = 0; i < arrays.length; i++) sink += (cborX.decode(cborX.encode(arrays[i])) as unknown[]).length;
    };
    let oursBytes = 0;
    oursBytes += writeRev(buf, 0, BUFFER_BYTES, s.rev) + writeTxn(buf, 0, BUFFER_BYTES, s.pending) + writeTxnDelta(buf, 0, BUFFER_BYTES, a, s.rev.id);
    let theirBytes = 0;
    for (const arr of arrays) theirBytes += cborX.encode(arr).length;
    const ratio = sideBySideRatio(oursFn, theirsFn);
    if (sink === 0) throw new Error("bench: nothing decoded");
    return {
      "cbor.speed_vs_cbor_x": ratio,
      "cbor.journal_sale_record_bytes": oursBytes,
      "cbor.cbor_x_sale_record_bytes": theirBytes,
    };
  },
};
