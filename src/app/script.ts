// The one script language that drives a terminal everywhere (`posrt terminal --script`, the
// browser emulator, the device builds). One step per line:
//   key K          K: 0-9, 00, ., enter, cancel, clear, back, up, down, f1-f4
//   keys DIGITS    one key per digit ("keys 1234" = key 1, key 2, key 3, key 4)
//   swipe CARD | insert CARD | tap CARD      a test card by name (src/app/cards.ts)
//   remove         the inserted card is taken out
//   power-cut      power lost now; the terminal restarts from its flash
//   wait MS        the virtual clock moves on MS milliseconds
//   expect TEXT    TEXT is on the display within a (virtual) timeout, else the script fails
//   # comment      and blank lines are ignored
import { fail } from "../errors";
import { isDigits } from "../text/digits";

export const STEP_KEY = "key";
export const STEP_SWIPE = "swipe";
export const STEP_INSERT = "insert";
export const STEP_TAP = "tap";
export const STEP_REMOVE = "remove";
export const STEP_POWER_CUT = "power-cut";
export const STEP_WAIT = "wait";
export const STEP_EXPECT = "expect";

/** Most steps one script may have (after `keys` is expanded). */
export const MAX_SCRIPT_STEPS = 5000;
/** Longest `wait`, one virtual day. */
export const MAX_WAIT_MS = 86400000;
/** Longest script text accepted. */
export const MAX_SCRIPT_CHARS = 200000;

export const KEYS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", ".", "enter", "cancel", "clear", "back", "up", "down", "f1", "f2", "f3", "f4"];

/** One step: `k` the kind, `arg` the key, card name, text or milliseconds (as text), `line` (1-based). */
export interface ScriptStep {
  k: string;
  arg: string;
  ms: number;
  line: number;
}

/** `s` without leading and trailing spaces, tabs and carriage returns. */
export function trimText(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.substring(a, b);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function step(k: string, arg: string, ms: number, line: number): ScriptStep {
  return { k: k, arg: arg, ms: ms, line: line };
}

/** Parses one non-empty, non-comment line into `out`; errors name the line. */
function parseLine(text: string, line: number, out: ScriptStep[]): void {
  const sp = text.indexOf(" ");
  const word = sp < 0 ? text : text.substring(0, sp);
  const arg = sp < 0 ? "" : trimText(text.substring(sp + 1));
  const where = "script line " + line;
  if (word === "key") {
    if (KEYS.indexOf(arg) < 0) fail(where, "unknown key \"" + arg + "\" (0-9, 00, ., enter, cancel, clear, back, up, down, f1-f4)");
    out.push(step(STEP_KEY, arg, 0, line));
  } else if (word === "keys") {
    if (!isDigits(arg)) fail(where, "keys takes digits only, got \"" + arg + "\"");
    for (let i = 0; i < arg.length; i++) out.push(step(STEP_KEY, arg.charAt(i), 0, line));
  } else if (word === STEP_SWIPE || word === STEP_INSERT || word === STEP_TAP) {
    if (arg.length === 0 || arg.indexOf(" ") >= 0) fail(where, word + " needs one card name");
    out.push(step(word, arg, 0, line));
  } else if (word === STEP_REMOVE || word === STEP_POWER_CUT) {
    if (arg.length > 0) fail(where, word + " takes no argument");
    out.push(step(word, "", 0, line));
  } else if (word === STEP_WAIT) {
    if (!isDigits(arg) || arg.length > 9 || parseInt(arg, 10) > MAX_WAIT_MS) fail(where, "wait needs milliseconds 0.." + MAX_WAIT_MS);
    out.push(step(STEP_WAIT, arg, parseInt(arg, 10), line));
  } else if (word === STEP_EXPECT) {
    if (arg.length === 0) fail(where, "expect needs the text to wait for");
    out.push(step(STEP_EXPECT, arg, 0, line));
  } else fail(where, "unknown step \"" + word + "\" (key, keys, swipe, insert, tap, remove, power-cut, wait, expect, #)");
}

/** Parses a whole script; a bad line is a PosrtError "script line N: ...". */
export function parseScript(text: string): ScriptStep[] {
  if (text.length > MAX_SCRIPT_CHARS) fail("script", "longer than " + MAX_SCRIPT_CHARS + " characters");
  const out: ScriptStep[] = [];
  let line = 1;
  let from = 0;
  for (let guard = 0; guard <= MAX_SCRIPT_CHARS && from <= text.length; guard++) {
    let nl = text.indexOf("\n", from);
    if (nl < 0) nl = text.length;
    const t = trimText(text.substring(from, nl));
    if (t.length > 0 && t.charAt(0) !== "#") parseLine(t, line, out);
    if (out.length > MAX_SCRIPT_STEPS) fail("script", "more than " + MAX_SCRIPT_STEPS + " steps");
    from = nl + 1;
    line++;
  }
  return out;
}
