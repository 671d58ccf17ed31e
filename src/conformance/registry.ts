// Every conformance suite, by name, in a fixed order.
import { BASIC_SUITES } from "./suites/basic";
import { TLV_SUITES } from "./suites/tlv";
import { CBOR_SUITES } from "./suites/cbor";
import { ISO8583_SUITES } from "./suites/iso8583";
import { JOURNAL_SUITES } from "./suites/journal";
import { Suite } from "./suite";

function all(groups: Suite[][]): Suite[] {
  const out: Suite[] = [];
  for (let g = 0; g < groups.length; g++) for (let i = 0; i < groups[g].length; i++) out.push(groups[g][i]);
  return out;
}

export const SUITES: Suite[] = all([BASIC_SUITES, TLV_SUITES, CBOR_SUITES, ISO8583_SUITES, JOURNAL_SUITES]);
