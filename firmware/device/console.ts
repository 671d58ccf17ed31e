// The console API both device entries expose as the global `posrt`:
//   posrt.key("1")  posrt.card("swipe", "debit")  posrt.screen()   (the terminal app)
//   posrt.signIn()  posrt.sale(1234)  posrt.settle()  posrt.status()  (engine shortcuts)
//   posrt.inject("tmk", HEX, KCV, "kek")  (key injection: `posrt keys inject`)
// Each entry only says how to open its platform's devices.
import { DeviceOptions, DeviceTerminal, VERSION, bootDevice } from "./terminal";
import { errorText } from "../../src/errors";

export interface ConsoleApi {
  /** A key into the terminal app. */
  key: (this: void, k: string) => void;
  /** A test card: kind swipe | insert | tap | remove, name as `posrt cards` lists them. */
  card: (this: void, kind: string, name: string) => void;
  /** The display rows, as an array of strings. */
  screen: (this: void) => string[];
  signIn: (this: void) => void;
  /** Sale of `amount_minor` (1234 = 12.34) on the TEST card. */
  sale: (this: void, amount_minor: number) => void;
  settle: (this: void) => void;
  status: (this: void) => string;
  /** Loads a key: name kek | tmk, hex (in clear or under the KEK: `under` clear | kek), its 6-digit check value. */
  inject: (this: void, name: string, hex: string, kcv: string, under: string) => string;
}

/** Boots the terminal on the devices `open` returns; a failed boot is logged, never thrown. */
export function startConsole(open: (this: void) => DeviceOptions, log: (this: void, line: string) => void): ConsoleApi {
  let terminal: DeviceTerminal | undefined = undefined;
  try {
    terminal = bootDevice(open());
  } catch (e) {
    log("posrt " + VERSION + " boot failed: " + errorText(e));
  }
  const withTerminal = (run: (this: void, t: DeviceTerminal) => void): void => {
    if (terminal === undefined) log("posrt: not booted (see the boot message)");
    else run(terminal);
  };
  return {
    key: (k: string) => withTerminal((t) => t.key(k)),
    card: (kind: string, name: string) => withTerminal((t) => {
      const why = t.card(kind, name);
      if (why !== "") log("posrt.card: " + why);
    }),
    screen: () => (terminal === undefined ? [] : terminal.screen()),
    signIn: () => withTerminal((t) => t.signIn()),
    sale: (amount_minor: number) => withTerminal((t) => t.sale(amount_minor)),
    settle: () => withTerminal((t) => t.settle()),
    status: () => (terminal === undefined ? "not booted" : terminal.status()),
    inject: (name: string, hex: string, kcv: string, under: string) => {
      if (terminal === undefined) return "not booted";
      const why = terminal.inject(name, hex, kcv, under);
      log("posrt.inject " + name + ": " + (why === "" ? "loaded, check value " + kcv.toUpperCase() : "REFUSED: " + why));
      return why === "" ? "loaded" : why;
    },
  };
}
