/** One group of benchmark figures; `run` returns flat keys such as "cbor.speed_vs_cbor_x". */
export interface BenchArea {
  name: string;
  run: () => Promise<{ [key: string]: number }>;
}

/** Runs `fn` repeatedly for about `budget_ms` and returns operations per second. */
export function opsPerSecond(fn: () => void, budget_ms = 300): number {
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  const t0 = process.hrtime.bigint();
  let elapsed_ns = 0n;
  const budget_ns = BigInt(budget_ms) * 1000000n;
  while (elapsed_ns < budget_ns) {
    for (let i = 0; i < 100; i++) fn();
    ops += 100;
    elapsed_ns = process.hrtime.bigint() - t0;
  }
  return ops / (Number(elapsed_ns) / 1e9);
}

/**
 * Ratio of two rates measured side by side: A and B alternate in `rounds` rounds and the
 * median of the per-round ratios A/B is returned, so machine drift hits both alike.
 */
export function sideBySideRatio(a: () => void, b: () => void, rounds = 7, budget_ms = 150): number {
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) ratios.push(opsPerSecond(a, budget_ms) / opsPerSecond(b, budget_ms));
  ratios.sort((x, y) => x - y);
  return ratios[Math.floor(ratios.length / 2)];
}
