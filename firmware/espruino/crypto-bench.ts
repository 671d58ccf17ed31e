// The crypto of one sale, as the terminal's SecurityModule (src/crypto/soft-security.ts) does
// it, for `posrt bench` (device.espruino_sale_crypto_ms next to device.node_sale_crypto_ms):
// MAC of the request, MAC check of the reply, PAN seal, PIN block. The same function runs in
// Node and, bundled (firmware/dist/espruino/crypto-bench.js, global `posrtCryptoBench`), on
// the real Espruino interpreter; the caller passes that platform's clock. The inputs (working
// keys of field 62, the MAC inputs of a real sale and its reply) come from the bench's own
// simulated sale, so both runs do the same work. Keys are the TEST keys of development builds.
import { fromHex, len, toHex } from "../../src/bytes/index";
import { SoftSecurity } from "../../src/crypto/soft-security";
import { fail } from "../../src/errors";

/** Most sales one call may time (a bound on the loop). */
export const MAX_BENCH_SALES = 1000;

export interface SaleCryptoInput {
  /** Field 62 of the sign-in reply (working keys under the TEST master key), hex. */
  field62_hex: string;
  /** What the request's MAC covers, hex. */
  mac_out_hex: string;
  /** What the reply's MAC covers, hex, and the reply's MAC, hex. */
  mac_in_hex: string;
  mac_in_mac_hex: string;
  pan: string;
  /** "" for a sale without PIN (no PIN block). */
  pin: string;
}

/**
 * Runs `sales` sales' crypto and returns the milliseconds per sale (`now` in ms); throws when
 * the reply's MAC does not verify or the sealed PAN does not open (a broken port is not timed).
 */
export function saleCryptoMs(input: SaleCryptoInput, sales: number, now: (this: void) => number): number {
  const sec = new SoftSecurity({});
  sec.installWorkingKeys(fromHex(input.field62_hex));
  const out = fromHex(input.mac_out_hex);
  const back = fromHex(input.mac_in_hex);
  const backMac = fromHex(input.mac_in_mac_hex);
  const n = sales < 1 ? 1 : sales > MAX_BENCH_SALES ? MAX_BENCH_SALES : sales;
  let sealed = "";
  const t0 = now();
  for (let i = 0; i < n; i++) {
    sec.mac(out);
    if (!sec.verifyMac(back, backMac)) fail("crypto bench", "the reply's MAC does not verify");
    sealed = toHex(sec.sealPan(input.pan, i));
    if (input.pin !== "") sec.encryptPin(input.pin, input.pan);
  }
  const ms = (now() - t0) / n;
  if (sec.openPan(fromHex(sealed)) !== input.pan || len(fromHex(sealed)) === 0) fail("crypto bench", "the sealed PAN does not open");
  return ms;
}
