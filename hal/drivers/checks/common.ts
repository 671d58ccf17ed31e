// Shared pieces of the driver-vs-model checks: the reference board on the models, the step
// list of a check, and event logs. Each check runs a driver from hal/drivers/ on the
// simulated bus against the part's model (src/models/) and reports what an observer sees.
import { SimBoard } from "../../../src/models/board-sim";
import { Obj, asObj, listOr } from "../../../src/conformance/args";
import { fail } from "../../../src/errors";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";

/** Most steps one check may run. */
export const MAX_CHECK_STEPS = 100;
/** Most events one check records. */
export const MAX_EVENTS = 200;

export function board(bounce_ms: number, paper_lines?: number): SimBoard {
  return new SimBoard(ESP32_REF, { bounce_ms: bounce_ms, paper_lines: paper_lines });
}

export function stepsOf(o: Obj, where: string): Obj[] {
  const l = listOr(o, "steps", where);
  if (l.length > MAX_CHECK_STEPS) fail(where, "more than " + MAX_CHECK_STEPS + " steps");
  const out: Obj[] = [];
  for (let i = 0; i < l.length; i++) out.push(asObj(l[i], where));
  return out;
}

/** A bounded list of what happened, in order. */
export class EventLog {
  readonly items: string[] = [];
  add(e: string): void {
    if (this.items.length < MAX_EVENTS) this.items.push(e);
  }
}
