// Replays a recorded event trace through a fresh engine: the `txn.trace` conformance suite
// and the simulation's replay check use it, so every runtime must produce the same bytes.
// Trace items: an event into the core ({k, t, op?, data?, id?}), {arm: n} (the flash loses
// power at its n-th program/erase from now: a torn write) or {cut: why} (power is back:
// the journal is reopened from flash and a new engine starts with empty RAM).
import { Bytes, fromHex, toHex } from "../bytes/index";
import { fail } from "../errors";
import { Journal } from "../journal/api";
import { SecurityModule } from "../../hal/security";
import { HostCodec } from "../host/codec";
import { TxnEngine } from "./engine";
import { Effect, Operation, OpResult, TxnConfig, FX_RESULT, FX_SEND } from "./types";

/** Most trace items one replay accepts. */
export const MAX_TRACE_ITEMS = 20000;

export interface TraceItem {
  k?: number;
  t?: number;
  op?: Operation;
  /** Hex of EV_BYTES data (or of EV_CANNOT_COMPLETE field 55). */
  data?: string;
  id?: number;
  arm?: number;
  cut?: string;
}

/** The device a trace runs on: flash-backed journal, security module, codec, configuration. */
export interface ReplayDevice {
  /** Opens (or after a cut reopens, power restored) the journal from flash. */
  open(this: void): Journal;
  /** The flash loses power at its n-th program/erase from now. */
  armCut(this: void, n: number): void;
  /** True once the armed cut has happened. */
  dead(this: void): boolean;
  /** CRC-32 of the whole flash image. */
  imageCrc(this: void): number;
  security: SecurityModule;
  codec: HostCodec;
  config: TxnConfig;
}

export interface ReplayResult {
  /** Every frame sent, hex. */
  sent: string[];
  /** Field 39 (or "" / "ok") of every operation result, in order. */
  results: string[];
  cuts: number;
  /** Defects caught inside the engine (must be 0). */
  crashes: number;
  flash_crc: number;
}

function resultCode(r: OpResult): string {
  if (r.code !== "") return r.code;
  return r.ok ? "ok" : "-";
}

function collect(fx: Effect[], out: ReplayResult): void {
  for (let i = 0; i < fx.length; i++) {
    const e = fx[i];
    if (e.k === FX_SEND) out.sent.push(toHex(e.b as Bytes));
    else if (e.k === FX_RESULT) out.results.push(resultCode(e.result as OpResult));
  }
}

function newEngine(d: ReplayDevice): TxnEngine {
  return new TxnEngine({ journal: d.open(), security: d.security, codec: d.codec, config: d.config });
}

/** Runs `items` on `d`; effects of an event during which the power failed are not carried out. */
export function replayTrace(d: ReplayDevice, items: TraceItem[]): ReplayResult {
  const out: ReplayResult = { sent: [], results: [], cuts: 0, crashes: 0, flash_crc: 0 };
  if (items.length > MAX_TRACE_ITEMS) fail("trace", items.length + " items, more than " + MAX_TRACE_ITEMS);
  let eng = newEngine(d);
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it.arm !== undefined) d.armCut(it.arm);
    else if (it.cut !== undefined) {
      out.crashes += eng.crashes();
      out.cuts++;
      eng = newEngine(d);
    } else {
      const data = it.data === undefined ? undefined : fromHex(it.data);
      const fx = eng.handle({ k: it.k === undefined ? 0 : it.k, t_ms: it.t === undefined ? 0 : it.t, op: it.op, data: data, id: it.id });
      if (!d.dead()) collect(fx, out);
    }
  }
  out.crashes += eng.crashes();
  out.flash_crc = d.imageCrc();
  return out;
}
