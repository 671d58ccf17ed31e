// Hash suites (vectors in test/vectors/hash.json):
// - hash.sha1: in {"ascii": text, "repeat"?: n} or {"hex": bytes} (the message, `repeat` times),
//   with optional "off"/"n" (the range hashed) -> out the 20-byte digest as upper-case hex
//   (src/crypto/sha1.ts); a range outside the message is an error.
import { Suite, str } from "../suite";
import { Bytes, concat, fromAscii, fromHex, toHex } from "../../bytes/index";
import { fail } from "../../errors";
import { sha1 } from "../../crypto/sha1";

/** Most repeats of a vector's message. */
export const MAX_VECTOR_REPEAT = 64;

function message(input: unknown): Bytes {
  const o = input as { [k: string]: unknown };
  const one = typeof o["hex"] === "string" ? fromHex(str(input, "hex")) : fromAscii(str(input, "ascii"), "vector");
  const r = typeof o["repeat"] === "number" ? (o["repeat"] as number) : 1;
  if (r < 1 || r > MAX_VECTOR_REPEAT) fail("vector", "repeat " + r + " outside 1.." + MAX_VECTOR_REPEAT);
  const parts: Bytes[] = [];
  for (let i = 0; i < r && i < MAX_VECTOR_REPEAT; i++) parts.push(one);
  return concat(parts);
}

function digest(input: unknown): unknown {
  const o = input as { [k: string]: unknown };
  const m = message(input);
  const off = typeof o["off"] === "number" ? (o["off"] as number) : undefined;
  const n = typeof o["n"] === "number" ? (o["n"] as number) : undefined;
  return toHex(sha1(m, off, n));
}

export const HASH_SUITES: Suite[] = [{ name: "hash.sha1", run: digest }];
