// Suite app.damage: a script on a whole terminal, then multi-byte damage in the first
// committed record of each given type, then a power-up. What the terminal shows (fault
// screen), audits ("storage"), advises for one trace and sends afterwards must be the same
// on node, es5 and lua.
import { Suite } from "../suite";
import { replayedAcquirer } from "./replayed-acquirer";
import { fail } from "../../errors";
import { parseScript } from "../../app/script";
import { runScript } from "../../app/run-script";
import { terminalSession, TERMINAL_FLASH } from "../../app/config";
import { advise, findOriginal } from "../../app/advisor";
import { openJournal, RecordInfo, walkRecords } from "../../journal/recover";

interface DamageInput {
  script: string;
  /** Acquirer replies, one per request in order, hex ("" = no reply). */
  replies: string[];
  seed: number;
  /** Record types (src/journal/format.ts REC_*) whose first record gets `bytes` damaged bytes at offset 3. */
  damage_types: number[];
  bytes: number;
  /** The trace the advisor is asked about after power-up. */
  trace: number;
  /** Run after the power-up (e.g. enter, sign-on, menu 5). */
  after: string;
}

/** Most records damaged in one case. */
const MAX_DAMAGED = 8;

export const APP_DAMAGE_SUITE: Suite = {
  name: "app.damage",
  run: (input: unknown) => {
    const o = input as DamageInput;
    if (typeof o.script !== "string" || typeof o.after !== "string" || o.damage_types === undefined) fail("app.damage", "input needs {script, replies, seed, damage_types, bytes, trace, after}");
    const acquirer = replayedAcquirer(o.replies);
    const s = terminalSession({ acquirer: acquirer, seed: o.seed });
    const before = runScript(s, parseScript(o.script));
    const probe = openJournal(s.o.flash, { maxTxnsPerBatch: 120, maxReversals: 16, warnFillPercent: 80, read_only: true });
    const hit: number[] = [];
    const addrs: number[] = [];
    walkRecords(probe, (r: RecordInfo) => {
      const k = o.damage_types.indexOf(r.type);
      if (k >= 0 && hit.indexOf(r.type) < 0 && addrs.length < MAX_DAMAGED) {
        hit.push(r.type);
        addrs.push(r.sector * TERMINAL_FLASH.sector_bytes + r.offset + 3);
      }
    });
    for (let i = 0; i < addrs.length; i++) s.o.flash.damage(addrs[i], o.bytes);
    const sent = s.wire.length;
    s.powerCut();
    const atPowerUp = s.screen();
    const after = runScript(s, parseScript(o.after));
    const storage: string[] = [];
    const trail = s.auditEntries();
    for (let i = 0; i < trail.length; i++) if (trail[i].kind === "storage") storage.push(trail[i].reason + " | " + trail[i].outcome);
    const orig = findOriginal(s.j, undefined, "trace", String(o.trace));
    const adv = orig === undefined ? undefined : advise(orig);
    const out: string[] = [];
    for (let i = sent; i < s.wire.length; i++) if (s.wire[i].dir === "out") out.push(s.wire[i].mti + " " + s.wire[i].stan);
    return {
      ok: before.ok && after.ok, damaged: addrs, power_up: atPowerUp, storage_audit: storage,
      advice: adv === undefined ? "" : adv.state + " | " + adv.action + " | " + adv.reason, sent_after: out, screen: after.screen,
    };
  },
};
