// NXP SE050 secure element driver: the IoT applet's commands the SecurityModule needs (NXP
// AN12413; encoding in src/parts/se050-apdu.ts) over T=1 over I2C (hal/drivers/se050-link.ts).
// Synchronous like the SecurityModule HAL. Every command checks its status word: anything but
// 9000 is a PosrtError "se050: <command>: SW 6985 (conditions not satisfied …)". After a link
// failure the next command resynchronises and selects the applet again (a power cycle of the
// SE deselects it).
import { Bus } from "../bus";
import { Bytes, alloc, fromHex, get, len, set } from "../../src/bytes/index";
import { fail } from "../../src/errors";
import { Se050Link } from "./se050-link";
import {
  APPLET_AID_HEX, CLA_NO_SM, CommandApdu, INS_CRYPTO, INS_MGMT, INS_TRANSIENT, INS_WRITE, P1_CIPHER, P1_DEFAULT, P1_DES, P1_MAC,
  P2_DECRYPT_ONESHOT, P2_DEFAULT, P2_DELETE_OBJECT, P2_ENCRYPT_ONESHOT, P2_EXIST, P2_GENERATE_ONESHOT, P2_RANDOM,
  P2_VALIDATE_ONESHOT, RESULT_SUCCESS, SW_CLA_NOT_SUPPORTED, SW_OK, TAG_1, TAG_2, TAG_3, TAG_4, TAG_5, Tlv, decodeTlvs,
  encodeCommand, encodeTlvs, findTlv, objectId, swHex, swText,
} from "../../src/parts/se050-apdu";

/** The SE050's default 7-bit I2C address. */
export const SE050_ADDRESS = 0x48;
/** Largest input of one CipherOneShot or MACOneShot here (one APDU; longer inputs are refused). */
export const MAX_ONESHOT_BYTES = 960;

export interface Se050Options {
  /** 7-bit I2C address (0x48 by default). */
  address?: number;
}

export class Se050 {
  readonly link: Se050Link;
  private selected = false;
  /** APDUs sent since open (for checks and benches). */
  apdus = 0;

  constructor(bus: Bus, o: Se050Options) {
    this.link = new Se050Link(bus, o.address === undefined ? SE050_ADDRESS : o.address);
  }

  /** True when an SE050 answers on the bus and its applet can be selected. */
  probe(): boolean {
    if (!this.link.probe()) return false;
    this.select();
    return true;
  }

  /** Writes (or overwrites) DES key object `id` (8, 16 or 24 bytes); `transient`: value kept in the SE's RAM only. */
  writeDesKey(id: number, key: Bytes, transient: boolean): void {
    const n = len(key);
    if (n !== 8 && n !== 16 && n !== 24) fail("se050", "a DES key is 8, 16 or 24 bytes, got " + n);
    this.run("WriteSymmKey", INS_WRITE | (transient ? INS_TRANSIENT : 0), P1_DES, P2_DEFAULT, [tlv(TAG_1, objectId(id)), tlv(TAG_3, key)], false);
  }

  /** CipherOneShot: DES/3DES of whole blocks under key object `id` in `mode` (CIPHER_DES_…), with `iv` for CBC. */
  cipher(id: number, mode: number, decrypt: boolean, data: Bytes, iv?: Bytes): Bytes {
    checkInput(data, "CipherOneShot");
    const t = [tlv(TAG_1, objectId(id)), tlv(TAG_2, byte(mode)), tlv(TAG_3, data)];
    if (iv !== undefined) t.push(tlv(TAG_4, iv));
    return this.value(this.run("CipherOneShot", INS_CRYPTO, P1_CIPHER, decrypt ? P2_DECRYPT_ONESHOT : P2_ENCRYPT_ONESHOT, t, true), "CipherOneShot");
  }

  /** MACOneShot generate: the MAC of `data` under key object `id` with MACAlgo `algo`. */
  macGenerate(id: number, algo: number, data: Bytes): Bytes {
    checkInput(data, "MACOneShot");
    const t = [tlv(TAG_1, objectId(id)), tlv(TAG_2, byte(algo)), tlv(TAG_3, data)];
    return this.value(this.run("MACOneShot", INS_CRYPTO, P1_MAC, P2_GENERATE_ONESHOT, t, true), "MACOneShot");
  }

  /** MACOneShot validate: true when `mac` is the MAC of `data` (the comparison happens in the SE). */
  macValidate(id: number, algo: number, data: Bytes, mac: Bytes): boolean {
    checkInput(data, "MACOneShot");
    const t = [tlv(TAG_1, objectId(id)), tlv(TAG_2, byte(algo)), tlv(TAG_3, data), tlv(TAG_5, mac)];
    const r = this.value(this.run("MACOneShot", INS_CRYPTO, P1_MAC, P2_VALIDATE_ONESHOT, t, true), "MACOneShot");
    return len(r) === 1 && get(r, 0) === RESULT_SUCCESS;
  }

  /** GetRandom: `n` (1..256) bytes from the SE's random generator. */
  random(n: number): Bytes {
    const l = alloc(2);
    set(l, 0, n >>> 8);
    set(l, 1, n & 0xff);
    const r = this.value(this.run("GetRandom", INS_MGMT, P1_DEFAULT, P2_RANDOM, [tlv(TAG_1, l)], true), "GetRandom");
    if (len(r) !== n) fail("se050", "GetRandom gave " + len(r) + " bytes, asked " + n);
    return r;
  }

  /** CheckObjectExists. */
  exists(id: number): boolean {
    const r = this.value(this.run("CheckObjectExists", INS_MGMT, P1_DEFAULT, P2_EXIST, [tlv(TAG_1, objectId(id))], true), "CheckObjectExists");
    return len(r) === 1 && get(r, 0) === RESULT_SUCCESS;
  }

  /** DeleteSecureObject. */
  remove(id: number): void {
    this.run("DeleteSecureObject", INS_MGMT, P1_DEFAULT, P2_DELETE_OBJECT, [tlv(TAG_1, objectId(id))], false);
  }

  close(): void {
    this.link.close();
  }

  private select(): void {
    const c: CommandApdu = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: fromHex(APPLET_AID_HEX), le: true };
    const r = this.link.transceive(encodeCommand(c));
    this.apdus = this.apdus + 1;
    const sw = statusOf(r);
    if (sw !== SW_OK) fail("se050", "SELECT of the IoT applet: SW " + swHex(sw) + " (" + swText(sw) + ")");
    this.selected = true;
  }

  /** One command; selects the applet first when needed (and once more if the SE lost it). */
  private run(name: string, ins: number, p1: number, p2: number, tlvs: Tlv[], le: boolean): Bytes {
    const cmd = encodeCommand({ cla: CLA_NO_SM, ins: ins, p1: p1, p2: p2, data: encodeTlvs(tlvs), le: le });
    for (let round = 0; round < 2; round++) {
      if (!this.selected) this.select();
      const resyncs = this.link.resyncs;
      let r: Bytes;
      try {
        r = this.link.transceive(cmd);
      } catch (e) {
        this.selected = false;
        throw e;
      }
      this.apdus = this.apdus + 1;
      const sw = statusOf(r);
      if (sw === SW_CLA_NOT_SUPPORTED || this.link.resyncs !== resyncs) {
        this.selected = false;
        if (sw !== SW_OK) continue;
      }
      if (sw !== SW_OK) fail("se050", name + ": SW " + swHex(sw) + " (" + swText(sw) + ")");
      const data = alloc(len(r) - 2);
      for (let i = 0; i < len(data); i++) set(data, i, get(r, i));
      return data;
    }
    return fail("se050", name + ": the applet was not selected after a reset");
  }

  /** TAG_1 of a response data field. */
  private value(data: Bytes, name: string): Bytes {
    const v = findTlv(decodeTlvs(data), TAG_1);
    if (v === undefined) return fail("se050", name + ": answer without TAG_1");
    return v;
  }
}

function statusOf(r: Bytes): number {
  const n = len(r);
  if (n < 2) return fail("se050", "response APDU of " + n + " bytes");
  return get(r, n - 2) * 256 + get(r, n - 1);
}

function checkInput(data: Bytes, name: string): void {
  if (len(data) > MAX_ONESHOT_BYTES) fail("se050", name + " input of " + len(data) + " bytes exceeds " + MAX_ONESHOT_BYTES + " (multi-part Init/Update/Final not implemented)");
}

function tlv(tag: number, value: Bytes): Tlv {
  return { tag: tag, value: value };
}

function byte(v: number): Bytes {
  const b = alloc(1);
  set(b, 0, v);
  return b;
}
