// Small named files on NodeMCU: SPIFFS through the `file` module. A write goes to NAME.new
// first and is renamed over NAME, so a power cut leaves the old file or the new one.
import { FileStore } from "../../firmware/device/config";

/** Longest file read at once. */
export const MAX_FILE_CHARS = 4096;

interface NodeFile {
  read(this: NodeFile, n: number): string | undefined;
  write(this: NodeFile, s: string): boolean | undefined;
  close(this: NodeFile): void;
}

declare const file: {
  open(this: void, name: string, mode: string): NodeFile | undefined;
  exists(this: void, name: string): boolean;
  remove(this: void, name: string): void;
  rename(this: void, from: string, to: string): boolean;
};

export function openNodeMcuFiles(): FileStore {
  return {
    read: (name: string) => {
      if (!file.exists(name)) return undefined;
      const fd = file.open(name, "r");
      if (fd === undefined) return undefined;
      const s = fd.read(MAX_FILE_CHARS);
      fd.close();
      return s === undefined ? "" : s;
    },
    write: (name: string, text: string) => {
      const tmp = name + ".new";
      const fd = file.open(tmp, "w");
      if (fd === undefined) return false;
      const ok = fd.write(text) === true;
      fd.close();
      if (!ok) return false;
      if (file.exists(name)) file.remove(name);
      return file.rename(tmp, name);
    },
  };
}
