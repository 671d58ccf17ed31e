// Finds the real Espruino interpreter built for this machine (an optional tool): the binary
// named by ESPRUINO_BIN, else `shared/tools/espruino/` in a folder above the project root.
// Builds: espruino-host-16383 (ESP32), espruino-host-4095 (ESP32-C3), espruino-host-big
// (memory grows as needed: for large test bundles, not for fit).
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../paths";

export type EspruinoBuild = "16383" | "4095" | "big";

/** 75 % of the ESP32 build's 16,383 variables: the fit goal of the firmware on Espruino (run with --var-cap). */
export const ESPRUINO_FIT_VARS = 12287;

/** Folders above the project root searched for shared/tools/espruino. */
const MAX_PARENTS = 4;

function toolsDir(): string | undefined {
  let dir = ROOT;
  for (let i = 0; i < MAX_PARENTS; i++) {
    const d = path.join(dir, "shared", "tools", "espruino");
    if (fs.existsSync(d)) return d;
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * The interpreter binary of `build`: ESPRUINO_BIN's sibling of that build when it exists (else
 * ESPRUINO_BIN itself), or the one in shared/tools/espruino; undefined when none is present.
 */
export function espruinoBinary(build: EspruinoBuild): string | undefined {
  const env = process.env.ESPRUINO_BIN;
  if (env !== undefined && env !== "") {
    const sibling = path.join(path.dirname(env), "espruino-host-" + build);
    return fs.existsSync(sibling) ? sibling : env;
  }
  const dir = toolsDir();
  if (dir === undefined) return undefined;
  const bin = path.join(dir, "espruino-host-" + build);
  return fs.existsSync(bin) ? bin : undefined;
}

export const NO_ESPRUINO = "no Espruino interpreter: set ESPRUINO_BIN or put the host builds in shared/tools/espruino above the project";
