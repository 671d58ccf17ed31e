// Suites for field 62 working keys (src/crypto/keys.ts) and the emulator SecurityModule
// (src/crypto/soft-security.ts, behind hal/emulator/security.ts; TEST master key): key install + MAC, PAN sealing and opening.
import { Suite, str } from "../suite";
import { fromHex, toHex } from "../../bytes/index";
import { encodeWorkingKeys, tdesKey, WorkingKeys } from "../../crypto/index";
import { SoftSecurity } from "../../crypto/soft-security";

function num(input: unknown, key: string): number {
  const v = (input as { [k: string]: unknown })[key];
  if (typeof v !== "number") throw new Error("vector input needs number \"" + key + "\"");
  return v;
}

export const SECURITY_SUITES: Suite[] = [
  {
    name: "keys.field62.encode",
    run: (input: unknown) => {
      const keys: WorkingKeys = { scheme: str(input, "scheme"), pik: fromHex(str(input, "pik")), mak: fromHex(str(input, "mak")) };
      if (str(input, "tdk").length > 0) keys.tdk = fromHex(str(input, "tdk"));
      return toHex(encodeWorkingKeys(tdesKey(fromHex(str(input, "tmk"))), keys));
    },
  },
  {
    name: "security.keys",
    run: (input: unknown) => {
      const sm = new SoftSecurity({});
      sm.installWorkingKeys(fromHex(str(input, "field62")));
      const data = fromHex(str(input, "data"));
      const mac = sm.mac(data);
      if (!sm.verifyMac(data, mac)) throw new Error("verifyMac rejected its own MAC");
      return { scheme: sm.keyScheme(), mac: toHex(mac) };
    },
  },
  {
    name: "security.seal",
    run: (input: unknown) => toHex(new SoftSecurity({}).sealPan(str(input, "pan"), num(input, "nonce"))),
  },
  {
    name: "security.open",
    run: (input: unknown) => {
      if (typeof input !== "string") throw new Error("vector input must be a string");
      return new SoftSecurity({}).openPan(fromHex(input));
    },
  },
];
