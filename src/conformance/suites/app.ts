// Suites of the terminal app: escpos.encode (receipt lines → ESC/POS bytes) and app.trace
// (a script of keys, cards and power cuts run on a whole terminal with the acquirer's
// recorded replies: display frames, printer bytes, wire bytes and the flash image must be
// identical on node, es5 and lua). A trace may start from stored operator records (a full table).
import { Suite } from "../suite";
import { replayedAcquirer } from "./replayed-acquirer";
import { Bytes, concat, crc32, fromHex, fromText, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { PrintLine, encodeJob } from "../../escpos/encode";
import { parseScript } from "../../app/script";
import { runScript } from "../../app/run-script";
import { terminalSession } from "../../app/config";
import { OPERATOR_SLOT } from "../../app/operators";
import { Session } from "../../app/session";
import { APP_DAMAGE_SUITE } from "./app-damage";

interface EncodeInput {
  lines: PrintLine[];
  columns: number;
  feed: number;
  cut: boolean;
}

interface TraceInput {
  script: string;
  /** Acquirer replies, one per request in order, hex ("" = no reply). */
  replies: string[];
  seed: number;
  /** When given: the operator records (app blob slot OPERATOR_SLOT, hex) the terminal has at a power-up before the script. */
  operators?: string;
}

function framesCrc(s: Session): number {
  let c = 0;
  for (let i = 0; i < s.frames.length; i++) {
    const f = s.frames[i];
    c = crc32(fromText(String(f.t_ms) + "|" + f.rows.join("\n") + "\n"), 0, undefined, c);
  }
  return c;
}

function allCrc(parts: Bytes[]): number {
  return crc32(concat(parts));
}

export const APP_SUITES: Suite[] = [
  {
    name: "escpos.encode",
    run: (input: unknown) => {
      const o = input as EncodeInput;
      return toHex(encodeJob(o.lines, { columns: o.columns, feed: o.feed, cut: o.cut }));
    },
  },
  {
    name: "app.trace",
    run: (input: unknown) => {
      const o = input as TraceInput;
      if (typeof o.script !== "string" || typeof o.seed !== "number") fail("app.trace", "input needs {script, replies, seed}");
      const acquirer = replayedAcquirer(o.replies);
      const s = terminalSession({ acquirer: acquirer, seed: o.seed });
      if (o.operators !== undefined) {
        s.app.st.putAppBlob(OPERATOR_SLOT, fromHex(o.operators));
        s.powerCut();
      }
      const r = runScript(s, parseScript(o.script));
      return {
        ok: r.ok, line: r.line, screen: r.screen, frames: s.frames.length, frames_crc: framesCrc(s), receipts: s.receipts.length,
        printer_crc: allCrc(s.printed), wire: s.wireBytes.length, wire_crc: allCrc(s.wireBytes), audit: s.auditEntries().length,
        cuts: s.cuts, flash_crc: crc32(s.o.flash.image()),
      };
    },
  },
  APP_DAMAGE_SUITE,
];
