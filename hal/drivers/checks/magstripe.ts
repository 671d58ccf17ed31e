// driver.magstripe: the magnetic-stripe driver against the head model. In: "swipes", each
// {"track", "reverse", "flip_bits", "cut_bits", "bits_per_ms", "enabled"}; out: per swipe the
// CardEvent the driver reported ({"ok", "track2"}), or "none".
import { Suite } from "../../../src/conformance/suite";
import { Obj, asObj, boolOr, listOr, numList, numOr, strOr } from "../../../src/conformance/args";
import { CardEvent, CardReaderError } from "../../card-reader";
import { openBoardCardReader } from "../board";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";
import { MAX_CHECK_STEPS, board } from "./common";
import { fail } from "../../../src/errors";

function run(input: unknown): unknown {
  const o = asObj(input, "driver.magstripe");
  const w = "driver.magstripe";
  const b = board(0);
  let last: unknown = "none";
  const reader = openBoardCardReader(b.sim.bus, ESP32_REF, {
    onCard: (e: CardEvent) => {
      if (e.kind === "swipe") last = { ok: e.ok, track2: e.track2 };
    },
    onError: (e: CardReaderError) => {
      last = "error " + e;
    },
  });
  const swipes = listOr(o, "swipes", w);
  if (swipes.length > MAX_CHECK_STEPS) fail(w, "too many swipes");
  const out: unknown[] = [];
  for (let i = 0; i < swipes.length; i++) {
    const s = asObj(swipes[i], w) as Obj;
    reader.enable(boolOr(s, "enabled", true, w), false, false);
    last = "none";
    const cut = numOr(s, "cut_bits", -1, w);
    b.head.swipe(strOr(s, "track", "", w), {
      reverse: boolOr(s, "reverse", false, w), flip_bits: numList(s, "flip_bits", w),
      bits_per_ms: numOr(s, "bits_per_ms", 2, w), cut_bits: cut < 0 ? undefined : cut,
    });
    b.sim.advance(400);
    out.push(last);
  }
  reader.close();
  return out;
}

export const MAGSTRIPE_CHECK: Suite = { name: "driver.magstripe", run: run };
