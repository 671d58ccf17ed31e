// The portable subset (CONTRIBUTING.md) as a table: one rule per thing that
// behaves differently, or not at all, under ES5 (Espruino) and Lua 5.3 (typescript-to-lua).

export interface Rule {
  id: string;
  reason: string;
}

export const RULES: Rule[] = [
  { id: "null", reason: "null becomes nil in Lua and cannot sit in a table; use undefined" },
  { id: "regexp", reason: "no RegExp in Lua (TSTL) and costly on Espruino" },
  { id: "builtin", reason: "Map/Set/WeakMap/WeakSet/Symbol/Proxy/Reflect/Promise/RegExp are not ES5 or not in Lua" },
  { id: "generator", reason: "generators are not ES5 and cost coroutines in Lua" },
  { id: "async", reason: "async/await is not ES5; the core is event-driven through the HAL" },
  { id: "accessor", reason: "getters/setters hide work and are slow through TSTL metatables" },
  { id: "new-array", reason: "new Array(n) makes holes; Lua tables have no length for them" },
  { id: "array-hole", reason: "sparse literals: # in Lua disagrees with .length in JS" },
  { id: "loose-equality", reason: "== / != coerce in JS but compile as ===/!== for Lua" },
  { id: "shift-right", reason: ">> does not compile for Lua 5.3 (use >>>); ~ is 64-bit in Lua" },
  { id: "delete", reason: "delete on a table; set explicit fields or use arrays" },
  { id: "for-in", reason: "for...in order follows key order, which Lua pairs() does not have" },
  { id: "for-of", reason: "for...of over a non-array needs iterators (not ES5, not cheap in Lua)" },
  { id: "instanceof", reason: "instanceof against a built-in differs between ES5 engines and Lua" },
  { id: "import", reason: "portable code imports only src/, #bytes-native and hal/ interfaces" },
  { id: "global", reason: "only ES5 globals that TSTL maps to Lua; no Node/DOM (require, process, console, timers...)" },
  { id: "typed-array", reason: "typed arrays do not exist in Lua; only src/bytes/native-typed.ts may use them" },
  { id: "truthiness", reason: "0, \"\" and NaN are truthy in Lua: a condition must be a boolean" },
  { id: "try-jump", reason: "TSTL compiles try/catch into pcall functions: a break/continue inside them aimed at an outer loop is invalid Lua" },
  { id: "callback-this", reason: "a function type without `this: void` makes TSTL pass a hidden self in Lua" },
  { id: "division", reason: "a / b is a float in Lua (14 / 2 is 7.0, printed \"7.0\"): round with Math.floor unless only compared or rounded" },
  { id: "logical-default", reason: "a || b / a && b on non-booleans picks differently in Lua (0 and \"\" are truthy)" },
];

/** Globals the portable core may reference as values (ES5 and mapped by TSTL to Lua). */
export const ALLOWED_GLOBALS = [
  "undefined", "NaN", "Infinity", "Math", "String", "Number", "Boolean", "Error", "Array", "Object",
  "parseInt", "parseFloat", "isNaN", "isFinite",
];

/** Built-ins ruled out wherever they are named (value or type). */
export const BANNED_BUILTINS = ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "Promise", "RegExp"];

export const TYPED_ARRAYS = [
  "ArrayBuffer", "DataView", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
  "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
];

/** The one file allowed to use typed arrays (path relative to the repository root). */
export const TYPED_ARRAY_FILE = "src/bytes/native-typed.ts";

/** Module specifiers portable code may import besides relative paths inside src/ and hal/*.ts. */
export const ALLOWED_BARE_IMPORTS = ["#bytes-native"];
