/**
 * Opaque byte buffer. Its representation is chosen per target by the build
 * (`#bytes-native`): a Uint8Array in JavaScript, packed integers in Lua.
 * Core code never indexes it directly; it goes through src/bytes.
 */
export interface Bytes {
  readonly __posrtBytes: never;
}
