// Runs conformance vectors inside whichever runtime this bundle was built for.
// The host hands over a vector file's text, then runs its cases one by one
// (so it can sample memory between cases) and reads back one line per case.
import { JVal, J_ARR, J_BOOL, member, parseJson, stringify, toPlain, matches } from "./json";
import { SUITES } from "./registry";
import { Suite } from "./suite";
import { errorText, fail, isPosrtError } from "../errors";

/** Most cases one vector file may hold. */
export const MAX_CASES = 100000;

interface Case {
  suite: string;
  name: string;
  input: JVal;
  out?: JVal;
  error: boolean;
}

let loaded: Case[] = [];

function text(v: JVal | undefined, what: string): string {
  if (v === undefined || v.s === undefined) return fail("vectors", what + " must be a string");
  return v.s;
}

function addSuite(s: JVal, into: Case[]): void {
  const suite = text(member(s, "suite"), "\"suite\"");
  const cases = member(s, "cases");
  if (cases === undefined || cases.k !== J_ARR) fail("vectors", "suite " + suite + ": \"cases\" must be an array");
  const items = cases.items as JVal[];
  for (let i = 0; i < items.length; i++) {
    if (into.length >= MAX_CASES) fail("vectors", "more than " + MAX_CASES + " cases");
    const c = items[i];
    const input = member(c, "in");
    const err = member(c, "error");
    if (input === undefined) fail("vectors", suite + " case " + i + ": missing \"in\"");
    const isError = err !== undefined && err.k === J_BOOL && err.b === true;
    const out = member(c, "out");
    if (!isError && out === undefined) fail("vectors", suite + " case " + i + ": needs \"out\" or \"error\": true");
    into.push({ suite: suite, name: text(member(c, "name"), "case name"), input: input, out: out, error: isError });
  }
}

/** Loads one vector file (a suite object or an array of them); returns its case count. */
export function openVectors(fileText: string): number {
  const root = parseJson(fileText);
  const cases: Case[] = [];
  if (root.k === J_ARR) {
    const items = root.items as JVal[];
    for (let i = 0; i < items.length; i++) addSuite(items[i], cases);
  } else addSuite(root, cases);
  loaded = cases;
  return cases.length;
}

/** "<suite>/<name>" of loaded case `i`. */
export function caseName(i: number): string {
  return loaded[i].suite + "/" + loaded[i].name;
}

function findSuite(name: string): Suite | undefined {
  for (let i = 0; i < SUITES.length; i++) if (SUITES[i].name === name) return SUITES[i];
  return undefined;
}

/** Runs loaded case `i`: "" when it passes, else why it failed. */
export function runCase(i: number): string {
  const c = loaded[i];
  const suite = findSuite(c.suite);
  if (suite === undefined) return "unknown suite " + c.suite;
  let result: unknown = undefined;
  try {
    result = suite.run(suite.shaped === true ? c.input : toPlain(c.input));
  } catch (e) {
    if (c.error && isPosrtError(e)) return "";
    return c.error ? "expected a clear error, got a crash: " + errorText(e) : "error: " + errorText(e);
  }
  if (c.error) return "expected an error, got " + stringify(result);
  if (!matches(result, c.out as JVal)) return "got " + stringify(result);
  return "";
}

/** Releases the loaded cases. */
export function closeVectors(): void {
  loaded = [];
}
