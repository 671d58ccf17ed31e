// A small, strict command-line parser: known flags only, clear errors.

export interface FlagSpec {
  /** Flags taking a value, e.g. ["--seed", "--ops"]. */
  values?: string[];
  /** Flags without a value, e.g. ["--json"]. */
  booleans?: string[];
}

export interface Parsed {
  flags: { [flag: string]: string | true };
  positional: string[];
}

export class UsageError extends Error {}

/** Parses argv against `spec`; unknown flags or missing values throw UsageError. */
export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const values = spec.values ?? [];
  const booleans = spec.booleans ?? [];
  const out: Parsed = { flags: {}, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (booleans.includes(name)) {
      out.flags[name] = true;
    } else if (values.includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      out.flags[name] = v;
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  return out;
}

/** A flag's string value, or the default. */
export function flagString(p: Parsed, name: string, dflt: string): string {
  const v = p.flags[name];
  return typeof v === "string" ? v : dflt;
}

/** A flag's non-negative integer value, or the default; anything else is a UsageError. */
export function flagInt(p: Parsed, name: string, dflt: number): number {
  const v = p.flags[name];
  if (typeof v !== "string") return dflt;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

export function flagBool(p: Parsed, name: string): boolean {
  return p.flags[name] === true;
}
