// NodeMCU (Lua 5.3) entry: wires the NodeMCU HAL to the device application and exposes the console
// API as the global `posrt` (set below; `dofile("posrt.lua")` also returns it):
//   posrt.signIn()  posrt.sale(1234)  posrt.settle()  posrt.status()
import { DEFAULT_ACQUIRER_ADDRESS, DEVICE_SECTOR_COUNT, DeviceTerminal, VERSION as APP_VERSION, bootDevice, selfTest as appSelfTest } from "../device/terminal";
import { openNodeMcuFlash } from "../../hal/nodemcu/flash";
import { openNodeMcuClock } from "../../hal/nodemcu/clock";
import { openNodeMcuLink } from "../../hal/nodemcu/link";
import { openNodeMcuPrinter } from "../../hal/nodemcu/printer";
import { openNodeMcuDisplay } from "../../hal/nodemcu/display";
import { errorText } from "../../src/errors";

declare function print(s: string): void;

export const VERSION = APP_VERSION;
export const selfTest = appSelfTest;

function log(line: string): void {
  print(line);
}

function boot(): DeviceTerminal | undefined {
  try {
    const flash = openNodeMcuFlash({ sector_count: DEVICE_SECTOR_COUNT });
    return bootDevice({
      flash: flash, openLink: openNodeMcuLink, clock: openNodeMcuClock(), address: DEFAULT_ACQUIRER_ADDRESS,
      printer: openNodeMcuPrinter({ onWritable: () => undefined, onError: () => undefined }), display: openNodeMcuDisplay({}), log: log,
    });
  } catch (e) {
    log("posrt " + VERSION + " boot failed: " + errorText(e));
    return undefined;
  }
}

const terminal = boot();

function withTerminal(run: (this: void, t: DeviceTerminal) => void): void {
  if (terminal === undefined) log("posrt: not booted (see the boot message)");
  else run(terminal);
}

export function signIn(): void {
  withTerminal((t) => t.signIn());
}

/** Sale of `amount_minor` (1234 = 12.34) on the TEST card. */
export function sale(amount_minor: number): void {
  withTerminal((t) => t.sale(amount_minor));
}

export function settle(): void {
  withTerminal((t) => t.settle());
}

export function status(): string {
  return terminal === undefined ? "not booted" : terminal.status();
}

declare const _G: { posrt: unknown };

_G.posrt = { VERSION: VERSION, selfTest: selfTest, signIn: signIn, sale: sale, settle: settle, status: status };
