// The host side of T=1 over I2C to an NXP SE050 (NXP UM11225; blocks in src/parts/t1-i2c.ts).
// Synchronous, because the SecurityModule HAL is: each block is one I2C write, the answer is
// polled with I2C reads (the SE does not acknowledge its address while it works) — first NAD,
// PCB and LEN, then INF and CRC. Recovery (ISO/IEC 7816-3 §11.6.3 as UM11225 keeps it):
// - an answer with a bad NAD, LEN or CRC: R(N(R), CRC error), the SE sends it again;
// - no answer within the poll bound: the block is written again (a lost block; the SE answers a
//   repeated I-block with its last answer);
// - S(WTX request): S(WTX response) with the same INF, then keep polling;
// - R-block asking for our block again: write it again;
// - R(other error) to a new I-block (the SE was reset and expects N(S) 0): S(RESYNCH) and
//   the APDU again from the start (every APDU the SecurityModule sends may be repeated: key
//   writes overwrite, the rest only compute).
// After LINK_RETRIES failures the exchange fails with one line naming what went wrong; the
// next exchange starts with S(RESYNCH). One I2C buffer, made at open.
import { Bus, I2c } from "../bus";
import { Bytes, alloc, get, len, set } from "../../src/bytes/index";
import { fail, isPosrtError } from "../../src/errors";
import {
  NAD_HOST, NAD_SE, R_CRC_ERROR, R_OTHER_ERROR, S_RESYNCH, S_WTX, T1Block, T1_MAX_INF, T1_OVERHEAD, buildBlock, parseBlock,
  pcbI, pcbR, pcbS,
} from "../../src/parts/t1-i2c";

/** I2C reads tried before an answer counts as lost (each is an address phase the SE refuses). */
export const MAX_READ_POLLS = 2000;
/** Wall-clock bound on one answer (block waiting time), where the platform's clock moves. */
export const BLOCK_WAIT_MS = 1500;
/** Resends / R-blocks / resyncs of one block before the exchange fails. */
export const LINK_RETRIES = 3;
/** Most WTX requests honoured for one block. */
export const MAX_WTX = 20;
/** Most response blocks of one chained answer. */
export const MAX_CHAIN_BLOCKS = 8;
/** I2C clock (the SE050 takes Fast mode Plus; 400 kHz is what every board does). */
export const SE050_I2C_HZ = 400000;

type Answer = { ok: boolean; timeout: boolean; why: string; blk?: T1Block };

export class Se050Link {
  private bus: Bus;
  private i2c: I2c;
  private buf: Bytes;
  private seq = 0;
  private seSeq = 0;
  private synced = false;
  /** Link events since open (for checks and the boot banner). */
  crcRetries = 0;
  resends = 0;
  wtx = 0;
  resyncs = 0;

  constructor(bus: Bus, address: number) {
    this.bus = bus;
    this.i2c = bus.i2c({ address: address, hz: SE050_I2C_HZ });
    this.buf = alloc(T1_MAX_INF + T1_OVERHEAD);
  }

  /**
   * True when an SE answers S(RESYNCH) on this address (also resets the sequence numbers). No
   * answer is no exception: on the real Espruino interpreter the throw this probe used to catch
   * ran out of memory (docs/security-module.md, "Not done").
   */
  probe(): boolean {
    return this.sync() === "";
  }

  /** S(RESYNCH request) until S(RESYNCH response): both sides start again at N(S) 0. */
  resync(): void {
    const why = this.sync();
    if (why !== "") fail("se050", "no answer to S(RESYNCH): " + why);
  }

  /** resync without throwing: "" when synchronised, else why not. */
  private sync(): string {
    this.resyncs = this.resyncs + 1;
    const req = buildBlock(NAD_HOST, pcbS(S_RESYNCH, false), alloc(0));
    let why = "";
    for (let t = 0; t <= LINK_RETRIES; t++) {
      if (!this.i2c.write(req, 0, len(req))) {
        why = "no acknowledge on I2C";
        continue;
      }
      const a = this.receive();
      if (a.ok && a.blk !== undefined && a.blk.kind === "S" && a.blk.response && a.blk.stype === S_RESYNCH) {
        this.seq = 0;
        this.seSeq = 0;
        this.synced = true;
        return "";
      }
      why = a.why;
    }
    this.synced = false;
    return why;
  }

  /** Sends a command APDU and returns the response APDU (data and SW); PosrtError on link failure. */
  transceive(apdu: Bytes): Bytes {
    for (let round = 0; round < 2; round++) {
      if (!this.synced) this.resync();
      const r = this.exchange(apdu);
      if (r !== undefined) return r;
      this.synced = false;
    }
    return fail("se050", "the SE050 lost the block sequence twice");
  }

  /** One APDU; undefined when the SE asks for a resync (it was reset). */
  private exchange(apdu: Bytes): Bytes | undefined {
    const n = len(apdu);
    let at = 0;
    let a: Answer = { ok: false, timeout: false, why: "" };
    while (at < n) {
      const k = n - at > T1_MAX_INF ? T1_MAX_INF : n - at;
      const more = at + k < n;
      const inf = alloc(k);
      for (let i = 0; i < k; i++) set(inf, i, get(apdu, at + i));
      const blk = buildBlock(NAD_HOST, pcbI(this.seq, more), inf);
      a = this.send(blk, this.seq);
      const got = a.blk as T1Block;
      if (got.kind === "R" && got.error === R_OTHER_ERROR) return undefined;
      this.seq = this.seq ^ 1;
      at = at + k;
      if (more && !(got.kind === "R" && got.seq === this.seq)) this.failLink("no acknowledge of a chained block");
      if (!more) break;
    }
    return this.collect(a.blk as T1Block);
  }

  /** The response APDU from the first answer block on, acknowledging chained blocks. */
  private collect(first: T1Block): Bytes {
    let blk = first;
    const parts: Bytes[] = [];
    let total = 0;
    for (let c = 0; c < MAX_CHAIN_BLOCKS; c++) {
      if (blk.kind !== "I") this.failLink("expected an I-block, got an " + blk.kind + "-block (PCB 0x" + hex2(blk.pcb) + ")");
      if (blk.seq !== this.seSeq) this.failLink("answer with N(S) " + blk.seq + ", expected " + this.seSeq);
      this.seSeq = this.seSeq ^ 1;
      parts.push(blk.inf);
      total = total + len(blk.inf);
      if (!blk.more) return join(parts, total);
      const ack = buildBlock(NAD_HOST, pcbR(this.seSeq, 0), alloc(0));
      blk = this.send(ack, -1).blk as T1Block;
    }
    return this.failLink("answer chained over more than " + MAX_CHAIN_BLOCKS + " blocks");
  }

  /**
   * Writes `blk` (an I-block with N(S) `mine`, else -1) and returns the SE's answer, recovering
   * as the top of this file says.
   */
  private send(blk: Bytes, mine: number): Answer {
    let tries = 0;
    let wtx = 0;
    let write = true;
    let why = "";
    for (;;) {
      if (write && !this.i2c.write(blk, 0, len(blk))) {
        why = "no acknowledge on I2C";
        if (tries >= LINK_RETRIES) return this.failLink(why);
        tries = tries + 1;
        continue;
      }
      write = false;
      const a = this.receive();
      if (a.ok && a.blk !== undefined) {
        const b = a.blk;
        if (b.kind === "S" && !b.response && b.stype === S_WTX && wtx < MAX_WTX) {
          wtx = wtx + 1;
          this.wtx = this.wtx + 1;
          const resp = buildBlock(NAD_HOST, pcbS(S_WTX, true), b.inf);
          if (!this.i2c.write(resp, 0, len(resp))) return this.failLink("no acknowledge on I2C");
          continue;
        }
        if (b.kind === "R" && b.error === R_CRC_ERROR) why = "the SE050 saw a bad CRC";
        else if (b.kind === "R" && b.error === 0 && mine >= 0 && b.seq === mine) why = "the SE050 asked for the block again";
        else return a;
      } else why = a.why;
      if (tries >= LINK_RETRIES) return this.failLink(why);
      tries = tries + 1;
      if (a.timeout || (a.ok && a.blk !== undefined)) {
        this.resends = this.resends + 1;
        write = true;
      } else {
        this.crcRetries = this.crcRetries + 1;
        const nack = buildBlock(NAD_HOST, pcbR(this.seSeq, R_CRC_ERROR), alloc(0));
        if (!this.i2c.write(nack, 0, len(nack))) return this.failLink("no acknowledge on I2C");
      }
    }
  }

  /** Polls for an answer block: header first, then the rest. */
  private receive(): Answer {
    const since = this.bus.now_ms();
    let polls = 0;
    while (!this.i2c.read(this.buf, 0, 3)) {
      polls = polls + 1;
      if (polls >= MAX_READ_POLLS || this.bus.now_ms() - since > BLOCK_WAIT_MS) return { ok: false, timeout: true, why: "no answer after " + polls + " polls" };
    }
    const l = get(this.buf, 2);
    if (get(this.buf, 0) !== NAD_SE) return { ok: false, timeout: false, why: "NAD 0x" + hex2(get(this.buf, 0)) + " is not the SE's" };
    if (l > T1_MAX_INF) return { ok: false, timeout: false, why: "LEN " + l + " too long" };
    if (!this.i2c.read(this.buf, 3, l + 2)) return { ok: false, timeout: false, why: "answer cut after its header" };
    const whole = alloc(l + T1_OVERHEAD);
    for (let i = 0; i < l + T1_OVERHEAD; i++) set(whole, i, get(this.buf, i));
    let blk: T1Block | undefined = undefined;
    let why = "";
    try {
      blk = parseBlock(whole);
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      why = (e as Error).message;
    }
    if (blk === undefined) return { ok: false, timeout: false, why: why };
    return { ok: true, timeout: false, why: "", blk: blk };
  }

  private failLink(why: string): never {
    this.synced = false;
    return fail("se050", why);
  }

  close(): void {
    this.i2c.close();
  }
}

function join(parts: Bytes[], total: number): Bytes {
  const out = alloc(total);
  let at = 0;
  for (let p = 0; p < parts.length; p++) {
    for (let i = 0; i < len(parts[p]); i++) set(out, at + i, get(parts[p], i));
    at = at + len(parts[p]);
  }
  return out;
}

function hex2(v: number): string {
  const d = "0123456789ABCDEF";
  return d.charAt((v >>> 4) & 15) + d.charAt(v & 15);
}
