// driver.se050: the SE050 driver and Se050Security against the SE050 model on the simulated bus.
// In: {"scheme": "001"|"003"|"004", "mac_algorithm"?, "size": MAC input bytes, faults before the
// sale: "corrupt_answers", "noise", "lose", "wtx" (counts), "fail_sw" (a status word for the
// first APDU of the sale), "absent": true (no SE on the bus: the boot choice falls back)}.
// Out: the sale's crypto (MAC out, MAC check of a reply, PIN block, sealed PAN, opened PAN),
// whether it equals the software module's for the same keys, the banner line and the link's
// counters; an error as its one line.
import { Suite } from "../../../src/conformance/suite";
import { asObj, boolOr, numOr, strOr } from "../../../src/conformance/args";
import { Bytes, alloc, fromHex, set, toHex } from "../../../src/bytes/index";
import { errorText, isPosrtError } from "../../../src/errors";
import { SimBus } from "../../../src/models/sim-bus";
import { Se050Model } from "../../../src/models/se050";
import { SecurityModule } from "../../security";
import { SoftSecurity, TEST_TMK_HEX } from "../../../src/crypto/soft-security";
import { WorkingKeys, encodeWorkingKeys, tdesKey } from "../../../src/crypto/index";
import { chooseSecurity } from "../security-choice";

const PAN = "6214830000000009";
const W = "driver.se050";

function keysOf(scheme: string): WorkingKeys {
  const k: WorkingKeys = { scheme: scheme, pik: fromHex("0123456789ABCDEF1032547698BADCFE"), mak: fromHex("89ABCDEF0123456776543210FEDCBA98") };
  if (scheme === "001") {
    k.pik = fromHex("1032547698BADCFE");
    k.mak = fromHex("0123456789ABCDEF");
  }
  if (scheme === "004") k.tdk = fromHex("FEDCBA98765432100123456789ABCDEF");
  return k;
}

function message(n: number, salt: number): Bytes {
  const b = alloc(n);
  for (let i = 0; i < n; i++) set(b, i, (i * 31 + salt) & 0xff);
  return b;
}

/** MAC out, MAC check of a reply (good and wrong), PIN block, sealed PAN, opened PAN. */
function sale(sm: SecurityModule, size: number): string[] {
  const reply = message(size + 5, 7);
  const replyMac = sm.mac(reply);
  const out = toHex(sm.mac(message(size, 1)));
  const sealed = sm.sealPan(PAN, 77);
  return [out, sm.verifyMac(reply, replyMac) ? "mac ok" : "mac bad", sm.verifyMac(reply, message(8, 3)) ? "wrong mac accepted" : "wrong mac refused", toHex(sm.encryptPin("1234", PAN)), toHex(sealed), sm.openPan(sealed)];
}

function run(input: unknown): unknown {
  const o = asObj(input, W);
  const scheme = strOr(o, "scheme", "003", W);
  const algo = strOr(o, "mac_algorithm", "x919", W);
  const size = numOr(o, "size", 40, W);
  const sim = new SimBus();
  const model = new Se050Model(sim, {});
  if (boolOr(o, "absent", false, W)) model.detach();
  const c = chooseSecurity(sim.bus, { secure_element: "se050", tmk_hex: TEST_TMK_HEX, mac_algorithm: algo });
  const f62 = encodeWorkingKeys(tdesKey(fromHex(TEST_TMK_HEX)), keysOf(scheme));
  const soft = new SoftSecurity({ mac_algorithm: algo });
  soft.installWorkingKeys(f62);
  const want = sale(soft, size);
  let got: string[] = [];
  let error = "";
  try {
    c.sm.installWorkingKeys(f62);
    model.corruptAnswers(numOr(o, "corrupt_answers", 0, W));
    model.corruptHostFrames(numOr(o, "noise", 0, W));
    model.loseHostFrames(numOr(o, "lose", 0, W));
    model.waitTimeExtension(numOr(o, "wtx", 0, W));
    if (o.fail_sw !== undefined) model.failNextApdu(numOr(o, "fail_sw", 0, W));
    got = sale(c.sm, size);
  } catch (e) {
    if (!isPosrtError(e)) throw e;
    error = errorText(e);
  }
  let same = got.length === want.length;
  for (let i = 0; i < got.length && same; i++) same = got[i] === want[i];
  const link = c.se === undefined ? [0, 0, 0, 0] : [c.se.link.crcRetries, c.se.link.resends, c.se.link.wtx, c.se.link.resyncs];
  return { banner: c.banner, kind: c.kind, sale: got, same_as_software: same, error: error, crc_retries: link[0], resends: link[1], wtx: link[2], resyncs: link[3], apdus: model.apdus };
}

export const SE050_CHECK: Suite = { name: "driver.se050", run: run };
