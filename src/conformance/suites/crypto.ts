// Suites for src/crypto: DES/3DES ECB and CBC, the X9.19 retail MAC, the UnionPay ECB MAC
// (mac.cup_ecb: in {"key","data"} = the MAC block input before padding, out the 8-character MAC)
// and key check values.
import { Suite, str } from "../suite";
import { fromHex, toHex } from "../../bytes/index";
import { TdesKey, cbcDecrypt, cbcEncrypt, ecb, kcv, macCupEcbText, macX919, tdesKey } from "../../crypto/index";
import { fail } from "../../errors";

function keyOf(input: unknown, lengths: number[]): TdesKey {
  const hex = str(input, "key");
  let ok = false;
  for (let i = 0; i < lengths.length; i++) if (hex.length === lengths[i] * 2) ok = true;
  if (!ok) fail("vector", "key length " + Math.floor(hex.length / 2) + " not allowed in this suite");
  return tdesKey(fromHex(hex));
}

function ecbSuite(name: string, lengths: number[], decrypt: boolean): Suite {
  return {
    name: name,
    run: (input: unknown) => toHex(ecb(keyOf(input, lengths), fromHex(str(input, "data")), decrypt)),
  };
}

const DES_KEY: number[] = [8];
const TDES_KEY: number[] = [16, 24];
const ANY_KEY: number[] = [8, 16, 24];
const MAC_KEY: number[] = [8, 16];

export const CRYPTO_SUITES: Suite[] = [
  ecbSuite("des.encrypt", DES_KEY, false),
  ecbSuite("des.decrypt", DES_KEY, true),
  ecbSuite("tdes.encrypt", TDES_KEY, false),
  ecbSuite("tdes.decrypt", TDES_KEY, true),
  {
    name: "tdes.cbc.encrypt",
    run: (input: unknown) => toHex(cbcEncrypt(keyOf(input, ANY_KEY), fromHex(str(input, "iv")), fromHex(str(input, "data")))),
  },
  {
    name: "tdes.cbc.decrypt",
    run: (input: unknown) => toHex(cbcDecrypt(keyOf(input, ANY_KEY), fromHex(str(input, "iv")), fromHex(str(input, "data")))),
  },
  { name: "mac.x919", run: (input: unknown) => toHex(macX919(keyOf(input, MAC_KEY), fromHex(str(input, "data")))) },
  { name: "mac.cup_ecb", run: (input: unknown) => macCupEcbText(keyOf(input, MAC_KEY), fromHex(str(input, "data"))) },
  {
    name: "kcv",
    run: (input: unknown) => {
      if (typeof input !== "string") throw new Error("vector input must be a string");
      return toHex(kcv(fromHex(input)));
    },
  },
];
