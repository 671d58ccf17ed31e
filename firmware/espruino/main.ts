// Espruino entry: wires the Espruino HAL to the device application and exposes the console
// API as the global `posrt` (the build's bundle assigns this module's exports to it):
//   posrt.signIn()  posrt.sale(1234)  posrt.settle()  posrt.status()
import { DEFAULT_ACQUIRER_ADDRESS, DEVICE_SECTOR_COUNT, DeviceTerminal, VERSION as APP_VERSION, bootDevice, selfTest as appSelfTest } from "../device/terminal";
import { openEspruinoFlash } from "../../hal/espruino/flash";
import { openEspruinoClock } from "../../hal/espruino/clock";
import { openEspruinoLink } from "../../hal/espruino/link";
import { openEspruinoPrinter } from "../../hal/espruino/printer";
import { openEspruinoDisplay } from "../../hal/espruino/display";
import { errorText } from "../../src/errors";

declare function print(s: string): void;

export const VERSION = APP_VERSION;
export const selfTest = appSelfTest;

function log(line: string): void {
  print(line);
}

function boot(): DeviceTerminal | undefined {
  try {
    const flash = openEspruinoFlash({ sector_count: DEVICE_SECTOR_COUNT });
    return bootDevice({
      flash: flash, openLink: openEspruinoLink, clock: openEspruinoClock(), address: DEFAULT_ACQUIRER_ADDRESS,
      printer: openEspruinoPrinter({ onWritable: () => undefined, onError: () => undefined }), display: openEspruinoDisplay({}), log: log,
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
