// Small named files on Espruino: the built-in `Storage` module (a journalled area of the chip's
// flash; a write replaces the file as a whole).
import { FileStore } from "../../firmware/device/config";

interface EspruinoStorage {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
}

declare function require(name: "Storage"): EspruinoStorage;

export function openEspruinoFiles(): FileStore {
  const S = require("Storage");
  return {
    read: (name: string) => {
      const s = S.read(name);
      return s === undefined ? undefined : "" + s;
    },
    write: (name: string, text: string) => S.write(name, text),
  };
}
