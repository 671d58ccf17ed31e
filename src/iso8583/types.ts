// ISO 8583 message shapes and wire-frame constants shared by pack and unpack.

/** Field values by number "2".."128": n/z digit strings (z: "D" separator), an/ans text, b upper-case hex. */
export interface IsoFields { [field: string]: string }
export interface IsoMessage { mti: string; fields: IsoFields }
/** TPDU (10 hex digits, e.g. "6000030000") and header (12 hex digits, e.g. "603100000000"). */
export interface WireHeader { tpdu: string; header: string }

/** Where errors say they come from. */
export const WHERE = "iso8583";
/** Frame geometry (a const enum: inlined as numbers). Overhead = length 2 + TPDU 5 + header 6. */
export const enum Wire { LengthBytes = 2, TpduBytes = 5, HeaderBytes = 6, Overhead = 13, MtiBytes = 2, BitmapBytes = 8, MaxBare = 65535 - 11 }
/** Bytes before the bare message in a wire frame. */
export const WIRE_OVERHEAD_BYTES = Wire.Overhead;
