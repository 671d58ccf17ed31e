// Reassembles `cup` frames (2-byte big-endian length, then that many bytes) from partial
// reads, in one buffer allocated at start-up. A length beyond the bound is reported, not
// waited for, so a corrupted length cannot stall the terminal until the timeout.
import { Bytes, alloc, copy, len, readU16, slice } from "../bytes/index";

/** Longest frame body (TPDU + header + message) accepted, in bytes. */
export const MAX_FRAME_BYTES = 2048;
/** Most frames returned from one push (a bound on the extraction loop). */
export const MAX_FRAMES_PER_PUSH = 8;

export interface PushResult {
  /** Complete frames, each with its 2-byte length prefix. */
  frames: Bytes[];
  /** "" or why the stream is unusable (the reader was reset). */
  error: string;
}

export class FrameReader {
  private buf: Bytes;
  private used: number;

  constructor() {
    this.buf = alloc(MAX_FRAME_BYTES + 2);
    this.used = 0;
  }

  /** Drops any partial frame (a new request starts a new exchange). */
  reset(): void {
    this.used = 0;
  }

  /** Bytes held of an incomplete frame. */
  pending(): number {
    return this.used;
  }

  /** Adds received bytes; returns the frames they complete. */
  push(data: Bytes): PushResult {
    const out: PushResult = { frames: [], error: "" };
    const n = len(data);
    let at = 0;
    let rounds = 0;
    while (at < n && out.error === "" && rounds <= MAX_FRAMES_PER_PUSH) {
      rounds++;
      const room = MAX_FRAME_BYTES + 2 - this.used;
      const take = n - at < room ? n - at : room;
      copy(data, at, this.buf, this.used, take);
      this.used += take;
      at += take;
      this.extract(out);
    }
    if (at < n && out.error === "") {
      out.error = "more than " + MAX_FRAMES_PER_PUSH + " frames in one read";
      this.used = 0;
    }
    return out;
  }

  private extract(out: PushResult): void {
    let k = 0;
    while (this.used >= 2 && k < MAX_FRAMES_PER_PUSH) {
      k++;
      const body = readU16(this.buf, 0);
      if (body > MAX_FRAME_BYTES || body === 0) {
        out.error = "frame length " + body + " outside 1.." + MAX_FRAME_BYTES;
        this.used = 0;
        return;
      }
      if (this.used < body + 2) return;
      if (out.frames.length >= MAX_FRAMES_PER_PUSH) {
        out.error = "more than " + MAX_FRAMES_PER_PUSH + " frames in one read";
        this.used = 0;
        return;
      }
      out.frames.push(slice(this.buf, 0, body + 2));
      copy(this.buf, body + 2, this.buf, 0, this.used - body - 2);
      this.used -= body + 2;
    }
  }
}
