// Terminal settings the supervisor changes from the admin menu, kept in app blob slot
// SETTINGS_SLOT: [version, refund before settlement (0/1), largest amount (u32, minor units)].
import { alloc, get, len, readU32, set, writeU32 } from "../bytes/index";
import { AppStore } from "./store";

export const SETTINGS_SLOT = 1;
const SETTINGS_VERSION = 1;
const SETTINGS_BYTES = 6;
/** Default largest amount one sale or refund may have: 100,000.00. */
export const DEFAULT_MAX_AMOUNT_MINOR = 10000000;
/** Largest value the setting can hold (u32). */
export const MAX_AMOUNT_SETTING_MINOR = 4294967295;

export interface Settings {
  /** A refund of a sale still in the open batch is allowed (default yes; else: void it). */
  refundBeforeSettlement: boolean;
  maxAmount_minor: number;
}

export function loadSettings(st: AppStore): Settings {
  const s: Settings = { refundBeforeSettlement: true, maxAmount_minor: DEFAULT_MAX_AMOUNT_MINOR };
  const b = st.getAppBlob(SETTINGS_SLOT);
  if (b === undefined || len(b) !== SETTINGS_BYTES || get(b, 0) !== SETTINGS_VERSION) return s;
  s.refundBeforeSettlement = get(b, 1) !== 0;
  const max = readU32(b, 2);
  if (max > 0) s.maxAmount_minor = max;
  return s;
}

export function saveSettings(st: AppStore, s: Settings): void {
  const b = alloc(SETTINGS_BYTES);
  set(b, 0, SETTINGS_VERSION);
  set(b, 1, s.refundBeforeSettlement ? 1 : 0);
  writeU32(b, 2, s.maxAmount_minor);
  st.putAppBlob(SETTINGS_SLOT, b);
}
