// What may be written to a file about a wire frame or a card: the PAN masked (first 6, last 4),
// track data, PIN block, ICC data and keys left out. Used for `posrt sim --trace` files and the
// acquirer's wire log; nothing written through here holds a clear PAN, track, PIN block or key.
import { Bytes } from "../../src/bytes/index";
import { IsoFields, unpackWire } from "../../src/iso8583/index";
import { maskPan } from "../../src/card/pan";
import { SPEC } from "./wire";

/** Fields left out of a redacted frame, with what they held. */
const LEFT_OUT: { [field: string]: string } = {
  "35": "track 2", "36": "track 3", "45": "track 1", "52": "PIN block", "53": "security control", "55": "ICC data",
  "62": "working keys", "26": "PIN capture", "63": "private data",
};

/** A PAN masked for display; "(masked)" when it is not a plausible PAN. */
export function safePan(pan: string): string {
  try {
    return maskPan(pan);
  } catch {
    return "(masked)";
  }
}

/** A frame as it may be logged: MTI and fields, the PAN masked, sensitive fields left out; unparseable bytes only by length. */
export function redactFrame(frame: Uint8Array): { mti: string; f: IsoFields } | { bytes: number; unparsed: true } {
  let msg;
  try {
    msg = unpackWire(SPEC, frame as unknown as Bytes).msg;
  } catch {
    return { bytes: frame.length, unparsed: true };
  }
  const f: IsoFields = {};
  for (const k of Object.keys(msg.fields)) {
    if (k === "2") f[k] = safePan(msg.fields[k]);
    else if (LEFT_OUT[k] !== undefined) f[k] = "(" + LEFT_OUT[k] + " left out)";
    else f[k] = msg.fields[k];
  }
  return { mti: msg.mti, f };
}

export interface CardLike {
  pan: string;
  expiry: string;
  track2: string;
  pinBlock: string;
  chip: boolean;
  icc: string;
}

/** A card as it may be logged: PAN masked, track, PIN block and ICC data only said to be present. */
export function redactCard(c: CardLike): { pan: string; chip: boolean; track2: boolean; pinBlock: boolean; icc: boolean } {
  return { pan: safePan(c.pan), chip: c.chip, track2: c.track2 !== "", pinBlock: c.pinBlock !== "", icc: c.icc !== "" };
}
