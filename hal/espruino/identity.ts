// The board's identity and randomness on Espruino: getSerial() (the chip's serial number) and
// E.hwRand() (the hardware random number generator on ESP32), mixed with the microseconds of
// getTime(). The Linux host build's E.hwRand and Math.random repeat the same sequence every
// run, so there the time alone varies the bytes: weak, for tests only; an ESP32 has a true RNG.
import { KeyEnv } from "../../firmware/device/keys";
import { FileStore } from "../../firmware/device/config";

declare function getTime(): number;
declare function getSerial(): string;
declare const E: { hwRand?: (this: void) => number };

function randomByte(): number {
  let r = Math.floor(Math.random() * 256);
  if (typeof E !== "undefined" && typeof E.hwRand === "function") r = r ^ (E.hwRand() & 255);
  return (r ^ Math.floor(getTime() * 1000000) % 256) & 255;
}

export function espruinoKeyEnv(files: FileStore, development: boolean): KeyEnv {
  const serial = typeof getSerial === "function" ? "" + getSerial() : "no-serial";
  return { files: files, serial: serial, randomByte: randomByte, development: development };
}
