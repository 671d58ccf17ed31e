// One request in flight over the host link: packs it (with a MAC when keys are in use),
// then judges the reply. A reply is accepted only when its MTI is the request's plus 10 and
// its processing code, STAN, terminal ID and merchant ID match; a reply to a MAC'd request
// must carry a valid MAC. Anything else is "no valid reply" for the caller to act on.
import { Bytes, fromHex, toHex, len } from "../bytes/index";
import { errorText, fail } from "../errors";
import { SecurityModule } from "../../hal/security";
import { FrameReader } from "./frame";
import { HostCodec, HostMessage } from "./codec";

/** Verdicts on received bytes. */
export const RX_OK = 1;
/** Field 64 missing or wrong: reversal reason A0. */
export const RX_BAD_MAC = 2;
/** Unreadable, unexpected or not matching the request: reversal reason 06. */
export const RX_MISMATCH = 3;

export const MAC_FIELD = "64";
const MAC_PLACEHOLDER = "0000000000000000";
/** Fields a reply must echo unchanged (when the request has them). */
const ECHO_FIELDS = ["3", "11", "41", "42"];

export interface Verdict {
  k: number;
  msg?: HostMessage;
  why: string;
  /** The reply's message header (12 hex digits), when the codec reads headers. */
  hdr?: string;
}

/** The reply MTI for a request MTI: "0200" → "0210". */
export function replyMti(mti: string): string {
  if (mti.length !== 4) fail("host", "MTI must be 4 digits, got \"" + mti + "\"");
  const d = mti.charCodeAt(2) - 48;
  if (d < 0 || d > 8) fail("host", "MTI " + mti + " has no reply class");
  return mti.substring(0, 2) + String(d + 1) + mti.charAt(3);
}

/** Sets field 64 to the MAC of `msg` under the current working key. */
export function addMac(codec: HostCodec, sm: SecurityModule, msg: HostMessage): void {
  msg.fields[MAC_FIELD] = MAC_PLACEHOLDER;
  msg.fields[MAC_FIELD] = toHex(sm.mac(codec.macInput(msg)));
}

/** True when `msg` carries field 64 and it verifies. */
export function macValid(codec: HostCodec, sm: SecurityModule, msg: HostMessage): boolean {
  const m = msg.fields[MAC_FIELD];
  if (m === undefined || m.length !== 16) return false;
  try {
    return sm.verifyMac(codec.macInput(msg), fromHex(m));
  } catch (e) {
    return false;
  }
}

/** "" when `reply` answers `req`, else what differs. */
export function mismatch(req: HostMessage, reply: HostMessage): string {
  if (reply.mti !== replyMti(req.mti)) return "MTI " + reply.mti + " does not answer " + req.mti;
  for (let i = 0; i < ECHO_FIELDS.length; i++) {
    const f = ECHO_FIELDS[i];
    const want = req.fields[f];
    if (want !== undefined && reply.fields[f] !== want) return "field " + f + " \"" + String(reply.fields[f]) + "\" does not match \"" + want + "\"";
  }
  return "";
}

export class Exchange {
  private codec: HostCodec;
  private sm: SecurityModule;
  private reader: FrameReader;
  private req: HostMessage | undefined;
  private macOn: boolean;

  constructor(codec: HostCodec, sm: SecurityModule) {
    this.codec = codec;
    this.sm = sm;
    this.reader = new FrameReader();
    this.req = undefined;
    this.macOn = false;
  }

  inFlight(): boolean {
    return this.req !== undefined;
  }

  /** Packs `req` for the wire (adding its MAC when `withMac`) and makes it the one in flight. */
  send(req: HostMessage, withMac: boolean): Bytes {
    if (this.req !== undefined) fail("host", "a request is already in flight");
    if (withMac) addMac(this.codec, this.sm, req);
    const wire = this.codec.packWire(req);
    this.req = req;
    this.macOn = withMac;
    this.reader.reset();
    return wire;
  }

  /** Ends the exchange (reply judged, or timed out). */
  clear(): void {
    this.req = undefined;
    this.reader.reset();
  }

  /** Judges received bytes: undefined while a frame is incomplete or nothing is in flight. */
  receive(data: Bytes): Verdict | undefined {
    const req = this.req;
    if (req === undefined) return undefined;
    const got = this.reader.push(data);
    if (got.error !== "") return { k: RX_MISMATCH, why: got.error };
    if (got.frames.length === 0) return undefined;
    if (got.frames.length > 1) return { k: RX_MISMATCH, why: got.frames.length + " frames for one request" };
    return this.judge(req, got.frames[0]);
  }

  private judge(req: HostMessage, frame: Bytes): Verdict {
    let reply: HostMessage;
    try {
      reply = this.codec.unpackWire(frame);
    } catch (e) {
      return { k: RX_MISMATCH, why: "unreadable reply (" + len(frame) + " bytes): " + errorText(e) };
    }
    const diff = mismatch(req, reply);
    if (diff !== "") return { k: RX_MISMATCH, msg: reply, why: diff };
    if (this.macOn && !macValid(this.codec, this.sm, reply)) return { k: RX_BAD_MAC, msg: reply, why: "reply MAC missing or wrong" };
    const hdr = this.codec.headerOf === undefined ? undefined : this.codec.headerOf(frame);
    return { k: RX_OK, msg: reply, why: "", hdr: hdr };
  }
}
