// ISO 8583 for the portable core: pack/unpack driven by a field-spec table, the `cup`
// (UnionPay POS) spec, wire frames with TPDU and header, the MAC input, field 60/61 helpers.
// Re-exports are plain assignments (not `export { } from`, which compiles to a getter per
// name: bigger on Espruino and slower on every call).
import * as pack from "./pack";
import * as unpack from "./unpack";
import * as spec from "./spec";
import * as types from "./types";
import * as f60 from "./field60";

export type { IsoFields, IsoMessage, WireHeader } from "./types";
export type { FieldDef, IsoSpec } from "./spec";
export type { Field60, Field61, SubfieldDef } from "./field60";

/** Packs the bare message (MTI, bitmap, fields ascending): `packIso(spec, msg)`. */
export const packIso = pack.packIso;
/** Unpacks the bare message held in exactly `b[off .. off+n)`: `unpackIso(spec, b, off, n)`. */
export const unpackIso = unpack.unpackIso;
/** 2-byte length + TPDU + header + bare message: `packWire(spec, msg, { tpdu, header })`. */
export const packWire = pack.packWire;
/** One wire frame back to `{ msg, header }`: `unpackWire(spec, b)`. */
export const unpackWire = unpack.unpackWire;
/** Present field numbers, ascending. */
export const fieldNumbers = pack.fieldNumbers;
/** The bytes the MAC (field 64, or 128 with a secondary bitmap) covers. */
export const macInput = pack.macInput;
/** The spec table named "cup" (an error for any other name). */
export const specByName = spec.specByName;
/** Definition of one field in a spec, or undefined. */
export const fieldDef = spec.fieldDef;
/** Bytes before the bare message in a wire frame (length 2 + TPDU 5 + header 6). */
export const WIRE_OVERHEAD_BYTES = types.WIRE_OVERHEAD_BYTES;

export const FIELD60 = f60.FIELD60;
export const FIELD61 = f60.FIELD61;
export const TYPE_CODE = f60.TYPE_CODE;
export const NET_CODE = f60.NET_CODE;
export const buildField60 = f60.buildField60;
export const parseField60 = f60.parseField60;
export const buildField61 = f60.buildField61;
export const parseField61 = f60.parseField61;
