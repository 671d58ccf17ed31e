// posrt journal dump FILE: decodes a journal flash image (records with cbor-x) and the state recovery rebuilds.
import * as fs from "fs";
import { decode } from "cbor-x";
import { UsageError, flagBool, flagInt, parseArgs } from "../args";
import { Bytes, toHex } from "../../src/bytes/index";
import { errorText, fail } from "../../src/errors";
import { loadNorImage } from "../../hal/emulator/nor-file";
import { openJournal, walkRecords } from "../../src/journal/recover";
import { FlashJournal, MAX_SLOTS } from "../../src/journal/journal";
import { RECORD_HEAD_BYTES, RECORD_TYPE_NAMES } from "../../src/journal/format";
import { paramsObject, printParams } from "./params-dump";
import { ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED, TxnRecord } from "../../src/journal/api";

const FIELDS: { [type: number]: string[] } = {
  1: ["batch", "stan", "kind", "state", "amount_minor", "currency", "panMasked", "panSealed", "time", "rrn", "authCode", "respCode", "origStan", "origRrn", "origDate", "refunded_minor", "refundedBy"],
  2: ["batch", "stan", "state", "rrn", "authCode", "respCode", "refunded_minor", "refundedBy"],
  3: ["id", "batch", "stan", "reason", "attempts", "state", "request"],
  4: ["id", "reason", "attempts", "state"],
  5: ["stan_high", "batch", "low", "closed", "dropped_reversals"],
};
const STATE_NAMES = ["?", "pending", "approved", "declined", "voided", "reversed"];

interface DumpRecord { sector: number; offset: number; seq: number; type: string; corrected?: string; fields: { [k: string]: unknown } }

/** Largest image dump reads (the journal's own limit on a region). */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

function plainPayload(type: number, record: Bytes, n: number): { [k: string]: unknown } {
  const raw = Buffer.from((record as unknown as Uint8Array).subarray(RECORD_HEAD_BYTES, RECORD_HEAD_BYTES + n));
  let value: unknown;
  try {
    value = decode(raw);
  } catch (e) {
    return { undecodable: raw.toString("hex"), error: errorText(e) };
  }
  const names = FIELDS[type] ?? [];
  const out: { [k: string]: unknown } = {};
  if (!Array.isArray(value)) return { value };
  value.forEach((v, i) => { out[names[i] ?? `f${i}`] = v instanceof Uint8Array ? Buffer.from(v).toString("hex").toUpperCase() : v; });
  return out;
}

function collectRecords(j: FlashJournal): DumpRecord[] {
  const out: DumpRecord[] = [];
  walkRecords(j, (r, record) => {
    const d: DumpRecord = { sector: r.sector, offset: r.offset, seq: r.seq, type: RECORD_TYPE_NAMES[r.type] ?? String(r.type), fields: plainPayload(r.type, record, r.n) };
    if (r.corrected !== "") d.corrected = r.corrected;
    out.push(d);
  });
  return out;
}

function allErased(b: Bytes): boolean {
  const u = b as unknown as Uint8Array;
  for (let i = 0; i < u.length; i++) if (u[i] !== 0xff) return false;
  return true;
}

function totals(txns: TxnRecord[]): { [k: string]: { count: number; amount_minor: number } } {
  const out: { [k: string]: { count: number; amount_minor: number } } = {};
  for (const s of [ST_PENDING, ST_APPROVED, ST_DECLINED, ST_VOIDED, ST_REVERSED]) out[STATE_NAMES[s]] = { count: 0, amount_minor: 0 };
  out.refunded = { count: 0, amount_minor: 0 };
  for (const t of txns) {
    const k = STATE_NAMES[t.state] ?? "?";
    out[k] = out[k] ?? { count: 0, amount_minor: 0 };
    out[k].count++;
    out[k].amount_minor += t.amount_minor;
    if (t.refunded_minor > 0) { out.refunded.count++; out.refunded.amount_minor += t.refunded_minor; }
  }
  return out;
}

function freeBytes(j: FlashJournal): number {
  let free = 0;
  for (let s = 0; s < j.g.sector_count; s++) if (!j.sectors.isLive(s) && j.sectors.bad[s] === 0) free += j.g.sector_bytes - j.l.first;
  const chain = j.report.chain;
  if (chain.length > 0) free += j.g.sector_bytes - j.sectors.end[chain[chain.length - 1]];
  return free;
}

function txnView(t: TxnRecord): { [k: string]: unknown } {
  return { ...t, state: STATE_NAMES[t.state] ?? t.state, panSealed: toHex(t.panSealed) };
}

/** The dump of one image as a plain object. */
export function dumpObject(path: string, sector_bytes: number): { [k: string]: unknown } {
  if (!fs.existsSync(path)) fail("flash image", "no file " + path);
  const st = fs.statSync(path);
  if (st.isDirectory()) fail("flash image", path + " is a directory, not a file");
  if (!st.isFile()) fail("flash image", path + " is not a regular file");
  if (st.size > MAX_IMAGE_BYTES) fail("flash image", path + " is " + st.size + " bytes, more than " + MAX_IMAGE_BYTES);
  const flash = loadNorImage(path, sector_bytes);
  const j = openJournal(flash, { maxTxnsPerBatch: MAX_SLOTS, maxReversals: 255, warnFillPercent: 80, read_only: true });
  if (j.report.chain.length === 0 && !allErased(flash.image())) fail("journal dump", path + " is not a journal image (no valid sector header)");
  const txns = j.allTxns();
  const current = txns.filter((t) => t.batch === j.batch());
  return {
    geometry: { sector_bytes, sector_count: flash.geometry.sector_count },
    log_sectors: j.report.chain,
    torn_tail: j.report.torn_tail,
    corrupt: j.report.corrupt,
    corrected: j.report.corrected,
    bits_corrected: j.report.bits_corrected,
    records_lost: j.report.records_lost,
    bad_sectors: j.report.bad_sectors,
    unknown_outcomes: j.report.unknown_outcomes,
    records: collectRecords(j),
    batch: j.batch(),
    transactions: txns.map(txnView),
    batch_totals: totals(current),
    reversals: j.reversals().map((v) => ({ ...v, request: toHex(v.request) })),
    free_bytes: freeBytes(j),
    wear: j.sectors.erase.map((n, s) => ({ sector: s, erases: n, live: j.sectors.isLive(s) })),
    params: paramsObject(path),
  };
}

function printText(path: string, d: { [k: string]: any }): void {
  console.log(`${path}: ${d.geometry.sector_count} sectors x ${d.geometry.sector_bytes} bytes; log sectors ${d.log_sectors.join(",") || "(none)"}`);
  if (d.torn_tail !== "") console.log(`torn tail at ${d.torn_tail} (truncated: normal after a power cut)`);
  for (const c of d.corrupt) console.log(`CORRUPT ${c}`);
  for (const c of d.corrected) console.log(`corrected ${c}`);
  if (d.records_lost > 0) console.log(`records lost: ${d.records_lost}`);
  for (const u of d.unknown_outcomes) console.log(`outcome unknown — ask the acquirer: ${u}`);
  console.log(`records (${d.records.length}):`);
  for (const r of d.records) console.log(`  s${String(r.sector).padStart(2)} +${String(r.offset).padStart(5)} #${String(r.seq).padStart(6)} ${r.type.padEnd(15)} ${JSON.stringify(r.fields)}${r.corrected ? ` (corrected ${r.corrected})` : ""}`);
  console.log(`batch ${d.batch}; transactions kept: ${d.transactions.length}`);
  for (const t of d.transactions) console.log(`  ${t.batch}/${t.stan} ${t.state} ${t.amount_minor} ${t.currency} ${t.panMasked} rrn ${t.rrn || "-"} resp ${t.respCode || "-"} refunded ${t.refunded_minor}`);
  console.log(`batch totals: ${Object.entries(d.batch_totals).map(([k, v]: [string, any]) => `${k} ${v.count}/${v.amount_minor}`).join(", ")}`);
  console.log(`reversals kept: ${d.reversals.length}`);
  for (const v of d.reversals) console.log(`  #${v.id} ${v.batch}/${v.stan} state ${v.state} attempts ${v.attempts} reason ${v.reason} request ${v.request.length / 2} bytes`);
  console.log(`free: ${d.free_bytes} bytes; wear (erases per sector): ${d.wear.map((w: any) => w.erases).join(" ")}`);
  printParams(d.params);
}

export async function dumpImage(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ["--sector-bytes"], booleans: ["--json"] });
  if (p.positional.length !== 1) throw new UsageError(p.positional.length === 0 ? "missing FILE" : `unexpected argument "${p.positional[1]}"`);
  const path = p.positional[0];
  const d = dumpObject(path, flagInt(p, "--sector-bytes", 4096));
  if (flagBool(p, "--json")) console.log(JSON.stringify(d, null, 1));
  else printText(path, d);
  const corrupt = d.corrupt as string[];
  if (corrupt.length > 0) console.error(`posrt journal dump: ${path}: damage at ${corrupt.join("; ")}`);
  return corrupt.length > 0 || (d.records_lost as number) > 0 ? 1 : 0;
}
