// Suite error.text: the text of the clear error another suite gives for an input, so runtimes
// must agree on the words people read, numbers included (Lua prints a float 7.0 where
// JavaScript prints 7). In {"suite": name, "in": input} -> out the error text, or "no error".
import { Suite, str } from "../suite";
import { errorText, fail, isPosrtError } from "../../errors";
import { BASIC_SUITES } from "./basic";
import { CBOR_SUITES } from "./cbor";
import { CRYPTO_SUITES } from "./crypto";
import { ISO8583_SUITES } from "./iso8583";
import { TLV_SUITES } from "./tlv";

const GROUPS: Suite[][] = [BASIC_SUITES, TLV_SUITES, CBOR_SUITES, ISO8583_SUITES, CRYPTO_SUITES];

function suiteNamed(name: string): Suite {
  for (let g = 0; g < GROUPS.length; g++) for (let i = 0; i < GROUPS[g].length; i++) if (GROUPS[g][i].name === name && GROUPS[g][i].shaped !== true) return GROUPS[g][i];
  return fail("vectors", "error.text: no plain suite named " + name);
}

function errorTextOf(input: unknown): string {
  const s = suiteNamed(str(input, "suite"));
  try {
    s.run((input as { [k: string]: unknown })["in"]);
  } catch (e) {
    if (isPosrtError(e)) return errorText(e);
    throw e;
  }
  return "no error";
}

export const ERROR_SUITES: Suite[] = [{ name: "error.text", run: errorTextOf }];
