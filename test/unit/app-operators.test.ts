// Operators' passwords (src/app/operators.ts): a new password is hashed once (the hash is 16
// 3DES rounds; an operator without a stored record used to get the default password's hash
// first, then the new one's), the stored record keeps its format (operator, tries, 8-byte hash),
// and records written before still verify. The 3DES calls are counted by wrapping the DES
// module's ecb, which operators.ts reaches through src/crypto/index.
//
// A full table (MAX_OPERATOR_RECORDS records, no other app blob slot free): a password that
// cannot be kept is refused and the menu says so (it used to say "changed" and lose it),
// records that carry nothing are dropped, and wrong tries of an operator without a record
// still lock it out (counted in RAM; they used to be lost: unlimited guesses).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bytes, fromHex, len, toHex } from "../../src/bytes/index";
import {
  DEFAULT_OPERATOR_PASSWORD, DEFAULT_SUPERVISOR_PASSWORD, MAX_OPERATOR_RECORDS, MAX_TRIES, OPERATORS_FULL_TEXT, OPERATOR_SLOT, Operators, passwordHash,
} from "../../src/app/operators";
import { AppStore, MemoryAppStore } from "../../src/app/store";
import { parseScript } from "../../src/app/script";
import { runScript } from "../../src/app/run-script";
import { terminalSession } from "../../src/app/config";
import { Session } from "../../src/app/session";
import { embeddedAcquirer } from "../../cli/commands/terminal";
import { SIGN_ON } from "../support/app-scripts";

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

/** Operator number `i` as two digits. */
const no = (i: number): string => (i < 10 ? "0" : "") + i;
/** The password the fill gives its operators. */
const FILLED_PW = "1111";

/** Gives `count` operators from `first` on a password of their own: each keeps a record. */
function fill(ops: Operators, first: number, count: number): void {
  for (let i = first; i < first + count; i++) ops.setPassword(no(i), FILLED_PW);
}

/** Records in the operator slot. */
function records(st: AppStore): number {
  const b = st.getAppBlob(OPERATOR_SLOT);
  return b === undefined ? 0 : len(b) / 10;
}

test("a full table: a 26th password is refused (false), nothing changes, also after a reboot", () => {
  const st = new MemoryAppStore();
  const ops = new Operators(st);
  fill(ops, 1, MAX_OPERATOR_RECORDS);
  assert.is(records(st), MAX_OPERATOR_RECORDS);
  const before = toHex(st.getAppBlob(OPERATOR_SLOT)!);
  assert.is(ops.setPassword("30", "4321"), false, "the table has no room for operator 30");
  assert.is(toHex(st.getAppBlob(OPERATOR_SLOT)!), before, "the stored records are unchanged");
  assert.ok(ops.check("30", DEFAULT_OPERATOR_PASSWORD), "operator 30 keeps the default password");
  const again = new Operators(st);
  assert.ok(!again.check("30", "4321"), "after a reboot the refused password does not verify");
  assert.ok(again.check("30", DEFAULT_OPERATOR_PASSWORD));
  for (let i = 1; i <= MAX_OPERATOR_RECORDS; i++) assert.ok(again.check(no(i), FILLED_PW), "operator " + no(i) + "'s record survives the reboot");
  assert.is(ops.setPassword("05", "2222"), true, "an operator with a record may still change it");
  assert.ok(new Operators(st).check("05", "2222"));
});

test("setting the default password again frees the record (no room needed), so a 26th can be set", () => {
  const st = new MemoryAppStore();
  const ops = new Operators(st);
  fill(ops, 1, MAX_OPERATOR_RECORDS);
  assert.is(ecbCalls(() => assert.is(ops.setPassword("05", DEFAULT_OPERATOR_PASSWORD), true)), 0, "the default needs no hash");
  assert.is(records(st), MAX_OPERATOR_RECORDS - 1, "operator 05's record is dropped");
  assert.is(ops.setPassword("30", "4321"), true, "operator 30 takes the freed room");
  const again = new Operators(st);
  assert.ok(again.check("30", "4321"));
  assert.ok(again.check("05", DEFAULT_OPERATOR_PASSWORD));
  assert.ok(!again.check("05", FILLED_PW));
  // the supervisor too: its default is the 6-digit one
  const st2 = new MemoryAppStore();
  const o2 = new Operators(st2);
  o2.setPassword("00", "654321");
  assert.is(records(st2), 1);
  assert.ok(o2.setPassword("00", DEFAULT_SUPERVISOR_PASSWORD));
  assert.is(records(st2), 0);
});

test("signing on with the default password after wrong tries frees the record; so does unlocking it", () => {
  const st = new MemoryAppStore();
  const ops = new Operators(st);
  fill(ops, 1, MAX_OPERATOR_RECORDS - 1);
  assert.ok(!ops.check("30", "9999"));
  assert.is(records(st), MAX_OPERATOR_RECORDS, "the wrong try is kept in a record: the table is full now");
  assert.ok(ops.check("30", DEFAULT_OPERATOR_PASSWORD));
  assert.is(records(st), MAX_OPERATOR_RECORDS - 1, "the record carried nothing any more");
  assert.is(ops.tries("30"), 0);
  // a cashier locked with the default password, unlocked by the supervisor
  for (let i = 0; i < MAX_TRIES; i++) ops.check("31", "9999");
  assert.ok(ops.locked("31"));
  ops.unlock("31");
  assert.ok(!ops.locked("31"));
  assert.is(records(st), MAX_OPERATOR_RECORDS - 1, "unlocking dropped the record");
  assert.ok(ops.setPassword("32", "4321"), "room for another operator");
  // a cashier with its own password keeps its record when unlocked
  for (let i = 0; i < MAX_TRIES; i++) ops.check("05", "9999");
  ops.unlock("05");
  assert.is(ops.tries("05"), 0);
  assert.ok(new Operators(st).check("05", FILLED_PW));
});

test("a full table: wrong tries of an operator without a record still lock it; the right password of others works", () => {
  const st = new MemoryAppStore();
  const ops = new Operators(st);
  fill(ops, 1, MAX_OPERATOR_RECORDS);
  const before = toHex(st.getAppBlob(OPERATOR_SLOT)!);
  for (let i = 1; i < MAX_TRIES; i++) {
    assert.ok(!ops.check("30", "9999"));
    assert.is(ops.tries("30"), i);
  }
  assert.ok(!ops.locked("30"));
  assert.ok(!ops.check("30", "9998"));
  assert.ok(ops.locked("30"), "five wrong tries lock operator 30 without a record");
  for (let i = 0; i < 300; i++) ops.check("30", "9999");
  assert.ok(ops.locked("30"), "the count does not wrap");
  assert.ok(ops.check("31", DEFAULT_OPERATOR_PASSWORD), "operator 31 (no record, not locked) signs on");
  assert.ok(ops.check("05", FILLED_PW), "operator 05 (a record) signs on");
  assert.is(toHex(st.getAppBlob(OPERATOR_SLOT)!), before, "nothing was stored");
  ops.unlock("30");
  assert.ok(!ops.locked("30"), "the supervisor unlocks it");
  // the count moves into a record as soon as there is room again
  for (let i = 0; i < 3; i++) ops.check("30", "9999");
  ops.setPassword("05", DEFAULT_OPERATOR_PASSWORD);
  assert.ok(!ops.check("30", "9999"));
  assert.is(new Operators(st).tries("30"), 4, "the three RAM tries and the fourth are stored");
});

function run(s: Session, script: string): void {
  const r = runScript(s, parseScript(script));
  assert.ok(r.ok, `line ${r.line}: ${r.error}\n${r.screen.join("\n")}`);
}

const CHANGE_PW = (pw: string) => `key enter\nkey 9\nkey 2\nkey 1\nkeys ${pw}\nkey enter\nkeys ${pw}\nkey enter`;
const SIGN_OFF_ON = (op: string, pw: string) => `key enter\nkey 9\nkey 5\nkeys ${op}\nkey enter\nkeys ${pw}\nkey enter\nexpect enter: menu`;

test("the menu: a full table says the password was not changed; after 05 sets the default, 01's change is kept", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  fill(s.app.ops, 2, MAX_OPERATOR_RECORDS);
  run(s, SIGN_ON + "\n" + CHANGE_PW("4711") + "\nexpect Operator table full");
  assert.ok(!s.shows("Password of operator"), "the menu does not claim the change");
  assert.is(OPERATORS_FULL_TEXT, "Operator table full: password not changed.");
  run(s, SIGN_OFF_ON("05", FILLED_PW) + "\n" + CHANGE_PW(DEFAULT_OPERATOR_PASSWORD) + "\nexpect 05 changed.");
  run(s, SIGN_OFF_ON("01", DEFAULT_OPERATOR_PASSWORD) + "\n" + CHANGE_PW("4711") + "\nexpect 01 changed.");
  // kept across a power cut: 01 has 4711 now, 05 the default
  run(s, "power-cut\nexpect POWER ON\nkey enter\nkeys 01\nkey enter\nkeys 0000\nkey enter\nexpect Wrong password (1 of\nkey enter\nkeys 01\nkey enter\nkeys 4711\nkey enter\nexpect enter: menu");
  run(s, SIGN_OFF_ON("05", DEFAULT_OPERATOR_PASSWORD));
});

test("the sign-on: with a full table, five wrong passwords lock cashier 30 until the supervisor unlocks it", () => {
  const s = terminalSession({ acquirer: embeddedAcquirer(1) });
  fill(s.app.ops, 1, MAX_OPERATOR_RECORDS);
  let script = "expect POWER ON\nkey enter\n";
  for (let i = 1; i <= MAX_TRIES; i++) script += `keys 30\nkey enter\nkeys 9999\nkey enter\nexpect Wrong password\nkey enter\n`;
  script += "keys 30\nkey enter\nexpect Operator 30 is locked\nkey enter\n";
  script += "keys 00\nkey enter\nkeys 123456\nkey enter\nexpect enter: menu\nkey enter\nkey 9\nkey 2\nkey 2\nkeys 30\nkey enter\nexpect Operator 30 unlocked\n";
  script += SIGN_OFF_ON("30", DEFAULT_OPERATOR_PASSWORD);
  run(s, script);
});

test.run();
