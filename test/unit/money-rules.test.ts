import { test } from "uvu";
import * as assert from "uvu/assert";
import { KIND_REFUND, KIND_SALE, KIND_VOID, ST_APPROVED, ST_DECLINED, ST_PENDING, ST_REVERSED, ST_VOIDED } from "../../src/journal/api";
import {
  REFUND_ABOVE_LEFT, REFUND_ABOVE_MAX, REFUND_BAD_AMOUNT, REFUND_NOT_APPROVED, REFUND_OK,
  VOID_ALREADY_VOIDED, VOID_AMOUNT, VOID_HAS_REFUNDS, VOID_NOT_APPROVED, VOID_NOT_A_SALE, VOID_OK, VOID_SETTLED,
  refundCapHeld, refundVerdict, refundableMinor, saleFacts, settlementSign, voidVerdict,
} from "../../src/money/rules";

const sale = (state: number, amount: number, refunded: number, open: number, settled: boolean) => saleFacts(KIND_SALE, state, amount, refunded, open, settled);

test("refund: capped at the original minus refunded minus refunds in flight, settled or not", () => {
  for (const settled of [false, true]) {
    const s = sale(ST_APPROVED, 5630, 3000, 500, settled);
    assert.is(refundableMinor(s), 2130);
    assert.is(refundVerdict(s, 2130, 100000), REFUND_OK);
    assert.is(refundVerdict(s, 2131, 100000), REFUND_ABOVE_LEFT);
  }
  assert.is(refundVerdict(sale(ST_APPROVED, 1000, 0, 0, true), 40000, 100000), REFUND_ABOVE_LEFT, "400.00 against a settled 10.00 sale");
  assert.is(refundableMinor(sale(ST_APPROVED, 1000, 1200, 0, false)), 0, "never negative");
});

test("refund: unknown original capped by the maximum; not-approved originals refused; bad amounts", () => {
  assert.is(refundVerdict(undefined, 200000, 200000), REFUND_OK);
  assert.is(refundVerdict(undefined, 200001, 200000), REFUND_ABOVE_MAX);
  for (const st of [ST_PENDING, ST_DECLINED, ST_VOIDED, ST_REVERSED]) assert.is(refundVerdict(sale(st, 1000, 0, 0, false), 1, 200000), REFUND_NOT_APPROVED, "state " + st);
  assert.is(refundVerdict(saleFacts(KIND_REFUND, ST_APPROVED, 1000, 0, 0, false), 1, 200000), REFUND_NOT_APPROVED);
  assert.is(refundVerdict(sale(ST_APPROVED, 1000, 0, 0, false), 0, 200000), REFUND_BAD_AMOUNT);
  assert.is(refundVerdict(sale(ST_APPROVED, 1000, 0, 0, false), 1.5, 200000), REFUND_BAD_AMOUNT);
});

test("void: approved, unsettled, unrefunded sales only, for the full amount", () => {
  assert.is(voidVerdict(sale(ST_APPROVED, 1000, 0, 0, false), 1000), VOID_OK);
  assert.is(voidVerdict(sale(ST_APPROVED, 1000, 0, 0, false), 999), VOID_AMOUNT);
  assert.is(voidVerdict(sale(ST_APPROVED, 1000, 1, 0, false), 1000), VOID_HAS_REFUNDS);
  assert.is(voidVerdict(sale(ST_APPROVED, 1000, 0, 0, true), 1000), VOID_SETTLED);
  assert.is(voidVerdict(sale(ST_VOIDED, 1000, 0, 0, false), 1000), VOID_ALREADY_VOIDED);
  for (const st of [ST_PENDING, ST_DECLINED, ST_REVERSED]) assert.is(voidVerdict(sale(st, 1000, 0, 0, false), 1000), VOID_NOT_APPROVED);
  assert.is(voidVerdict(saleFacts(KIND_REFUND, ST_APPROVED, 1000, 0, 0, false), 1000), VOID_NOT_A_SALE);
});

test("settlement totals: approved sales debit, approved refunds credit, nothing else counts", () => {
  assert.is(settlementSign(KIND_SALE, ST_APPROVED), 1);
  assert.is(settlementSign(KIND_REFUND, ST_APPROVED), -1);
  assert.is(settlementSign(KIND_VOID, ST_APPROVED), 0);
  for (const st of [ST_PENDING, ST_DECLINED, ST_VOIDED, ST_REVERSED]) {
    assert.is(settlementSign(KIND_SALE, st), 0);
    assert.is(settlementSign(KIND_REFUND, st), 0);
  }
});

test("refund cap invariant", () => {
  assert.ok(refundCapHeld(sale(ST_APPROVED, 1000, 600, 400, false)));
  assert.not.ok(refundCapHeld(sale(ST_APPROVED, 1000, 600, 401, false)));
});

test.run();
