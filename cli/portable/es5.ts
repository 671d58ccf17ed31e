// ES5 output check: parses a bundle strictly as ECMAScript 5 (acorn, ecmaVersion 5 — the
// parser the espruino CLI already depends on) and lists every free (global) identifier it
// references, to compare with an explicit allow-list of ES5 and Espruino built-ins.
import * as acorn from "acorn";

/** ES5 (ECMA-262 5.1 §15) global values a bundle may reference. */
export const ES5_GLOBALS = [
  "undefined", "NaN", "Infinity", "Object", "Function", "Array", "String", "Boolean", "Number", "Math", "Date",
  "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError", "JSON",
  "parseInt", "parseFloat", "isNaN", "isFinite", "decodeURIComponent", "encodeURIComponent",
];

/**
 * Espruino built-ins we use or plan to use (espruino.com/Reference): typed arrays for Bytes,
 * the interpreter's E/print/require, Flash and Storage for the journal, serial/SPI/I2C and pins
 * for the devices, timers and watches for the clock and keypad HALs.
 */
export const ESPRUINO_GLOBALS = [
  "Uint8Array", "Uint32Array", "ArrayBuffer", "E", "print", "require", "Flash", "Storage", "Serial1", "Serial2", "SPI", "SPI1",
  "I2C", "I2C1", "Pin", "digitalWrite", "digitalRead", "pinMode", "setWatch", "clearWatch", "setInterval",
  "clearInterval", "setTimeout", "clearTimeout", "getTime", "getSerial",
];

export interface FreeName {
  name: string;
  line: number;
  col: number;
}

/** Parses `code` as ES5 script; a syntax error names the line and column. */
export function parseEs5(code: string): acorn.Program {
  return acorn.parse(code, { ecmaVersion: 5, sourceType: "script", locations: true });
}

type N = acorn.Node & { [key: string]: unknown };

interface Scope {
  names: { [name: string]: boolean };
  parent: Scope | undefined;
}

/** Largest AST depth walked: a bound against pathological input. */
export const MAX_DEPTH = 2000;

function isNode(v: unknown): v is N {
  return typeof v === "object" && v !== null && typeof (v as N).type === "string";
}

function children(n: N): N[] {
  const out: N[] = [];
  for (const k of Object.keys(n)) {
    if (k === "loc") continue;
    const v = n[k];
    if (Array.isArray(v)) for (const c of v) if (isNode(c)) out.push(c);
    if (isNode(v)) out.push(v);
  }
  return out;
}

const isFunction = (n: N): boolean => n.type === "FunctionDeclaration" || n.type === "FunctionExpression";

/** `var` and function declarations hoisted to the function (or program) whose body is `n`. */
function hoist(n: N, scope: Scope, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error("es5: nesting deeper than " + MAX_DEPTH);
  for (const c of children(n)) {
    if (c.type === "VariableDeclarator") scope.names[(c.id as N & { name: string }).name] = true;
    if (c.type === "FunctionDeclaration") scope.names[(c.id as N & { name: string }).name] = true;
    if (!isFunction(c)) hoist(c, scope, depth + 1);
  }
}

function functionScope(f: N, parent: Scope): Scope {
  const s: Scope = { names: { arguments: true }, parent };
  for (const p of f.params as (N & { name: string })[]) s.names[p.name] = true;
  const id = f.id as (N & { name: string }) | null;
  if (f.type === "FunctionExpression" && id !== null) s.names[id.name] = true;
  hoist(f.body as N, s, 0);
  return s;
}

function declared(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names[name] === true) return true;
  return false;
}

/** Identifier positions that are not references (property names, labels, declared names). */
function nonReferenceChildren(n: N): N[] {
  const skip: N[] = [];
  const t = n.type;
  if (t === "MemberExpression" && n.computed !== true) skip.push(n.property as N);
  if (t === "Property" && n.computed !== true) skip.push(n.key as N);
  if (t === "LabeledStatement" || t === "BreakStatement" || t === "ContinueStatement") skip.push(n.label as N);
  if (isFunction(n)) {
    if (isNode(n.id)) skip.push(n.id);
    for (const p of n.params as N[]) skip.push(p);
  }
  if (t === "VariableDeclarator") skip.push(n.id as N);
  if (t === "CatchClause") skip.push(n.param as N);
  return skip;
}

/** Every free identifier reference in `program`, in source order (repeats included). */
export function freeNames(program: acorn.Program): FreeName[] {
  const out: FreeName[] = [];
  const root: Scope = { names: {}, parent: undefined };
  hoist(program as unknown as N, root, 0);
  const visit = (n: N, scope: Scope, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error("es5: nesting deeper than " + MAX_DEPTH);
    if (n.type === "Identifier") {
      const name = (n as N & { name: string }).name;
      if (!declared(scope, name)) out.push({ name, line: n.loc!.start.line, col: n.loc!.start.column + 1 });
      return;
    }
    let inner = scope;
    if (isFunction(n)) inner = functionScope(n, scope);
    if (n.type === "CatchClause") inner = { names: { [(n.param as N & { name: string }).name]: true }, parent: scope };
    const skip = nonReferenceChildren(n);
    for (const c of children(n)) if (!skip.includes(c)) visit(c, inner, depth + 1);
  };
  visit(program as unknown as N, root, 0);
  return out;
}

/** Problems with `code` as an ES5 bundle: a parse error, or globals outside `allowed`. */
export function checkEs5Bundle(code: string, allowed: string[] = [...ES5_GLOBALS, ...ESPRUINO_GLOBALS]): string[] {
  let program: acorn.Program;
  try {
    program = parseEs5(code);
  } catch (e) {
    return ["not ES5: " + (e as Error).message];
  }
  const seen: { [name: string]: boolean } = {};
  const out: string[] = [];
  for (const f of freeNames(program)) {
    if (allowed.includes(f.name) || seen[f.name] === true) continue;
    seen[f.name] = true;
    out.push(`global ${f.name} at ${f.line}:${f.col}`);
  }
  return out;
}
