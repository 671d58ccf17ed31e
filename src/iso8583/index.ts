// ISO 8583 for the portable core: pack/unpack driven by a field-spec table, the `cup`
// (UnionPay POS) spec, wire frames with TPDU and header, the MAC input, field 60/61 helpers.
export { IsoFields, IsoMessage, WireHeader, WIRE_LENGTH_BYTES, TPDU_BYTES, HEADER_BYTES, WIRE_OVERHEAD_BYTES, MAX_BARE_BYTES } from "./types";
export { FieldDef, IsoSpec, FORMAT_NAMES, MAX_FIELD, FMT_N, FMT_Z, FMT_AN, FMT_ANS, FMT_B, LEN_FIXED, LEN_LL, LEN_LLL, ALIGN_LEFT, ALIGN_RIGHT, specByName, fieldDef } from "./spec";
export { packIso, packWire, fieldNumbers, macInput } from "./pack";
export { unpackIso, unpackWire } from "./unpack";
export * from "./field60";
