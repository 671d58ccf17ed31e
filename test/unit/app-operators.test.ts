// Operators' passwords (src/app/operators.ts): a new password is hashed once (the hash is 16
// 3DES rounds; an operator without a stored record used to get the default password's hash
// first, then the new one's), the stored record keeps its format (operator, tries, 8-byte hash),
// and records written before still verify. The 3DES calls are counted by wrapping the DES
// module's ecb, which operators.ts reaches through src/crypto/index.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bytes, fromHex, toHex } from "../../src/bytes/index";
import { DEFAULT_OPERATOR_PASSWORD, OPERATOR_SLOT, Operators, passwordHash } from "../../src/app/operators";
import { MemoryAppStore } from "../../src/app/store";

/** Hashes of two passwords as the code before this test computed them (a journal holds such records). */
const HASH_01_1234 = "5B9953CF866FAFCB";
const HASH_00_654321 = "197F6BD8181F20AB";

const des = require("../../src/crypto/des") as { ecb: (...a: unknown[]) => Bytes };

/** 3DES block operations `f` makes. */
function ecbCalls(f: () => void): number {
  const real = des.ecb;
  let n = 0;
  des.ecb = (...a: unknown[]): Bytes => {
    n++;
    return real(...a);
  };
  try {
    f();
  } finally {
    des.ecb = real;
  }
  return n;
}

const ONE_HASH = ecbCalls(() => passwordHash(1, "1234"));

test("one password hash is counted (the counter sees operators.ts's 3DES calls)", () => {
  assert.ok(ONE_HASH > 0, "no ecb call seen: the count below would prove nothing");
});

test("setPassword hashes once: operator without a record, with one, and the supervisor", () => {
  const st = new MemoryAppStore();
  const ops = new Operators(st);
  assert.is(ecbCalls(() => ops.setPassword("01", "1234")), ONE_HASH, "cashier 01 without a record");
  assert.is(ecbCalls(() => ops.setPassword("01", "4321")), ONE_HASH, "cashier 01 with its record");
  assert.is(ecbCalls(() => ops.setPassword("00", "654321")), ONE_HASH, "the supervisor without a record");
  assert.ok(!ops.check("02", "9999"), "a wrong try makes a record for 02");
  assert.is(ecbCalls(() => ops.setPassword("02", "5555")), ONE_HASH, "cashier 02 after a wrong try");
});

test("a password set once verifies, also after a power cut; the default and wrong ones do not", () => {
  const st = new MemoryAppStore();
  new Operators(st).setPassword("01", "1234");
  const ops = new Operators(st); // a fresh boot reads the records from the store
  assert.ok(!ops.check("01", DEFAULT_OPERATOR_PASSWORD));
  assert.ok(!ops.check("01", "1235"));
  assert.is(ops.tries("01"), 2);
  assert.ok(ops.check("01", "1234"));
  assert.is(ops.tries("01"), 0);
  assert.ok(ops.check("03", DEFAULT_OPERATOR_PASSWORD), "other cashiers keep the default");
});

test("the stored record keeps its format: operator, tries, the same 8-byte hash as before", () => {
  const st = new MemoryAppStore();
  new Operators(st).setPassword("01", "1234");
  assert.is(toHex(st.getAppBlob(OPERATOR_SLOT)!), "0100" + HASH_01_1234);
});

test("records written before (a journal's blob) still verify", () => {
  const st = new MemoryAppStore();
  st.putAppBlob(OPERATOR_SLOT, fromHex("0002" + HASH_00_654321 + "0100" + HASH_01_1234));
  const ops = new Operators(st);
  assert.is(ops.tries("00"), 2);
  assert.ok(ops.check("00", "654321"));
  assert.ok(ops.check("01", "1234"));
  assert.ok(!ops.check("01", DEFAULT_OPERATOR_PASSWORD));
});

test.run();
