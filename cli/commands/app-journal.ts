// posrt journal lookup | audit: the terminal app's questions asked of a flash image — the
// "Can it be cancelled?" advisor (the same pure function as menu 5) and the audit trail.
import { UsageError, flagBool, flagString, parseArgs } from "../args";
import { loadNorImage } from "../../hal/emulator/nor-file";
import { openJournal } from "../../src/journal/recover";
import { FlashJournal } from "../../src/journal/journal";
import { advise, findOriginal } from "../../src/app/advisor";
import { AppStore, AuditEntry, MemoryAppStore, storeOf } from "../../src/app/store";
import { SettledIndex } from "../../src/app/settled";
import { TERMINAL_FLASH } from "../../src/app/config";
import { pad } from "../../src/txn/time";
import { money } from "../../src/app/screen";
import { kindWord } from "../../src/app/receipts";

export const LOOKUP_USAGE = "posrt journal lookup IMAGE (--trace N | --rrn R) [--json]";
export const AUDIT_USAGE = "posrt journal audit IMAGE [--json | --csv]";

function openImage(file: string): { j: FlashJournal; store: AppStore | undefined } {
  const flash = loadNorImage(file, TERMINAL_FLASH.sector_bytes);
  const j = openJournal(flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80, read_only: true });
  const fallback = new MemoryAppStore();
  const st = storeOf(j, fallback);
  return { j, store: st === fallback ? undefined : st };
}

function onePositional(p: { positional: string[] }, usage: string): string {
  if (p.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
  return p.positional[0];
}

export async function lookup(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { values: ["--trace", "--rrn"], booleans: ["--json"] });
  const file = onePositional(p, LOOKUP_USAGE);
  const trace = flagString(p, "--trace", "");
  const rrn = flagString(p, "--rrn", "");
  if ((trace === "") === (rrn === "")) throw new UsageError("give exactly one of --trace N or --rrn R");
  if (trace !== "" && !/^\d{1,6}$/.test(trace)) throw new UsageError(`--trace must be 1-6 digits, got "${trace}"`);
  if (rrn !== "" && !/^\d{12}$/.test(rrn)) throw new UsageError(`--rrn must be 12 digits, got "${rrn}"`);
  const { j, store } = openImage(file);
  const settled = store === undefined ? undefined : new SettledIndex(store);
  const o = findOriginal(j, settled, trace !== "" ? "trace" : "rrn", trace !== "" ? trace : rrn);
  if (o === undefined) {
    console.error(`posrt journal lookup: no transaction with ${trace !== "" ? "trace " + trace.padStart(6, "0") : "RRN " + rrn} in ${file}`);
    return 1;
  }
  const a = advise(o);
  if (flagBool(p, "--json")) {
    console.log(JSON.stringify({ state: a.state, action: a.action, reason: a.reason, refundable_minor: a.refundable_minor, batch: o.batch, trace: o.stan, rrn: o.rrn, kind: kindWord(o.kind).toLowerCase(), amount_minor: o.amount_minor }));
  } else {
    console.log(`trace ${pad(o.stan, 6)} batch ${pad(o.batch, 6)} ${kindWord(o.kind).toLowerCase()} ${money(o.amount_minor)} RRN ${o.rrn || "-"}: ${a.state}`);
    console.log(`can: ${a.action}${a.refundable_minor > 0 ? " up to " + money(a.refundable_minor) : ""} — ${a.reason}`);
  }
  return 0;
}

const CSV_KEYS: (keyof AuditEntry)[] = ["t_s", "operator", "kind", "reason", "batch", "stan", "rrn", "amount_minor", "outcome"];

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function audit(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { booleans: ["--json", "--csv"] });
  const file = onePositional(p, AUDIT_USAGE);
  if (flagBool(p, "--json") && flagBool(p, "--csv")) throw new UsageError("--json and --csv exclude each other");
  const { store } = openImage(file);
  if (store === undefined) {
    console.error(`posrt journal audit: the journal in ${file} keeps no audit trail (journal without audit records)`);
    return 1;
  }
  const entries = store.auditEntries();
  const dropped = store.auditDropped();
  if (flagBool(p, "--json")) console.log(JSON.stringify({ entries, dropped }));
  else if (flagBool(p, "--csv")) {
    console.log(CSV_KEYS.join(","));
    for (const e of entries) console.log(CSV_KEYS.map((k) => csvCell(e[k])).join(","));
  } else {
    for (const e of entries) {
      console.log(`${new Date(e.t_s * 1000).toISOString().slice(0, 19)}Z op ${e.operator} ${e.kind.padEnd(8)} batch ${pad(e.batch, 6)} trace ${pad(e.stan, 6)} ${money(e.amount_minor).padStart(10)} ${e.reason}: ${e.outcome}`);
    }
    console.log(`${entries.length} entries, ${dropped} dropped after settlement reports printed them`);
  }
  return 0;
}
