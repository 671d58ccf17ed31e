// The device firmware on real interpreters, the way boards run it: the NodeMCU bytecode under
// the project's capped Lua host (always; needs gcc and liblua5.3-dev) and the Espruino file
// from Storage on the real Espruino interpreter (when one is present: ESPRUINO_BIN or
// shared/tools/espruino). Boot, sign-in, a sale, a power cut after a sale's request left, the
// reversal at the next boot, a sale, settlement; the acquirer's books must agree.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runConsoleDay } from "../../cli/device/console-day";
import { espruinoBinary } from "../../cli/device/espruino-bin";
import { luaHost } from "../../cli/device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../../cli/device/lua-session";

test("Lua host: the console day runs with 160 KB of heap beyond the code (code as if in LFS), books agree", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const r = await runConsoleDay({ target: "lua", bin: h.bin!, sales: 2, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
  assert.equal(r.problems, []);
  assert.is(r.sales_approved, 3, "two sales, the one after the reboot (the cut one is reversed)");
  assert.ok(r.lua!.data_bytes > 0 && r.lua!.data_bytes < NODEMCU_HEAP_CAP_BYTES);
});

test("Lua host: the cap is real (the firmware cannot even load in 160 KB as bytecode in RAM)", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const r = await runConsoleDay({ target: "lua", bin: h.bin!, sales: 1, cap_bytes: NODEMCU_HEAP_CAP_BYTES });
  assert.ok(r.problems.some((p) => /not enough memory/.test(p)), r.problems.join("; "));
});

// The day runs on the ESP32 build (16,383 variables): the firmware with the app boots from
// Storage and runs the day there. The 75 % goal is not reached yet: measured by `posrt bench
// --only device`, not asserted here.
const ESPRUINO = espruinoBinary("16383");
if (ESPRUINO === undefined) console.log("device-real: no Espruino interpreter (ESPRUINO_BIN or shared/tools/espruino): the Espruino day is not run");
else {
  test("Espruino (real interpreter, ESP32 build, 16,383 variables): the console day from Storage, power cut and reversal, books agree", async () => {
    const r = await runConsoleDay({ target: "espruino", bin: ESPRUINO, sales: 1 });
    assert.equal(r.problems, []);
    const m = r.espruino!;
    assert.ok(m.boot_vars > 0 && m.peak_vars >= m.boot_vars && m.peak_vars < m.total_vars && m.total_vars === 16383, JSON.stringify(m));
  });
}

test.run();
