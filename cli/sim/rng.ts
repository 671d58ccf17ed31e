// The simulation's view of the project's one seeded generator (src/sim/prng.ts): the same
// seed replays exactly, on every runtime.
import { Prng, nextInt, nextUnit, prng } from "../../src/sim/prng";

export class Rng {
  private p: Prng;

  constructor(seed: number) {
    this.p = prng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return nextUnit(this.p);
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return nextInt(this.p, lo, hi);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: T[]): T {
    return items[nextInt(this.p, 0, items.length - 1)];
  }
}
