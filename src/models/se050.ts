// An NXP SE050 secure element on I2C (default address 0x48), speaking ISO/IEC 7816-3 T=1 as
// NXP UM11225 "NXP SE05x T=1 Over I2C Specification" profiles it, in front of the IoT applet
// (src/models/se050-applet.ts, NXP AN12413). Each I2C write from the host is one whole block;
// the SE answers one block, which the host reads in as many I2C reads as it likes (UM11225
// §3: NAD, PCB and LEN first, then INF and CRC). While it works, and when it has nothing to
// send, the SE does not acknowledge its address on a read (the host polls).
// Link behaviour modelled (UM11225 §2.1, ISO/IEC 7816-3 §11.6):
// - a block with a wrong NAD, LEN or CRC gets R(N(R), CRC error); the host resends;
// - I-blocks alternate N(S); chaining (M bit) in both directions, each chained block
//   acknowledged by R(N(R)); a repeated I-block (the host missed the answer) gets the last
//   block again; an I-block with the wrong N(S) after a reset gets R(other error);
// - an R-block from the host asking for the last block gets it again;
// - S(RESYNCH) resets both sequence numbers; S(WTX request, INF = multiplier) is sent before
//   an answer when the fault is set, and the answer follows the host's S(WTX response).
// Faults: corrupt answers (CRC), corrupt host frames (noise on the bus), lost host frames,
// WTX before the next answers, power cut after the next command arrives (persistent objects
// survive; transient values, selection and sequence numbers do not), absent (no ACK at all),
// an error status word for the next APDU.
import { Bytes, alloc, copy, get, len, set } from "../bytes/index";
import { SimBus } from "./sim-bus";
import { Se050Applet } from "./se050-applet";
import {
  BlockKind, NAD_HOST, NAD_SE, R_CRC_ERROR, R_OTHER_ERROR, S_RESYNCH, S_SOFT_RESET, S_WTX, T1_MAX_INF, T1_OVERHEAD,
  buildBlock, crc16x25, describe, pcbI, pcbR, pcbS,
} from "../parts/t1-i2c";
import { decodeCommand, encodeResponse } from "../parts/se050-apdu";
import { isPosrtError } from "../errors";

/** The SE050's default 7-bit I2C address. */
export const SE050_I2C_ADDRESS = 0x48;
/** Reads the SE leaves unacknowledged while it works on a block (its processing time). */
export const SE050_BUSY_READS = 2;
/** Most bytes of one APDU the model assembles from chained blocks. */
export const SE050_MAX_APDU = 1100;

export interface Se050ModelOptions {
  address?: number;
  /** Seed of the model's random generator (GetRandom). */
  seed?: number;
}

export class Se050Model {
  readonly applet: Se050Applet;
  private sim: SimBus;
  private address: number;
  private powered = true;
  private expectIn = 0;
  private seqOut = 0;
  /** The block waiting for the host's reads: `outLen` bytes of `out`, read up to `outAt`. */
  private out: Bytes = alloc(T1_MAX_INF + T1_OVERHEAD);
  private outLen = 0;
  private outAt = 0;
  private busy = 0;
  private last: Bytes = alloc(0);
  /** The command APDU assembled from chained blocks: `rxLen` bytes of `rx`. */
  private rx: Bytes = alloc(SE050_MAX_APDU);
  private rxLen = 0;
  private tx: Bytes = alloc(0);
  private txAt = 0;
  private afterWtx: Bytes | undefined = undefined;
  private faultCrc = 0;
  private faultNoise = 0;
  private faultLose = 0;
  private faultWtx = 0;
  private faultCut = false;
  private faultSw = 0;
  private faultSkip = 0;
  /** Blocks the SE received with a bad CRC / sent again / WTX requests sent / resyncs, for checks. */
  crcErrors = 0;
  resent = 0;
  wtxSent = 0;
  resyncs = 0;
  /** APDUs answered. */
  apdus = 0;

  constructor(sim: SimBus, o: Se050ModelOptions) {
    this.sim = sim;
    this.address = o.address === undefined ? SE050_I2C_ADDRESS : o.address;
    this.applet = new Se050Applet(o.seed === undefined ? 1 : o.seed);
    this.attach();
  }

  /** Fault: the CRC of the next `n` blocks the SE sends is wrong (resends included). */
  corruptAnswers(n: number): void {
    this.faultCrc = n;
  }

  /** Fault: noise flips a bit of the next `n` blocks the host writes. */
  corruptHostFrames(n: number): void {
    this.faultNoise = n;
  }

  /** Fault: the next `n` blocks the host writes are lost (acknowledged, never seen). */
  loseHostFrames(n: number): void {
    this.faultLose = n;
  }

  /** Fault: the next `n` answers to a command come after an S(WTX request). */
  waitTimeExtension(n: number): void {
    this.faultWtx = n;
  }

  /** Fault: power is lost right after the next complete command arrives (nothing executed). */
  cutPowerOnNextCommand(): void {
    this.faultCut = true;
  }

  /** Fault: the APDU after the next `skip` ones (0: the next) is answered with status word `sw` and no data. */
  failNextApdu(sw: number, skip?: number): void {
    this.faultSw = sw;
    this.faultSkip = skip === undefined ? 0 : skip;
  }

  /** Fault: a brown-out while idle: the SE restarts at once (sequence numbers 0, applet deselected). */
  brownOut(): void {
    this.coldReset();
  }

  /** Power comes back (after a cut): a cold start of link and applet. */
  powerOn(): void {
    this.powered = true;
  }

  /** The part is taken off the bus (absent): no acknowledge at all. */
  detach(): void {
    this.sim.detachI2c(this.address);
  }

  attach(): void {
    this.sim.attachI2c({ address: this.address, write: (d: Bytes, off: number, n: number) => this.write(d, off, n), read: (into: Bytes, off: number, n: number) => this.read(into, off, n) });
  }

  private coldReset(): void {
    this.expectIn = 0;
    this.seqOut = 0;
    this.outLen = 0;
    this.busy = 0;
    this.last = alloc(0);
    this.rxLen = 0;
    this.tx = alloc(0);
    this.afterWtx = undefined;
    this.applet.reset();
  }

  private read(into: Bytes, off: number, n: number): boolean {
    if (!this.powered) return false;
    if (this.busy > 0) {
      this.busy = this.busy - 1;
      return false;
    }
    if (this.outAt >= this.outLen) return false;
    for (let i = 0; i < n; i++) set(into, off + i, this.outAt + i < this.outLen ? get(this.out, this.outAt + i) : 0xff);
    this.outAt = this.outAt + n;
    return true;
  }

  /** One whole block from the host. */
  private write(d: Bytes, off: number, n: number): boolean {
    if (!this.powered) return false;
    if (this.faultLose > 0) {
      this.faultLose = this.faultLose - 1;
      return true;
    }
    const b = alloc(n);
    for (let i = 0; i < n; i++) set(b, i, get(d, off + i));
    if (this.faultNoise > 0 && n > 1) {
      this.faultNoise = this.faultNoise - 1;
      set(b, n - 1, get(b, n - 1) ^ 0x10);
    }
    this.outLen = 0;
    const l = n >= 3 ? get(b, 2) : 0;
    const crc = n === l + T1_OVERHEAD ? crc16x25(b, 0, l + 3) : -1;
    if (n < T1_OVERHEAD || get(b, 0) !== NAD_HOST || l > T1_MAX_INF || crc < 0 || (crc & 0xff) !== get(b, l + 3) || crc >>> 8 !== get(b, l + 4)) {
      this.crcErrors = this.crcErrors + 1;
      this.send(buildBlock(NAD_SE, pcbR(this.expectIn, R_CRC_ERROR), alloc(0)), false);
      return true;
    }
    const inf = alloc(l);
    for (let i = 0; i < l; i++) set(inf, i, get(b, 3 + i));
    const blk = describe(get(b, 0), get(b, 1), inf);
    const kind: BlockKind = blk.kind;
    if (kind === "I") this.iBlock(blk.seq, blk.more, inf);
    else if (kind === "R") this.rBlock(blk.seq, blk.error);
    else this.sBlock(blk.stype, blk.response, inf);
    return true;
  }

  private iBlock(seq: number, more: boolean, inf: Bytes): void {
    if (seq !== this.expectIn) {
      if (len(this.last) > 0) return this.again();
      return this.send(buildBlock(NAD_SE, pcbR(this.expectIn, R_OTHER_ERROR), alloc(0)), false);
    }
    this.expectIn = this.expectIn ^ 1;
    for (let i = 0; i < len(inf) && this.rxLen < SE050_MAX_APDU; i++) {
      set(this.rx, this.rxLen, get(inf, i));
      this.rxLen = this.rxLen + 1;
    }
    if (more) return this.send(buildBlock(NAD_SE, pcbR(this.expectIn, 0), alloc(0)), false);
    const apdu = alloc(this.rxLen);
    copy(this.rx, 0, apdu, 0, this.rxLen);
    this.rxLen = 0;
    if (this.faultCut) {
      this.faultCut = false;
      this.powered = false;
      this.coldReset();
      return;
    }
    this.tx = this.answer(apdu);
    this.txAt = 0;
    const first = this.nextChunk();
    if (this.faultWtx > 0) {
      this.faultWtx = this.faultWtx - 1;
      this.wtxSent = this.wtxSent + 1;
      this.afterWtx = first;
      return this.send(buildBlock(NAD_SE, pcbS(S_WTX, false), fromByte(1)), true);
    }
    this.send(first, true);
  }

  /** The response APDU to `apdu` (an injected status word, a malformed APDU's 6700, else the applet's). */
  private answer(apdu: Bytes): Bytes {
    this.apdus = this.apdus + 1;
    if (this.faultSw !== 0 && this.faultSkip > 0) this.faultSkip = this.faultSkip - 1;
    else if (this.faultSw !== 0) {
      const code = this.faultSw;
      this.faultSw = 0;
      return encodeResponse(alloc(0), code);
    }
    try {
      return this.applet.execute(decodeCommand(apdu));
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      return encodeResponse(alloc(0), 0x6700);
    }
  }

  /** The next I-block of the response in `tx` (chained when it does not fit one block). */
  private nextChunk(): Bytes {
    const rest = len(this.tx) - this.txAt;
    const n = rest > T1_MAX_INF ? T1_MAX_INF : rest;
    const inf = alloc(n);
    for (let i = 0; i < n; i++) set(inf, i, get(this.tx, this.txAt + i));
    this.txAt = this.txAt + n;
    const blk = buildBlock(NAD_SE, pcbI(this.seqOut, this.txAt < len(this.tx)), inf);
    this.seqOut = this.seqOut ^ 1;
    return blk;
  }

  private rBlock(seq: number, error: number): void {
    const chaining = this.txAt < len(this.tx);
    if (error === 0 && chaining && seq === this.seqOut) return this.send(this.nextChunk(), true);
    this.again();
  }

  private sBlock(stype: number, response: boolean, inf: Bytes): void {
    if (!response && (stype === S_RESYNCH || stype === S_SOFT_RESET)) {
      this.resyncs = this.resyncs + 1;
      this.expectIn = 0;
      this.seqOut = 0;
      this.rxLen = 0;
      this.tx = alloc(0);
      this.txAt = 0;
      this.afterWtx = undefined;
      return this.send(buildBlock(NAD_SE, pcbS(stype, true), alloc(0)), false);
    }
    if (response && stype === S_WTX && this.afterWtx !== undefined && len(inf) === 1) {
      const blk = this.afterWtx;
      this.afterWtx = undefined;
      return this.send(blk, true);
    }
    this.send(buildBlock(NAD_SE, pcbR(this.expectIn, R_OTHER_ERROR), alloc(0)), false);
  }

  /** The last block sent, once more (host asked, or repeated its I-block). */
  private again(): void {
    if (len(this.last) === 0) return this.send(buildBlock(NAD_SE, pcbR(this.expectIn, R_OTHER_ERROR), alloc(0)), false);
    this.resent = this.resent + 1;
    this.send(this.last, false);
  }

  /** Queues `blk` for the host's reads (after the busy time when `work`); may corrupt its CRC. */
  private send(blk: Bytes, work: boolean): void {
    this.last = blk;
    this.busy = work ? SE050_BUSY_READS : 0;
    const n = len(blk);
    copy(blk, 0, this.out, 0, n);
    this.outLen = n;
    this.outAt = 0;
    if (this.faultCrc > 0) {
      this.faultCrc = this.faultCrc - 1;
      set(this.out, n - 1, get(this.out, n - 1) ^ 0x01);
    }
  }
}

function fromByte(v: number): Bytes {
  const b = alloc(1);
  set(b, 0, v);
  return b;
}
