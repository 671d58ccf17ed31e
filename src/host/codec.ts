// What the host link needs from an ISO 8583 codec: the message shape and pack/unpack of the
// `cup` wire format. The real codec (src/iso8583) is adapted to this in ./cup.ts; tests may
// pass their own. Keeping the engine on this interface keeps it free of codec details.
import { Bytes } from "../bytes/types";

/** An ISO 8583 message: n fields as digit strings, an/ans as text, b fields as upper-case hex. */
export interface HostMessage {
  mti: string;
  fields: { [n: string]: string };
}

export interface HostCodec {
  /** The whole wire frame: 2-byte length, TPDU, header, message. */
  packWire(this: void, msg: HostMessage): Bytes;
  /** Decodes one whole wire frame (length prefix included); malformed input is a PosrtError. */
  unpackWire(this: void, frame: Bytes): HostMessage;
  /** The bare message (no length, TPDU or header), e.g. for a reversal record. */
  packBare(this: void, msg: HostMessage): Bytes;
  unpackBare(this: void, b: Bytes): HostMessage;
  /** The bytes the MAC (field 64) is computed over. */
  macInput(this: void, msg: HostMessage): Bytes;
  /** The frame's 6-byte message header as 12 hex digits (its 6th digit is the host's processing requirement), when the codec has one. */
  headerOf?: (this: void, frame: Bytes) => string;
}

/** A copy of a message (fields copied one level: they are strings). */
export function cloneMessage(m: HostMessage, keys: string[]): HostMessage {
  const f: { [n: string]: string } = {};
  for (let i = 0; i < keys.length; i++) {
    const v = m.fields[keys[i]];
    if (v !== undefined) f[keys[i]] = v;
  }
  return { mti: m.mti, fields: f };
}

/** First and last field number a host message carries (primary bitmap). */
export const FIRST_FIELD = 2;
export const LAST_FIELD = 64;

/** The key of field `no` (2..64) from its digits (never a float's text in Lua). */
function keyOf(no: number): string {
  return no < 10 ? String.fromCharCode(48 + no) : String.fromCharCode(48 + Math.floor(no / 10), 48 + (no % 10));
}

/**
 * The keys ("2".."64", in order) of the fields `m` holds, except those in `drop`: the explicit
 * key list for copying. Built per call from the numbers (no table of 63 strings kept in RAM:
 * on Espruino that alone was ~130 variables for as long as the board runs).
 */
export function presentKeys(m: HostMessage, drop: string[]): string[] {
  const out: string[] = [];
  for (let no = FIRST_FIELD; no <= LAST_FIELD; no++) {
    const k = keyOf(no);
    if (m.fields[k] !== undefined && drop.indexOf(k) < 0) out.push(k);
  }
  return out;
}
