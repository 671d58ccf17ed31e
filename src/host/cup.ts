// The `cup` codec for the host link: the real ISO 8583 spec (src/iso8583) with the terminal's
// TPDU and header. Anything malformed comes back as a PosrtError naming the field.
import { Bytes, len } from "../bytes/index";
import { macInput, packIso, packWire, unpackIso, unpackWire } from "../iso8583/index";
import { HostCodec, HostMessage } from "./codec";

export const CUP_SPEC = "cup";
/** Default TPDU (to NII 003) and header (application 60, version 31) of UnionPay POS frames. */
export const DEFAULT_TPDU = "6000030000";
export const DEFAULT_HEADER = "603100000000";

/** A HostCodec for the cup spec (or a variant, e.g. "cup-f22r") with the given TPDU and header (hex). */
export function cupCodec(tpdu: string, header: string, spec?: string): HostCodec {
  const h = { tpdu: tpdu, header: header };
  const sp = spec === undefined ? CUP_SPEC : spec;
  return {
    packWire: (msg: HostMessage): Bytes => packWire(sp, msg, h),
    unpackWire: (frame: Bytes): HostMessage => unpackWire(sp, frame).msg,
    packBare: (msg: HostMessage): Bytes => packIso(sp, msg),
    unpackBare: (b: Bytes): HostMessage => unpackIso(sp, b, 0, len(b)),
    macInput: (msg: HostMessage): Bytes => macInput(sp, msg),
    headerOf: (frame: Bytes): string => unpackWire(sp, frame).header.header,
  };
}

export const CUP_CODEC: HostCodec = cupCodec(DEFAULT_TPDU, DEFAULT_HEADER);
