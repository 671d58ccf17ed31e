import { BenchArea } from "./area";
import { bundleBench } from "./bundle";
import { cborBench } from "./cbor";
import { memoryBench } from "./memory";
import { iso8583Bench } from "./iso8583";
import { acquirerBench } from "./acquirer";
import { journalBench } from "./journal";
import { txnBench } from "./txn";
import { driversBench } from "./drivers";
import { deviceBench } from "./device";
import { deviceDayBench } from "./device-day";

/** Every benchmark area, in report order. Add yours here. */
export const BENCH_AREAS: BenchArea[] = [
  bundleBench,
  cborBench,
  memoryBench,
  iso8583Bench,
  acquirerBench,
  journalBench,
  txnBench,
  driversBench,
  deviceBench,
  deviceDayBench,
];
