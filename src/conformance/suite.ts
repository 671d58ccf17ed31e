/** A conformance suite: a name and a function from the vector's "in" to its "out" (throws on error cases). */
export interface Suite {
  name: string;
  run: (this: void, input: unknown) => unknown;
  /** When true, `run` receives the parsed JVal (shape kept: `{}` vs `[]` survive Lua) instead of a plain value. */
  shaped?: boolean;
}

/** Reads a required string member of a suite input. */
export function str(input: unknown, key: string): string {
  const v = (input as { [k: string]: unknown })[key];
  if (typeof v !== "string") throw new Error("vector input needs string \"" + key + "\"");
  return v;
}
