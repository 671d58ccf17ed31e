import { BenchArea } from "./area";
import { bundleBench } from "./bundle";
import { cborBench } from "./cbor";
import { memoryBench } from "./memory";
import { journalBench } from "./journal";

/** Every benchmark area, in report order. Add yours here. */
export const BENCH_AREAS: BenchArea[] = [
  bundleBench,
  cborBench,
  memoryBench,
  journalBench,
];
