// The index of settled sales (src/app/settled.ts): kept in app blob slots, read on demand (no
// entry held between uses), changed in one buffer during a settlement and written by save().
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FIRST_SLOT, LAST_SLOT, MAX_SETTLED, SettledIndex } from "../../src/app/settled";
import { MemoryAppStore } from "../../src/app/store";
import { SettledSale } from "../../src/txn/types";
import { alloc, bcdEncode, copy, set, writeU32 } from "../../src/bytes/index";

function sale(batch: number, stan: number, amount_minor = 1000 + stan): SettledSale {
  return { batch, stan, rrn: String(100000000000 + batch * 1000 + stan), date: "0102", amount_minor, refunded_minor: 0, refundBatch: 0, refundBatch_minor: 0 };
}

function held(x: SettledIndex): boolean {
  return (x as unknown as { buf: unknown }).buf !== undefined;
}

test("adds, finds by RRN and trace, the newest; nothing held after save or a lookup", () => {
  const st = new MemoryAppStore();
  const x = new SettledIndex(st);
  x.add(sale(1, 5));
  x.add(sale(1, 7));
  x.add({ ...sale(1, 8), rrn: "NOT-DIGITS" });
  assert.is(x.find(sale(1, 5).rrn)?.stan, 5, "visible before save (the settlement's buffer)");
  x.save();
  assert.not.ok(held(x));
  const y = new SettledIndex(st);
  assert.is(y.find(sale(1, 7).rrn)?.amount_minor, 1007);
  assert.is(y.findTrace(1, 5)?.rrn, sale(1, 5).rrn);
  assert.is(y.findTrace(2, 5), undefined);
  assert.is(y.findTrace(0, 0)?.stan, 7, "stan 0: the newest");
  assert.is(y.find("NOT-DIGITS"), undefined, "an entry without a 12-digit RRN is not kept");
  assert.is(y.find("123"), undefined);
  assert.not.ok(held(y), "a lookup lets its buffer go");
});

test("the same sale again is updated in place; refunds of a batch counted once; the oldest drop out", () => {
  const st = new MemoryAppStore();
  const x = new SettledIndex(st);
  for (let i = 1; i <= MAX_SETTLED + 5; i++) x.add(sale(3, i));
  x.save();
  const y = new SettledIndex(st);
  assert.is(y.findTrace(3, 5), undefined, "the 5 oldest dropped out");
  assert.is(y.findTrace(3, 6)?.stan, 6);
  y.add({ ...sale(3, 6), refunded_minor: 300 });
  y.countRefunds(sale(3, 7).rrn, 4, 200);
  y.countRefunds(sale(3, 7).rrn, 4, 250);
  y.save();
  const z = new SettledIndex(st);
  assert.is(z.findTrace(3, 6)?.refunded_minor, 300);
  assert.is(z.find(sale(3, 7).rrn)?.refunded_minor, 250, "the batch's share is replaced, not added");
  assert.is(z.findTrace(0, 0)?.stan, MAX_SETTLED + 5);
  let kept = 0;
  for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) if (st.getAppBlob(s) !== undefined) kept++;
  assert.is(kept, LAST_SLOT - FIRST_SLOT + 1);
});

test("slots of the earlier format (24-byte entries, up to 10 a slot) are read; only the newest MAX_SETTLED count", () => {
  const st = new MemoryAppStore();
  let stan = 0;
  for (let s = FIRST_SLOT; s <= LAST_SLOT; s++) {
    const b = alloc(10 * 24);
    for (let i = 0; i < 10; i++) {
      stan++;
      const at = i * 24;
      const x = sale(9, stan);
      set(b, at + 2, 9);
      set(b, at + 4, Math.floor(stan / 256));
      set(b, at + 5, stan % 256);
      copy(bcdEncode(x.rrn, "left"), 0, b, at + 6, 6);
      copy(bcdEncode(x.date, "left"), 0, b, at + 12, 2);
      writeU32(b, at + 15, x.amount_minor);
      writeU32(b, at + 20, 0);
    }
    st.putAppBlob(s, b);
  }
  const x = new SettledIndex(st);
  const total = (LAST_SLOT - FIRST_SLOT + 1) * 10;
  assert.is(x.findTrace(9, total)?.amount_minor, 1000 + total);
  assert.is(x.findTrace(9, total - MAX_SETTLED + 1)?.refundBatch, 0);
  assert.is(x.findTrace(9, total - MAX_SETTLED), undefined, "older than the newest MAX_SETTLED");
});

test.run();
