// One error type for the portable core: a clear, one-line message naming what and where.
// Anything thrown that is not a PosrtError is a defect (a crash), and tests treat it so.

export const ERROR_NAME = "PosrtError";

/** Throws a PosrtError "<where>: <message>". */
export function fail(where: string, message: string): never {
  const e = new Error(where + ": " + message);
  e.name = ERROR_NAME;
  throw e;
}

/** True when `e` was thrown by `fail` (not a runtime crash). */
export function isPosrtError(e: unknown): boolean {
  if (typeof e !== "object") return false;
  return (e as Error).name === ERROR_NAME;
}

/** The message of anything thrown, for reports. */
export function errorText(e: unknown): string {
  if (typeof e === "object") {
    const m = (e as Error).message;
    if (typeof m === "string") return m;
  }
  return "crash: " + String(e);
}
