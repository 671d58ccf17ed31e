import { test } from "uvu";
import * as assert from "uvu/assert";
import { NorFlash, BAD_PROGRAM, BAD_READ, POWER_LOST } from "../../hal/emulator/nor-flash";
import { FLASH_E_ALIGN, FLASH_E_IO, FLASH_OK } from "../../hal/flash";
import { alloc, fill, fromHex, get, len, set, toHex } from "../../src/bytes/index";
import { errorText } from "../../src/errors";
import { nextU32, prng } from "../../src/sim/prng";

const geo = { sector_bytes: 256, sector_count: 4, prog_bytes: 1, page_bytes: 64 };

function flash(seed = 1): NorFlash {
  return new NorFlash({ ...geo, seed });
}

test("xorshift PRNG is seeded and repeatable", () => {
  const a = prng(7), b = prng(7), c = prng(8);
  const sa = [nextU32(a), nextU32(a), nextU32(a)];
  assert.equal(sa, [nextU32(b), nextU32(b), nextU32(b)]);
  assert.not.equal(sa[0], nextU32(c));
  for (const v of sa) assert.ok(v >= 0 && v < 4294967296 && Number.isInteger(v));
});

test("program clears bits only; setting a 0 bit back to 1 is an assertion", () => {
  const f = flash();
  const img = alloc(len(f.image()));
  for (let i = 0; i < len(img); i++) set(img, i, 0xff);
  set(img, 10, 0xf0);
  f.load(img);
  assert.is(f.program(10, fromHex("30"), 0, 1), FLASH_OK);
  const b = alloc(1);
  f.read(10, b, 0, 1);
  assert.is(toHex(b), "30");
  assert.throws(() => f.program(10, fromHex("70"), 0, 1), /0 bit back to 1/);
});

test("nothing a completed program wrote is programmed over with other data (same bytes or zeros allowed); erase clears that", () => {
  const f = flash();
  assert.is(f.program(10, fromHex("F0"), 0, 1), FLASH_OK);
  assert.ok(f.isCommitted(10));
  assert.is(f.program(10, fromHex("F0"), 0, 1), FLASH_OK);
  assert.throws(() => f.program(10, fromHex("30"), 0, 1), /program over already-programmed data at 0x00000a/);
  assert.throws(() => f.program(10, fromHex("10"), 0, 1), /program over already-programmed data/);
  assert.is(f.program(10, fromHex("00"), 0, 1), FLASH_OK, "zeros retire a record (filler)");
  f.erase(0);
  assert.ok(!f.isCommitted(10));
  assert.is(f.program(10, fromHex("30"), 0, 1), FLASH_OK);
});

test("erase sets the sector to 0xFF and counts wear", () => {
  const f = flash();
  f.program(300, fromHex("00"), 0, 1);
  assert.is(f.erase(1), FLASH_OK);
  const b = alloc(1);
  f.read(300, b, 0, 1);
  assert.is(get(b, 0), 0xff);
  assert.equal(f.erases, [0, 1, 0, 0]);
  assert.equal(f.programs, [0, 1, 0, 0]);
});

test("a program may not cross a page", () => {
  const f = flash();
  const b = alloc(8);
  assert.is(f.program(60, b, 0, 8), FLASH_E_ALIGN);
  assert.is(f.program(56, b, 0, 8), FLASH_OK);
});

test("power cut tears a program: a subset of bits lands, the rest of the page is unchanged", () => {
  let partial = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const f = flash(seed);
    f.cut_at = 0;
    const zeros = alloc(16);
    assert.throws(() => f.program(0, zeros, 0, 16), (e: unknown) => errorText(e) === "nor: " + POWER_LOST);
    assert.throws(() => f.read(0, alloc(1), 0, 1), /power lost/);
    f.powerOn();
    const img = f.image();
    let cleared = 0;
    for (let i = 0; i < 16; i++) for (let bit = 0; bit < 8; bit++) if ((get(img, i) & (1 << bit)) === 0) cleared++;
    if (cleared > 0 && cleared < 128) partial++;
    for (let i = 16; i < 256; i++) assert.is(get(img, i), 0xff, "outside the program is untouched");
  }
  assert.ok(partial >= 10, `torn programs landed partially in ${partial} of 20 seeds`);
});

test("unstable bits of a torn region read differently on each read", () => {
  let differs = false;
  for (let seed = 1; seed <= 10 && !differs; seed++) {
    const f = flash(seed);
    f.cut_at = 0;
    try { f.program(0, alloc(32), 0, 32); } catch (e) { /* the cut */ }
    f.powerOn();
    const a = alloc(32), b = alloc(32);
    for (let k = 0; k < 8 && !differs; k++) {
      f.read(0, a, 0, 32);
      f.read(0, b, 0, 32);
      differs = toHex(a) !== toHex(b);
    }
  }
  assert.ok(differs);
});

test("interrupted erase leaves random bits", () => {
  const f = flash(3);
  const zeros = alloc(64);
  for (let p = 0; p < 4; p++) f.program(p * 64, zeros, 0, 64);
  f.cut_at = f.ops;
  assert.throws(() => f.erase(0), /power lost/);
  f.powerOn();
  const img = f.image();
  let ff = 0, zero = 0;
  for (let i = 0; i < 256; i++) { if (get(img, i) === 0xff) ff++; if (get(img, i) === 0) zero++; }
  assert.ok(ff < 256 && zero < 256, `${ff} bytes erased, ${zero} untouched`);
});

test("bad sectors fail reads and programs with FLASH_E_IO", () => {
  const f = flash();
  f.setBad(2, BAD_READ | BAD_PROGRAM);
  assert.is(f.read(512, alloc(4), 0, 4), FLASH_E_IO);
  assert.is(f.program(512, alloc(4), 0, 4), FLASH_E_IO);
  assert.is(f.read(0, alloc(4), 0, 4), FLASH_OK);
});

test("endurance: a sector erased past its cycles goes bad", () => {
  const f = new NorFlash({ ...geo, seed: 1, endurance_cycles: 3 });
  for (let i = 0; i < 3; i++) assert.is(f.erase(0), FLASH_OK);
  assert.is(f.erase(0), FLASH_E_IO);
  const b = alloc(4);
  fill(b, 0, 4, 0);
  assert.is(f.program(0, b, 0, 4), FLASH_E_IO);
});

test.run();
