// Every conformance suite, by name, in a fixed order.
import { BASIC_SUITES } from "./suites/basic";
import { TLV_SUITES } from "./suites/tlv";
import { CBOR_SUITES } from "./suites/cbor";
import { ISO8583_SUITES } from "./suites/iso8583";
import { CRYPTO_SUITES } from "./suites/crypto";
import { SECURITY_SUITES } from "./suites/security";
import { ACQUIRER_SUITES } from "./suites/acquirer";
import { JOURNAL_SUITES } from "./suites/journal";
import { TXN_SUITES } from "./suites/txn";
import { ERROR_SUITES } from "./suites/errors";
import { APP_SUITES } from "./suites/app";
import { PARTS_SUITES } from "./suites/parts";
import { MODEL_SUITES } from "./suites/models";
import { HOST_SUITES } from "./suites/host";
import { PARAMS_SUITES } from "./suites/params";
import { HASH_SUITES } from "./suites/hash";
import { SE050_SUITES } from "./suites/se050";
import { Suite } from "./suite";

function all(groups: Suite[][]): Suite[] {
  const out: Suite[] = [];
  for (let g = 0; g < groups.length; g++) for (let i = 0; i < groups[g].length; i++) out.push(groups[g][i]);
  return out;
}

export const SUITES: Suite[] = all([BASIC_SUITES, TLV_SUITES, CBOR_SUITES, ISO8583_SUITES, CRYPTO_SUITES, SECURITY_SUITES, ACQUIRER_SUITES, JOURNAL_SUITES, TXN_SUITES, ERROR_SUITES, APP_SUITES, PARTS_SUITES, MODEL_SUITES, HOST_SUITES, PARAMS_SUITES, HASH_SUITES, SE050_SUITES]);

/** Most suites added at start-up by a bundle entry (the driver checks live outside src/). */
export const MAX_EXTRA_SUITES = 32;

/** Adds suites defined outside src/ (firmware/conformance/entry.ts registers the driver-vs-model checks of hal/drivers/checks/). */
export function addSuites(extra: Suite[]): void {
  for (let i = 0; i < extra.length && i < MAX_EXTRA_SUITES; i++) {
    let known = false;
    for (let k = 0; k < SUITES.length; k++) if (SUITES[k].name === extra[i].name) known = true;
    if (!known) SUITES.push(extra[i]);
  }
}
