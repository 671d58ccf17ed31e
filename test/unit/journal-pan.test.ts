// Sensitive data: a workload with known card numbers (and power cuts), then a scan of the raw
// flash image for each PAN in ASCII and in BCD at any nibble alignment: any hit fails.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { crashtest } from "../../src/sim/journal-crash";
import { TEST_PANS } from "../../src/sim/journal-workload";
import { Bytes, fromText, len, toHex } from "../../src/bytes/index";
import { NorFlash } from "../../hal/emulator/nor-flash";
import { maskPan } from "../../src/card/pan";
import { nor, open, request, sale } from "../support/journal-fixtures";
import { alloc, copy } from "../../src/bytes/index";
import { cborWriter } from "../../src/codec/cbor";
import { wDigits } from "../../src/journal/digits";

/** A masked PAN as the journal writes it (packed digits, '*' as nibble A), in hex without the CBOR head. */
function maskedOnFlash(pan: string): string {
  const b = alloc(32);
  const w = cborWriter(b, 0, 32);
  wDigits(w, maskPan(pan));
  return toHex(b).substring(2, 2 * w.pos);
}

/** Where `pan` shows in `image`: "ascii" or "bcd", or "" when nowhere. */
export function panFoundIn(image: Bytes, pan: string): string {
  const hex = toHex(image);
  const ascii = toHex(fromText(pan));
  for (let at = hex.indexOf(ascii); at >= 0; at = hex.indexOf(ascii, at + 1)) if (at % 2 === 0) return "ascii";
  if (hex.indexOf(pan) >= 0) return "bcd";
  return "";
}

function imageOf(f: NorFlash): Bytes {
  return f.image();
}

test("no PAN in the raw image after a workload with power cuts (ASCII and BCD, any alignment)", () => {
  for (const mode of ["random", "linear"]) {
    const r = crashtest({ seed: 11, sector_bytes: 4096, sector_count: 16, page_bytes: 256, maxTxnsPerBatch: 300, maxReversals: 8, ops: mode === "random" ? 1500 : 120, mode, only_cut: -1 });
    assert.equal(r.violations, []);
    const img = imageOf(r.last!.flash);
    let masked = 0;
    for (const pan of TEST_PANS) {
      assert.is(panFoundIn(img, pan), "", `${pan} found in the ${mode} image`);
      if (toHex(img).indexOf(maskedOnFlash(pan)) >= 0) masked++;
    }
    assert.ok(masked > 0, "masked PANs are there: the scan looks at real transaction data");
  }
});

test("the scan does find a PAN that leaks, in either form", () => {
  const f = nor();
  const j = open(f);
  j.putTxn(sale(1, 1, TEST_PANS[0]));
  const leak = fromText(TEST_PANS[1]);
  const req = request(60, 1);
  copy(leak, 0, req, 10, len(leak));
  j.armReversal(1, 1, "98", req);
  assert.is(panFoundIn(f.image(), TEST_PANS[1]), "ascii");
  assert.is(panFoundIn(f.image(), TEST_PANS[0]), "");
  const bcd = alloc(40);
  const shifted = "0" + TEST_PANS[2] + "F";
  for (let i = 0; i < shifted.length / 2; i++) (bcd as unknown as Uint8Array)[3 + i] = parseInt(shifted.substr(i * 2, 2), 16);
  assert.is(panFoundIn(bcd, TEST_PANS[2]), "bcd");
});

test.run();
