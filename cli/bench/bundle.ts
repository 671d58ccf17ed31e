import * as fs from "fs";
import * as path from "path";
import { BenchArea } from "./area";
import { DIST } from "../paths";

/** Sizes of the device builds, in bytes (deterministic). */
export const bundleBench: BenchArea = {
  name: "bundle",
  async run() {
    return {
      "bundle.espruino_bytes": fs.statSync(path.join(DIST, "espruino", "posrt.js")).size,
      "bundle.lua_bytes": fs.statSync(path.join(DIST, "nodemcu", "posrt.lua")).size,
    };
  },
};
