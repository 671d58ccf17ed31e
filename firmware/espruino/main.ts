// Espruino entry: wires the Espruino HAL to the device application and exposes the console
// API as the global `posrt` (the build's bundle assigns this module's exports to it):
//   posrt.signIn()  posrt.sale(1234)  posrt.settle()  posrt.status()
import { DEVICE_CONFIG, DEVICE_SECTOR_COUNT, DeviceOptions, VERSION as APP_VERSION, selfTest as appSelfTest } from "../device/terminal";
import { startConsole } from "../device/console";
import { SecureElementSpec, addressOf, loadConfig, profileOf, secureElementOf, txnConfigOf } from "../device/config";
import { openSecureElement } from "../device/secure";
import { openEspruinoBus } from "../../hal/espruino/bus";
import { SeKeyAccess } from "../device/keys";
import { fail } from "../../src/errors";
import { Bytes, useNativeCrc32 } from "../../src/bytes/index";
import { DEVELOPMENT_BUILD } from "../device/build";
import { espruinoKeyEnv } from "../../hal/espruino/identity";
import { openEspruinoFiles } from "../../hal/espruino/files";
import { openEspruinoFlash } from "../../hal/espruino/flash";
import { openEspruinoClock } from "../../hal/espruino/clock";
import { openEspruinoLink } from "../../hal/espruino/link";
import { openEspruinoPrinter } from "../../hal/espruino/printer";
import { openEspruinoDisplay } from "../../hal/espruino/display";

declare function print(s: string): void;
/** What E.CRC32 takes: a view of a part of the bytes (Bytes are Uint8Arrays on Espruino). */
interface NativeBytes {
  subarray(start: number, end: number): NativeBytes;
}
declare const E: { CRC32: (this: void, data: NativeBytes) => number };

// The journal's CRCs (every record read at boot) in native code: E.CRC32 is the same CRC-32
// (a part of the bytes is passed as a view, not copied). The emulator page runs this file
// without Espruino's E: the portable CRC then.
if (typeof E !== "undefined" && typeof E.CRC32 === "function") useNativeCrc32((b: Bytes, off: number, n: number) => E.CRC32((b as unknown as NativeBytes).subarray(off, off + n)));

export const VERSION = APP_VERSION;
export const selfTest = appSelfTest;

function log(line: string): void {
  print(line);
}

/** The devices, configured from flash; no configuration there: the boot fails and says why. */
function openDevices(): DeviceOptions {
  const why: string[] = [];
  const files = openEspruinoFiles();
  const cfg = loadConfig(files, why);
  if (cfg === undefined) return fail("config", why[0]);
  // a secure element only when posrt.cfg names one: only then are the SE modules and the bus
  // adapter loaded (transient modules); I2C1 alone is set up, the SPI pins are unused
  const se = secureElementOf(cfg);
  const o: DeviceOptions = {
    flash: openEspruinoFlash({ sector_count: DEVICE_SECTOR_COUNT }), openLink: openEspruinoLink, clock: openEspruinoClock(), address: addressOf(cfg), keys: espruinoKeyEnv(files, DEVELOPMENT_BUILD), config: txnConfigOf(cfg, DEVICE_CONFIG.supervisorPassword), profile: profileOf(cfg),
    printer: openEspruinoPrinter({ onWritable: () => undefined, onError: () => undefined }), display: openEspruinoDisplay({}), log: log,
    // modules are dropped after each task (scripts/transient-modules.js): the app's and the engine's never load together
    handoffTasks: true,
  };
  if (se !== undefined) o.secure = (keys: SeKeyAccess, mac: string | undefined) =>
    openSecureElement(se, (s: SecureElementSpec) => openEspruinoBus({ spi: { sck: 0, miso: 0, mosi: 0 }, i2c: { sda: s.sda, scl: s.scl } }), keys, mac, log);
  return o;
}

const api = startConsole(openDevices, log);

export const signIn = api.signIn;
export const sale = api.sale;
export const settle = api.settle;
export const status = api.status;
export const key = api.key;
export const card = api.card;
export const screen = api.screen;
export const inject = api.inject;
