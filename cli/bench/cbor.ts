// cbor.speed_vs_cbor_x: encode + decode of one journal-sized record, ours ÷ cbor-x, side by side.
// Both sides carry the same CBOR content (a map of 12 short text keys); ours writes into a
// caller-owned buffer through the streaming API, as the journal does, and reads back into
// a record object; cbor-x encodes the object and decodes it.
import { Encoder } from "cbor-x";
import { BenchArea, sideBySideRatio } from "./area";
import { Bytes, alloc, fromHex, len, toHex } from "../../src/bytes/index";
import * as c from "../../src/codec/cbor";

interface JournalRecord {
  v: number;
  type: number;
  seq: number;
  stan: number;
  batch: number;
  amount: number;
  cur: number;
  pan: string;
  sealed: Bytes;
  rrn: string;
  auth: string;
  ts: number;
}

const RECORD_FIELDS = 12;
const RECORD_BUFFER_BYTES = 256;

export function sampleRecord(): JournalRecord {
  return {
    v: 1, type: 2, seq: 40213, stan: 74, batch: 12, amount: 125050, cur: 156, pan: "621483******0009",
    sealed: fromHex("8F3A11C2D4E5F60718293A4B5C6D7E8F"), rrn: "261126123456", auth: "A1B2C3", ts: 1795689600,
  };
}

/** Writes `r` as a CBOR map into `w` (keys in deterministic order: shortest first, then bytewise). */
export function writeRecord(w: c.CborWriter, r: JournalRecord): void {
  c.wMap(w, RECORD_FIELDS);
  c.wText(w, "v"); c.wUint(w, r.v);
  c.wText(w, "ts"); c.wUint(w, r.ts);
  c.wText(w, "cur"); c.wUint(w, r.cur);
  c.wText(w, "pan"); c.wText(w, r.pan);
  c.wText(w, "rrn"); c.wText(w, r.rrn);
  c.wText(w, "seq"); c.wUint(w, r.seq);
  c.wText(w, "auth"); c.wText(w, r.auth);
  c.wText(w, "stan"); c.wUint(w, r.stan);
  c.wText(w, "type"); c.wUint(w, r.type);
  c.wText(w, "batch"); c.wUint(w, r.batch);
  c.wText(w, "amount"); c.wInt(w, r.amount);
  c.wText(w, "sealed"); c.wBytes(w, r.sealed, 0, len(r.sealed));
}

/** Reads a record written by writeRecord; unknown keys are skipped. */
export function readRecord(rd: c.CborReader): JournalRecord {
  const out = sampleRecordShape();
  const n = c.rMap(rd);
  for (let i = 0; i < n; i++) {
    const k = c.rText(rd);
    if (k === "v") out.v = c.rUint(rd);
    else if (k === "ts") out.ts = c.rUint(rd);
    else if (k === "cur") out.cur = c.rUint(rd);
    else if (k === "pan") out.pan = c.rText(rd);
    else if (k === "rrn") out.rrn = c.rText(rd);
    else if (k === "seq") out.seq = c.rUint(rd);
    else if (k === "auth") out.auth = c.rText(rd);
    else if (k === "stan") out.stan = c.rUint(rd);
    else if (k === "type") out.type = c.rUint(rd);
    else if (k === "batch") out.batch = c.rUint(rd);
    else if (k === "amount") out.amount = c.rInt(rd);
    else if (k === "sealed") out.sealed = c.rBytes(rd);
    else c.rSkip(rd);
  }
  return out;
}

function sampleRecordShape(): JournalRecord {
  return { v: 0, type: 0, seq: 0, stan: 0, batch: 0, amount: 0, cur: 0, pan: "", sealed: alloc(0), rrn: "", auth: "", ts: 0 };
}

export const cborBench: BenchArea = {
  name: "cbor",
  async run() {
    const rec = sampleRecord();
    const buf = alloc(RECORD_BUFFER_BYTES);
    const cborX = new Encoder({ useRecords: false, variableMapSize: true, tagUint8Array: false });
    const plain = { ...rec, sealed: Buffer.from(toHex(rec.sealed), "hex") };
    let sink = 0;
    const ours = (): void => {
      const w = c.cborWriter(buf, 0, RECORD_BUFFER_BYTES);
      writeRecord(w, rec);
      sink += readRecord(c.cborReader(buf, 0, w.pos)).amount;
    };
    const theirs = (): void => {
      sink += (cborX.decode(cborX.encode(plain)) as { amount: number }).amount;
    };
    const w = c.cborWriter(buf, 0, RECORD_BUFFER_BYTES);
    writeRecord(w, rec);
    const ratio = sideBySideRatio(ours, theirs);
    if (sink === 0) throw new Error("bench: nothing decoded");
    return { "cbor.speed_vs_cbor_x": ratio, "cbor.record_bytes": w.pos, "cbor.cbor_x_record_bytes": cborX.encode(plain).length };
  },
};
