// Magnetic-stripe driver for a TTL clock/data head on GPIO: every falling edge of /STROBE
// samples /DATA (a 1 bit is low), bits collect while /CLS (card present) is low, and when it
// rises the bits are decoded as ISO/IEC 7811-2 track 2 in either swipe direction
// (src/parts/iso7811.ts). A bad read (parity, LRC, no sentinel) is a swipe with ok false.
// Allocation: one bit buffer (a byte per bit), made at open. The track is handed on and not kept.
import { Bus, Digital } from "../bus";
import { SwipeEvent } from "../card-reader";
import { MAX_TRACK2_BITS, decodeTrack2Bits } from "../../src/parts/iso7811";
import { Bytes, alloc, get, set } from "../../src/bytes/index";
import { isPosrtError } from "../../src/errors";

/** Reads with fewer bits than this are noise (a touch of the head), not swipes. */
export const MIN_SWIPE_BITS = 40;

export interface MagStripeOptions {
  bus: Bus;
  clock_pin: number;
  data_pin: number;
  present_pin: number;
  /** The board pulls the head's lines up (ESP32 GPIO 34..39 have no internal pull-ups). */
  external_pullups: boolean;
  onSwipe: (this: void, e: SwipeEvent) => void;
}

export class MagStripeReader {
  /** One byte per bit read (0/1), allocated once: an array of strings costs ~2 JsVars a bit. */
  private bits: Bytes = alloc(MAX_TRACK2_BITS);
  private n = 0;
  private enabled = false;
  private clock: Digital;
  private present: Digital;
  private data: Digital;
  private onSwipe: (this: void, e: SwipeEvent) => void;
  /** Reads thrown away as too short, and bits dropped past the buffer (for checks). */
  noise = 0;

  constructor(o: MagStripeOptions) {
    this.onSwipe = o.onSwipe;
    const mode = o.external_pullups ? "input" : "input-pullup";
    this.data = o.bus.digital({ pin: o.data_pin, mode: mode });
    this.clock = o.bus.digital({
      pin: o.clock_pin, mode: mode, edge: "falling", data_pin: o.data_pin,
      onEdge: (level: number, data: number) => {
        if (this.enabled && this.n < MAX_TRACK2_BITS) {
          set(this.bits, this.n, data === 0 ? 1 : 0);
          this.n = this.n + 1;
        }
      },
    });
    this.present = o.bus.digital({
      pin: o.present_pin, mode: mode, edge: "both",
      onEdge: (level: number) => {
        if (level === 0) this.n = 0;
        else this.finish();
      },
    });
  }

  enable(on: boolean): void {
    this.enabled = on;
    this.n = 0;
  }

  close(): void {
    this.enabled = false;
    this.clock.close();
    this.present.close();
    this.data.close();
  }

  private finish(): void {
    if (!this.enabled) return;
    const parts: string[] = [];
    for (let i = 0; i < this.n; i++) parts.push(get(this.bits, i) === 1 ? "1" : "0");
    const raw = parts.join("");
    this.n = 0;
    if (raw.length < MIN_SWIPE_BITS) {
      this.noise = this.noise + 1;
      return;
    }
    let track = "";
    try {
      track = decodeTrack2Bits(raw);
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      track = "";
    }
    this.onSwipe({ kind: "swipe", ok: track.length > 0, track2: track });
  }
}
