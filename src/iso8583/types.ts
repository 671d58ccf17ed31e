// ISO 8583 message shapes and wire-frame constants shared by pack and unpack.

/** Field values by number "2".."128": n/z digit strings (z: "D" separator), an/ans text, b upper-case hex. */
export interface IsoFields { [field: string]: string }
export interface IsoMessage { mti: string; fields: IsoFields }
/** TPDU (10 hex digits, e.g. "6000030000") and header (12 hex digits, e.g. "603100000000"). */
export interface WireHeader { tpdu: string; header: string }

export const WHERE = "iso8583";
export const WIRE_LENGTH_BYTES = 2;
export const TPDU_BYTES = 5;
export const HEADER_BYTES = 6;
/** Bytes before the bare message in a wire frame. */
export const WIRE_OVERHEAD_BYTES = WIRE_LENGTH_BYTES + TPDU_BYTES + HEADER_BYTES;
/** Largest bare message a wire frame can carry (2-byte length). */
export const MAX_BARE_BYTES = 65535 - TPDU_BYTES - HEADER_BYTES;
export const MTI_BYTES = 2;
export const BITMAP_BYTES = 8;
