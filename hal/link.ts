// Link HAL: the byte stream to the acquirer (TCP, serial modem, GPRS...). ECMA-419 shape:
// open with one options object, write/read with caller-owned buffers, close; the device
// calls back when bytes arrive, when it can take more, and on errors.
import { Bytes } from "../src/bytes/types";

/** Why a link failed; the transaction engine maps every one to "no reply" (reversal rules). */
export type LinkError = "refused" | "timeout" | "closed" | "io";

export interface LinkOptions {
  /** Acquirer address as the platform understands it ("host:port", "/dev/ttyS1", an APN...). */
  address: string;
  /** Give up connecting after this long; onError("timeout"). */
  connect_timeout_ms: number;
  /** Connected and writable. */
  onOpen: (this: void) => void;
  /** `count` bytes (at least) can be read now. */
  onReadable: (this: void, count: number) => void;
  /** The device can take `count` more bytes (after a write that was only partly accepted). */
  onWritable?: (this: void, count: number) => void;
  /** The link is unusable; no callback follows except a final onClose. */
  onError: (this: void, error: LinkError, detail: string) => void;
  /** The link closed (by either side). */
  onClose?: (this: void) => void;
}

export interface Link {
  /** Queues `data[off .. off+n)`; returns how many bytes were accepted (the rest waits for onWritable). */
  write(data: Bytes, off: number, n: number): number;
  /** Copies up to `max` received bytes into `into` at `off`; returns how many were copied. */
  read(into: Bytes, off: number, max: number): number;
  /** Closes the link; safe to call twice. */
  close(): void;
}

/** What a platform folder exports to open a link. */
export type OpenLink = (this: void, options: LinkOptions) => Link;
