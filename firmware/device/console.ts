// The console API both device entries expose as the global `posrt`:
//   posrt.signIn()  posrt.sale(1234)  posrt.settle()  posrt.status()
// Each entry only says how to open its platform's devices.
import { DeviceOptions, DeviceTerminal, VERSION, bootDevice } from "./terminal";
import { errorText } from "../../src/errors";

export interface ConsoleApi {
  signIn: (this: void) => void;
  /** Sale of `amount_minor` (1234 = 12.34) on the TEST card. */
  sale: (this: void, amount_minor: number) => void;
  settle: (this: void) => void;
  status: (this: void) => string;
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
    signIn: () => withTerminal((t) => t.signIn()),
    sale: (amount_minor: number) => withTerminal((t) => t.sale(amount_minor)),
    settle: () => withTerminal((t) => t.settle()),
    status: () => (terminal === undefined ? "not booted" : terminal.status()),
  };
}
