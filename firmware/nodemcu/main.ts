// NodeMCU (Lua 5.3) entry: wires the NodeMCU HAL to the device application and exposes the console
// API as the global `posrt` (set below; `dofile("posrt.lua")` also returns it).
import { DEVICE_CONFIG, DEVICE_SECTOR_COUNT, DeviceOptions, VERSION as APP_VERSION, selfTest as appSelfTest } from "../device/terminal";
import { startConsole } from "../device/console";
import { SecureElementSpec, addressOf, loadConfig, profileOf, secureElementOf, txnConfigOf } from "../device/config";
import { openSecureElement } from "../device/secure";
import { openNodeMcuBus } from "../../hal/nodemcu/bus";
import { SeKeyAccess } from "../device/keys";
import { fail } from "../../src/errors";
import { DEVELOPMENT_BUILD } from "../device/build";
import { nodeMcuKeyEnv } from "../../hal/nodemcu/identity";
import { openNodeMcuFiles } from "../../hal/nodemcu/files";
import { openNodeMcuFlash } from "../../hal/nodemcu/flash";
import { openNodeMcuClock } from "../../hal/nodemcu/clock";
import { openNodeMcuLink } from "../../hal/nodemcu/link";
import { openNodeMcuPrinter } from "../../hal/nodemcu/printer";
import { openNodeMcuDisplay } from "../../hal/nodemcu/display";

declare function print(s: string): void;

export const VERSION = APP_VERSION;
export const selfTest = appSelfTest;

function log(line: string): void {
  print(line);
}

/** The devices, configured from flash; no configuration there: the boot fails and says why. */
function openDevices(): DeviceOptions {
  const why: string[] = [];
  const files = openNodeMcuFiles();
  const cfg = loadConfig(files, why);
  if (cfg === undefined) return fail("config", why[0]);
  // a secure element only when posrt.cfg names one (the i2c module; the SPI pins are unused)
  const se = secureElementOf(cfg);
  const o: DeviceOptions = {
    flash: openNodeMcuFlash({ sector_count: DEVICE_SECTOR_COUNT }), openLink: openNodeMcuLink, clock: openNodeMcuClock(), address: addressOf(cfg), keys: nodeMcuKeyEnv(files, DEVELOPMENT_BUILD), config: txnConfigOf(cfg, DEVICE_CONFIG.supervisorPassword), profile: profileOf(cfg),
    printer: openNodeMcuPrinter({ onWritable: () => undefined, onError: () => undefined }), display: openNodeMcuDisplay({}), log: log,
  };
  if (se !== undefined) o.secure = (keys: SeKeyAccess, mac: string | undefined) =>
    openSecureElement(se, (s: SecureElementSpec) => openNodeMcuBus({ spi: { sck: 0, miso: 0, mosi: 0 }, i2c: { sda: s.sda, scl: s.scl } }), keys, mac, log);
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

declare const _G: { posrt: unknown };

_G.posrt = { VERSION: VERSION, selfTest: selfTest, signIn: signIn, sale: sale, settle: settle, status: status, key: key, card: card, screen: screen, inject: inject };
