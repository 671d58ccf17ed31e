// The development terminal's configuration that `posrt device run`, the device tests and the
// memory bench write into the board's flash: TEST identities the acquirer simulator accepts,
// the acquirer on 127.0.0.1.
import { CONFIG_FILE, DeviceConfig, configText } from "../../firmware/device/config";

export function devConfig(port: number, profile?: string): DeviceConfig {
  return {
    profile,
    host: "127.0.0.1", port, tid: "DEV00001", mid: "DEVMERCHANT0001", merchant: "POSRT DEV BOARD", currency: "156",
    timeout_ms: 30000, reversal_attempts: 3, refund_max_minor: 200000, key_scheme: "003", await_completion: false,
  };
}

/** The board's files holding that configuration; `profile`: an acquirer profile's JSON text (one line). */
export function devConfigFiles(port: number, profile?: string): Record<string, string> {
  return { [CONFIG_FILE]: configText(devConfig(port, profile)) };
}
