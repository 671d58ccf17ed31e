// The `cup` codec for the host link: the real ISO 8583 spec (src/iso8583) with the terminal's
// TPDU and header. Anything malformed comes back as a PosrtError naming the field.
import { Bytes, len } from "../bytes/index";
import { macInput, packIso, packWire, unpackIso, unpackWire } from "../iso8583/index";
import { HostCodec, HostMessage } from "./codec";

export const CUP_SPEC = "cup";
/** Default TPDU (to NII 003) and header (application 60, version 31) of UnionPay POS frames. */
export const DEFAULT_TPDU = "6000030000";
export const DEFAULT_HEADER = "603100000000";

/** A HostCodec for the cup spec with the given TPDU and header (hex). */
export function cupCodec(tpdu: string, header: string): HostCodec {
  const h = { tpdu: tpdu, header: header };
  return {
    packWire: (msg: HostMessage): Bytes => packWire(CUP_SPEC, msg, h),
    unpackWire: (frame: Bytes): HostMessage => unpackWire(CUP_SPEC, frame).msg,
    packBare: (msg: HostMessage): Bytes => packIso(CUP_SPEC, msg),
    unpackBare: (b: Bytes): HostMessage => unpackIso(CUP_SPEC, b, 0, len(b)),
    macInput: (msg: HostMessage): Bytes => macInput(CUP_SPEC, msg),
  };
}

export const CUP_CODEC: HostCodec = cupCodec(DEFAULT_TPDU, DEFAULT_HEADER);
