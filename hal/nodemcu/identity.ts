// The board's identity and randomness on NodeMCU: node.chipid() and node.random(lo, hi) (the
// ESP hardware random number generator) where the firmware has them, else math.random (which
// repeats its sequence every boot unless seeded: weak). The project's Lua host provides both
// (firmware/nodemcu/host-device.lua: /dev/urandom).
import { KeyEnv } from "../../firmware/device/keys";
import { FileStore } from "../../firmware/device/config";

declare const node: { chipid?: (this: void) => string | number; random?: (this: void, lo: number, hi: number) => number };

function randomByte(): number {
  if (node.random !== undefined) return node.random(0, 255);
  return Math.floor(Math.random() * 256);
}

export function nodeMcuKeyEnv(files: FileStore, development: boolean): KeyEnv {
  const serial = node.chipid !== undefined ? "" + node.chipid() : "no-serial";
  return { files: files, serial: serial, randomByte: randomByte, development: development };
}
