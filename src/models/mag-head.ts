// A magnetic-stripe read head with TTL clock/data outputs (the common three-wire "TTL" heads:
// /CLS card present, /STROBE clock, /DATA, all active low), reading ISO/IEC 7811-2 track 2:
// clocking zeros, start sentinel ";", 5-bit characters (4 data bits LSB first + odd parity),
// end sentinel "?", LRC, clocking zeros. Data is valid on the falling edge of the clock;
// a 1 bit is /DATA low. A backwards swipe delivers the bits in reverse order; damaged reads
// flip a bit or stop early. The encoder here is written from the standard, not shared with
// the driver's decoder (src/parts/iso7811.ts).
import { fail } from "../errors";
import { SimBus } from "./sim-bus";

/** Clocking zeros before the start sentinel and after the LRC (ISO 7811-2 asks for some). */
export const CLOCKING_ZEROS = 24;
/** Most characters on track 2 (40, sentinels and LRC included). */
export const HEAD_MAX_CHARS = 40;

const TRACK2_SET = "0123456789:;<=>?";

export interface MagHeadOptions {
  clock_pin: number;
  data_pin: number;
  present_pin: number;
}

export interface SwipeOptions {
  /** Card pulled through backwards: bits arrive in reverse order. */
  reverse?: boolean;
  /** Bit positions (in the order read) that come out inverted: a damaged stripe. */
  flip_bits?: number[];
  /** Bits per millisecond (75 bpi at 20 inch/s is 1.5; default 2). */
  bits_per_ms?: number;
  /** Only the first `cut_bits` bits are read (card pulled out half way). */
  cut_bits?: number;
}

function char5(v: number): string {
  const parts: string[] = [];
  let ones = 0;
  for (let k = 0; k < 4; k++) {
    const bit = (v >>> k) & 1;
    ones = ones + bit;
    parts.push(bit === 1 ? "1" : "0");
  }
  parts.push(ones % 2 === 0 ? "1" : "0");
  return parts.join("");
}

/** The bit string a forward swipe of `data` (track 2 text without sentinels) gives. */
export function encodeTrack2Bits(data: string): string {
  if (data.length + 3 > HEAD_MAX_CHARS) fail("mag-head", "track 2 holds at most " + (HEAD_MAX_CHARS - 3) + " data characters");
  const parts: string[] = [];
  for (let i = 0; i < CLOCKING_ZEROS; i++) parts.push("0");
  let lrc = 0x0b;
  parts.push(char5(0x0b));
  for (let i = 0; i < data.length; i++) {
    const v = TRACK2_SET.indexOf(data.charAt(i));
    if (v < 0 || v === 0x0b || v === 0x0f) fail("mag-head", "\"" + data.charAt(i) + "\" is not a track 2 data character");
    lrc = lrc ^ v;
    parts.push(char5(v));
  }
  lrc = lrc ^ 0x0f;
  parts.push(char5(0x0f));
  parts.push(char5(lrc));
  for (let i = 0; i < CLOCKING_ZEROS; i++) parts.push("0");
  return parts.join("");
}

/** The bits as the head delivers them for one swipe (direction, damage, early stop applied). */
export function swipeBits(data: string, o: SwipeOptions): string {
  const fwd = encodeTrack2Bits(data);
  const parts: string[] = [];
  for (let i = 0; i < fwd.length; i++) parts.push(o.reverse === true ? fwd.charAt(fwd.length - 1 - i) : fwd.charAt(i));
  if (o.flip_bits !== undefined) {
    for (let k = 0; k < o.flip_bits.length; k++) {
      const at = o.flip_bits[k];
      if (at >= 0 && at < parts.length) parts[at] = parts[at] === "1" ? "0" : "1";
    }
  }
  const s = parts.join("");
  return o.cut_bits !== undefined && o.cut_bits < s.length ? s.substring(0, o.cut_bits) : s;
}

export class MagHeadModel {
  private sim: SimBus;
  private o: MagHeadOptions;
  private busy = false;

  constructor(sim: SimBus, o: MagHeadOptions) {
    this.sim = sim;
    this.o = o;
    sim.drive(o.clock_pin, 1);
    sim.drive(o.data_pin, 1);
    sim.drive(o.present_pin, 1);
  }

  /** Starts a swipe now; the bits go out on the virtual clock, then /CLS goes high again. */
  swipe(data: string, o: SwipeOptions): void {
    if (this.busy) fail("mag-head", "a swipe is already running");
    const bits = swipeBits(data, o);
    const per = o.bits_per_ms === undefined ? 2 : o.bits_per_ms;
    if (per < 1) fail("mag-head", "bits_per_ms must be at least 1");
    this.busy = true;
    this.sim.drive(this.o.present_pin, 0);
    let at = 0;
    let id = 0;
    id = this.sim.bus.timer({
      delay_ms: 1,
      interval_ms: 1,
      onFire: () => {
        for (let k = 0; k < per && at < bits.length; k++) {
          this.sim.drive(this.o.data_pin, bits.charCodeAt(at) === 49 ? 0 : 1);
          this.sim.drive(this.o.clock_pin, 0);
          this.sim.drive(this.o.clock_pin, 1);
          at = at + 1;
        }
        if (at >= bits.length) {
          this.sim.bus.cancel(id);
          this.sim.drive(this.o.data_pin, 1);
          this.sim.drive(this.o.present_pin, 1);
          this.busy = false;
        }
      },
    });
  }
}
