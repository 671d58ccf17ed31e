// Network fault injection in front of the acquirer core, seeded and deterministic.
// Per run: a spec of probabilities (at most one fault per message, drawn in arrival order).
// Per message: `force(kind)` queues a fault for the next message (tests, scripted sims).
import { Bytes } from "../../src/bytes/index";
import { digitsValue } from "../../src/acquirer/protocol";
import { AcquirerCore } from "./core";
import { SPEC } from "./wire";
import { Rng } from "./rng";
import { WIRE_OVERHEAD_BYTES, unpackWire } from "../../src/iso8583/index";

export const FAULT_KINDS = ["drop_request", "drop_reply", "delay", "duplicate", "corrupt", "wrong_stan", "close"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** Most forced faults that may wait for messages. */
export const MAX_FORCED_FAULTS = 1024;
/** Default extra latency of a "delay" fault: past any sane terminal timeout. */
export const DEFAULT_DELAY_MS = 60000;
/** Most bytes one "corrupt" fault flips. */
const MAX_CORRUPT_BYTES = 3;

export interface FaultSpec {
  /** Probability per message of each kind (sum ≤ 1). */
  p: { [kind: string]: number };
  delay_ms: number;
  seed: number;
}

const NET_PRESET: { [kind: string]: number } = {
  drop_request: 0.02, drop_reply: 0.02, delay: 0.02, duplicate: 0.02, corrupt: 0.02, wrong_stan: 0.02, close: 0.01,
};

/** Parses "none", "net", "all" (= net) or "kind=p,…[,delay_ms=N][,seed=N]"; a bad spec is an Error naming the part. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { p: {}, delay_ms: DEFAULT_DELAY_MS, seed: 1 };
  for (const part of text.split(",").map((x) => x.trim()).filter((x) => x !== "")) {
    if (part === "none") continue;
    if (part === "net" || part === "all") {
      Object.assign(spec.p, NET_PRESET);
      continue;
    }
    const [k, v] = part.split("=");
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`faults: "${part}" needs a non-negative number`);
    if (k === "delay_ms") spec.delay_ms = Math.floor(n);
    else if (k === "seed") spec.seed = Math.floor(n);
    else if ((FAULT_KINDS as readonly string[]).includes(k)) spec.p[k] = n;
    else throw new Error(`faults: unknown kind "${k}" (${FAULT_KINDS.join(", ")}, delay_ms, seed)`);
  }
  const total = Object.values(spec.p).reduce((a, b) => a + b, 0);
  if (total > 1) throw new Error(`faults: probabilities add up to ${total}, more than 1`);
  return spec;
}

/** One frame (or part of one) to deliver to the terminal at `at_ms`. */
export interface Delivery {
  at_ms: number;
  frame: Uint8Array;
}

export interface FaultOutcome {
  fault: FaultKind | "none";
  deliveries: Delivery[];
  /** Close the connection after the deliveries. */
  close: boolean;
  note: string;
}

export class FaultyAcquirer {
  private rng: Rng;
  private forced: FaultKind[] = [];
  readonly counts: { [kind: string]: number } = {};
  /**
   * Called with every request that changed the core's state, after the core answered it and
   * before any reply is handed out (`--state` writes it to disk here; a throw sends no reply).
   */
  commit: ((frame: Uint8Array, now_ms: number) => void) | undefined = undefined;

  constructor(readonly core: AcquirerCore, readonly spec: FaultSpec) {
    this.rng = new Rng(spec.seed ^ 0x5eed);
  }

  /** Makes the next message suffer `kind`. */
  force(kind: FaultKind): void {
    if (this.forced.length >= MAX_FORCED_FAULTS) throw new Error("faults: too many forced faults queued");
    this.forced.push(kind);
  }

  private draw(): FaultKind | "none" {
    const r = this.rng.float();
    const forced = this.forced.shift();
    if (forced !== undefined) return forced;
    let acc = 0;
    for (const k of FAULT_KINDS) {
      acc += this.spec.p[k] ?? 0;
      if (r < acc) return k;
    }
    return "none";
  }

  /** Passes one request frame through the fault plan and the core. */
  handle(frame: Uint8Array, now_ms: number): FaultOutcome {
    const fault = this.draw();
    this.counts[fault] = (this.counts[fault] ?? 0) + 1;
    if (fault === "drop_request") return { fault, deliveries: [], close: false, note: "request dropped" };
    const a = this.core.respond(frame as unknown as Bytes, now_ms);
    if (a.changed === true && this.commit !== undefined) this.commit(frame, now_ms);
    if (a.reply === undefined) return { fault, deliveries: [], close: a.close, note: a.note };
    const reply = a.reply as unknown as Uint8Array;
    return { fault, ...this.disturb(fault, reply, now_ms), note: a.note + (fault === "none" ? "" : " [fault " + fault + "]") };
  }

  private disturb(fault: FaultKind | "none", reply: Uint8Array, now_ms: number): { deliveries: Delivery[]; close: boolean } {
    switch (fault) {
      case "drop_reply":
        return { deliveries: [], close: false };
      case "delay":
        return { deliveries: [{ at_ms: now_ms + this.spec.delay_ms, frame: reply }], close: false };
      case "duplicate":
        return { deliveries: [{ at_ms: now_ms, frame: reply }, { at_ms: now_ms, frame: reply.slice() }], close: false };
      case "corrupt":
        return { deliveries: [{ at_ms: now_ms, frame: this.corrupt(reply) }], close: false };
      case "wrong_stan":
        return { deliveries: [{ at_ms: now_ms, frame: this.wrongStan(reply) }], close: false };
      case "close":
        return { deliveries: [{ at_ms: now_ms, frame: reply.slice(0, Math.max(1, reply.length >>> 1)) }], close: true };
      default:
        return { deliveries: [{ at_ms: now_ms, frame: reply }], close: false };
    }
  }

  /** Flips 1..3 bytes of the ISO message (the frame still arrives whole; the MAC or parsing must catch it). */
  private corrupt(reply: Uint8Array): Uint8Array {
    const out = reply.slice();
    const n = 1 + this.rng.below(MAX_CORRUPT_BYTES);
    for (let i = 0; i < n; i++) {
      const at = WIRE_OVERHEAD_BYTES + this.rng.below(out.length - WIRE_OVERHEAD_BYTES);
      out[at] ^= 1 + this.rng.below(255);
    }
    return out;
  }

  /** The reply with another STAN, MAC'd again so only the STAN is wrong. */
  private wrongStan(reply: Uint8Array): Uint8Array {
    const stan = unpackWire(SPEC, reply as unknown as Bytes).msg.fields["11"] ?? "000000";
    const other = String((digitsValue(stan, 0, 6, "stan") + 1 + this.rng.below(999998)) % 1000000).padStart(6, "0");
    return this.core.rewriteReply(reply as unknown as Bytes, { "11": other }, false) as unknown as Uint8Array;
  }
}
