// Readers for the members of a suite input (plain values from toPlain), with clear errors.
import { fail } from "../errors";

export type Obj = { [k: string]: unknown };

export function asObj(v: unknown, where: string): Obj {
  if (typeof v !== "object") fail(where, "input must be an object");
  return v as Obj;
}

export function numOr(o: Obj, key: string, def: number, where: string): number {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== "number") fail(where, "\"" + key + "\" must be a number");
  return v as number;
}

export function boolOr(o: Obj, key: string, def: boolean, where: string): boolean {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== "boolean") fail(where, "\"" + key + "\" must be true or false");
  return v as boolean;
}

export function strOr(o: Obj, key: string, def: string, where: string): string {
  const v = o[key];
  if (v === undefined) return def;
  if (typeof v !== "string") fail(where, "\"" + key + "\" must be a string");
  return v as string;
}

/** An array member (empty when absent). */
export function listOr(o: Obj, key: string, where: string): unknown[] {
  const v = o[key];
  if (v === undefined) return [];
  if (typeof v !== "object") fail(where, "\"" + key + "\" must be an array");
  return v as unknown[];
}

export function numList(o: Obj, key: string, where: string): number[] {
  const l = listOr(o, key, where);
  const out: number[] = [];
  for (let i = 0; i < l.length; i++) {
    if (typeof l[i] !== "number") fail(where, "\"" + key + "\"[" + i + "] must be a number");
    out.push(l[i] as number);
  }
  return out;
}
