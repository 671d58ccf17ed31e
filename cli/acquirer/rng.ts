// The acquirer simulator's view of the project's one seeded generator (src/sim/prng.ts): a
// seed replays exactly.
import { Prng, nextU32, nextUnit, prng } from "../../src/sim/prng";

export class Rng {
  private p: Prng;

  constructor(seed: number) {
    this.p = prng(seed);
  }

  /** The generator's state, saved with the simulator's state file (never 0: xorshift would stick). */
  get state(): number {
    return this.p.s;
  }

  set state(s: number) {
    this.p.s = s >>> 0 === 0 ? prng(0).s : s >>> 0;
  }

  /** Next 32-bit unsigned value. */
  next(): number {
    return nextU32(this.p);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return nextUnit(this.p);
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}
