// TEST DOUBLE: a HostCodec that writes messages as ASCII text ("0200|3=000000|4=..."), framed
// like cup (2-byte length). It lets host/engine tests run without depending on the real
// ISO 8583 codec; the real one is wired in src/host/cup.ts.
import { Bytes, alloc, concat, fromAscii, len, readU16, toAscii, writeU16 } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { FIELD_KEYS, HostCodec, HostMessage } from "../../src/host/codec";

function bare(msg: HostMessage, withMac: boolean): Bytes {
  const parts = [msg.mti];
  for (const k of FIELD_KEYS) {
    if (k === "64" && !withMac) continue;
    const v = msg.fields[k];
    if (v !== undefined) parts.push(k + "=" + v);
  }
  return fromAscii(parts.join("|"), "text-codec");
}

function parse(b: Bytes, off: number, n: number): HostMessage {
  const text = toAscii(b, off, n, "text-codec");
  const parts = text.split("|");
  if (!/^\d{4}$/.test(parts[0])) fail("text-codec", "bad MTI");
  const fields: { [n: string]: string } = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf("=");
    if (eq < 1) fail("text-codec", "bad field \"" + p + "\"");
    fields[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return { mti: parts[0], fields };
}

export const textCodec: HostCodec = {
  packWire(msg) {
    const body = bare(msg, true);
    const head = alloc(2);
    writeU16(head, 0, len(body));
    return concat([head, body]);
  },
  unpackWire(frame) {
    if (len(frame) < 2 || readU16(frame, 0) !== len(frame) - 2) fail("text-codec", "length prefix does not match");
    return parse(frame, 2, len(frame) - 2);
  },
  packBare: (msg) => bare(msg, true),
  unpackBare: (b) => parse(b, 0, len(b)),
  macInput: (msg) => bare(msg, false),
};
