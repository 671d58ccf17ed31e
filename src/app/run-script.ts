// Runs parsed script steps on a Session: keys and cards at the current virtual time,
// `wait` moves the clock, `expect` lets the clock run until the text shows (or fails after
// EXPECT_TIMEOUT_MS of virtual time), `power-cut` restarts the terminal from its flash.
import { fail } from "../errors";
import { findCard, cardNames } from "./cards";
import { Session } from "./session";
import { ScriptStep, STEP_EXPECT, STEP_INSERT, STEP_KEY, STEP_POWER_CUT, STEP_REMOVE, STEP_SWIPE, STEP_TAP, STEP_WAIT } from "./script";
import { CARD_REMOVE } from "./types";

/** How long (virtual) `expect` waits: longer than the engine's 30 s reply timeout. */
export const EXPECT_TIMEOUT_MS = 65000;

export interface ScriptResult {
  ok: boolean;
  /** Steps run (all of them when ok). */
  steps: number;
  /** The failing step's line and why; "" when ok. */
  line: number;
  error: string;
  screen: string[];
}

/** Runs one step; false when an `expect` failed. */
export function runStep(s: Session, st: ScriptStep): boolean {
  if (st.k === STEP_KEY) s.key(st.arg);
  else if (st.k === STEP_SWIPE || st.k === STEP_INSERT || st.k === STEP_TAP) {
    const c = findCard(st.arg);
    if (c === undefined) fail("script line " + st.line, "unknown card \"" + st.arg + "\" (" + cardNames() + ")");
    s.card(st.k, c);
  } else if (st.k === STEP_REMOVE) s.card(CARD_REMOVE, undefined);
  else if (st.k === STEP_POWER_CUT) s.powerCut();
  else if (st.k === STEP_WAIT) s.advance(st.ms);
  else if (st.k === STEP_EXPECT) return s.runUntil(s.t + EXPECT_TIMEOUT_MS, st.arg);
  return true;
}

/** Runs `steps` on `s`; stops at the first failed `expect`. */
export function runScript(s: Session, steps: ScriptStep[]): ScriptResult {
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i];
    if (!runStep(s, st)) {
      return { ok: false, steps: i, line: st.line, error: "expected \"" + st.arg + "\" on the display within " + Math.floor(EXPECT_TIMEOUT_MS / 1000) + " s", screen: s.screen() };
    }
  }
  return { ok: true, steps: steps.length, line: 0, error: "", screen: s.screen() };
}
