// Emulator SecurityModule: the software one from src/crypto/soft-security.ts, keyed by
// default with TEST_TMK_HEX — a published TEST key that protects nothing.
export { SoftSecurity as EmulatorSecurity, SoftSecurityOptions as EmulatorSecurityOptions, TEST_TMK_HEX, SEALED_PAN_BYTES, SEALED_PAN_VERSION, MAX_SEAL_NONCE } from "../../src/crypto/soft-security";
