// The SE050 IoT applet's answers to the APDUs the SecurityModule uses (NXP AN12413 "SE050 APDU
// specification"), with its keystore: DES key objects by 4-byte identifier. Used by the SE050
// model (src/models/se050.ts) under its T=1 over I2C link.
// Modelled, per AN12413 (command names as the document gives them; its section numbers for the
// commands are not quoted because the copy of the document was not at hand, only its tables'
// transcriptions, see docs/security-module.md): SELECT of the applet (§4.4); WriteSymmKey for
// DES keys (P1 DES, TAG_1 object id, TAG_3 key value of 8, 16 or 24 bytes; INS_TRANSIENT keeps
// the value in RAM); CipherOneShot (P1 CIPHER, P2 ENCRYPT_ONESHOT/DECRYPT_ONESHOT, TAG_1 key id,
// TAG_2 CipherMode, TAG_3 data, optional TAG_4 IV; answer TAG_1); MACOneShot (P1 MAC, P2
// GENERATE_ONESHOT/VALIDATE_ONESHOT, TAG_1 key id, TAG_2 MACAlgo, TAG_3 data, TAG_5 MAC to
// check; answer TAG_1 MAC or TAG_1 Result); GetRandom (INS MGMT, P2 RANDOM, TAG_1 u16 length);
// CheckObjectExists (P2 EXIST) and DeleteSecureObject (P2 DELETE_OBJECT).
// Modelling choices where the document (as available here) does not give the exact answer:
// a key object that does not exist answers 6985 (conditions not satisfied); an unsupported
// mode, a KEK (TAG_2 of WriteSymmKey, RFC 3394 AES key wrap on the part) or a length that is
// not whole DES blocks answers 6A80; an APDU for the applet before SELECT answers 6E00 (what a
// card manager says to CLA 80). Not modelled: policies, sessions, SCP03, attestation, every
// other object type and command.
import { Bytes, alloc, fromHex, get, len, set, slice } from "../bytes/index";
import { TdesKey, cbcDecrypt, cbcEncrypt, ecb, macX919, tdesKey } from "../crypto/index";
import {
  APPLET_AID_HEX, CIPHER_DES_CBC_NOPAD, CIPHER_DES_ECB_NOPAD, CommandApdu, INS_CRYPTO, INS_MGMT, INS_TRANSIENT, INS_WRITE,
  MAC_DES8_M1, MAC_DES8_M1_ALG3, P1_CIPHER, P1_DES, P1_MAC, P2_DECRYPT_ONESHOT, P2_DELETE_OBJECT, P2_ENCRYPT_ONESHOT, P2_EXIST,
  P2_GENERATE_ONESHOT, P2_RANDOM, P2_VALIDATE_ONESHOT, RESULT_FAILURE, RESULT_SUCCESS, SW_CLA_NOT_SUPPORTED, SW_CONDITIONS,
  SW_FILE_FULL, SW_INS_NOT_SUPPORTED, SW_OK, SW_WRONG_DATA, TAG_1, TAG_2, TAG_3, TAG_4, TAG_5, Tlv, decodeTlvs, encodeResponse,
  encodeTlvs, findTlv, readObjectId,
} from "../parts/se050-apdu";
import { isPosrtError } from "../errors";

/** Most secure objects the model's keystore holds. */
export const SE050_MAX_OBJECTS = 32;
/** Most random bytes one GetRandom returns here. */
export const SE050_MAX_RANDOM = 256;
/** What SELECT answers before 9000 (applet version 3.1.0, configuration, secure box: illustrative values). */
const SELECT_ANSWER = "0301003FFF010B";

interface KeyObject {
  id: number;
  value: Bytes;
  transient: boolean;
}

/** The applet state of one chip: persistent keystore, transient values, selection. */
export class Se050Applet {
  private objects: KeyObject[] = [];
  private selected = false;
  private rng: number;
  /** APDUs executed, for checks. */
  executed = 0;

  constructor(seed: number) {
    this.rng = (seed >>> 0) === 0 ? 0x2545f491 : seed >>> 0;
  }

  /** Power lost: transient values and the selection are gone, persistent objects stay. */
  reset(): void {
    this.selected = false;
    const keep: KeyObject[] = [];
    for (let i = 0; i < this.objects.length; i++) if (!this.objects[i].transient) keep.push(this.objects[i]);
    this.objects = keep;
  }

  /** Identifiers of the objects held, in creation order (for checks). */
  ids(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.objects.length; i++) out.push(this.objects[i].id);
    return out;
  }

  /** The response APDU (data and SW) to one command APDU. */
  execute(c: CommandApdu): Bytes {
    this.executed = this.executed + 1;
    if (c.cla === 0x00 && c.ins === 0xa4) return this.select(c);
    if (!this.selected || c.cla !== 0x80) return encodeResponse(alloc(0), SW_CLA_NOT_SUPPORTED);
    let tlvs: Tlv[] = [];
    try {
      tlvs = decodeTlvs(c.data);
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      return sw(SW_WRONG_DATA);
    }
    const ins = c.ins & 0x1f;
    if (ins === INS_WRITE && c.p1 === P1_DES) return this.writeKey(tlvs, (c.ins & INS_TRANSIENT) !== 0);
    if (ins === INS_CRYPTO && c.p1 === P1_CIPHER && (c.p2 === P2_ENCRYPT_ONESHOT || c.p2 === P2_DECRYPT_ONESHOT)) return this.cipher(tlvs, c.p2 === P2_DECRYPT_ONESHOT);
    if (ins === INS_CRYPTO && c.p1 === P1_MAC && (c.p2 === P2_GENERATE_ONESHOT || c.p2 === P2_VALIDATE_ONESHOT)) return this.mac(tlvs, c.p2 === P2_VALIDATE_ONESHOT);
    if (ins === INS_MGMT && c.p2 === P2_RANDOM) return this.random(tlvs);
    if (ins === INS_MGMT && c.p2 === P2_EXIST) return this.exists(tlvs);
    if (ins === INS_MGMT && c.p2 === P2_DELETE_OBJECT) return this.remove(tlvs);
    return sw(SW_INS_NOT_SUPPORTED);
  }

  private select(c: CommandApdu): Bytes {
    if (c.p1 !== 0x04 || !sameHex(c.data, APPLET_AID_HEX)) return sw(0x6a82);
    this.selected = true;
    return encodeResponse(fromHex(SELECT_ANSWER), SW_OK);
  }

  private find(id: number): KeyObject | undefined {
    for (let i = 0; i < this.objects.length; i++) if (this.objects[i].id === id) return this.objects[i];
    return undefined;
  }

  private keyOf(tlvs: Tlv[]): KeyObject | undefined {
    const id = findTlv(tlvs, TAG_1);
    if (id === undefined || len(id) !== 4) return undefined;
    return this.find(readObjectId(id));
  }

  private writeKey(tlvs: Tlv[], transient: boolean): Bytes {
    const id = findTlv(tlvs, TAG_1);
    const value = findTlv(tlvs, TAG_3);
    if (id === undefined || len(id) !== 4 || value === undefined || findTlv(tlvs, TAG_2) !== undefined) return sw(SW_WRONG_DATA);
    const n = len(value);
    if (n !== 8 && n !== 16 && n !== 24) return sw(SW_WRONG_DATA);
    const old = this.find(readObjectId(id));
    if (old !== undefined) {
      if (len(old.value) !== n) return sw(SW_CONDITIONS);
      old.value = slice(value, 0, n);
      return sw(SW_OK);
    }
    if (this.objects.length >= SE050_MAX_OBJECTS) return sw(SW_FILE_FULL);
    this.objects.push({ id: readObjectId(id), value: slice(value, 0, n), transient: transient });
    return sw(SW_OK);
  }

  private cipher(tlvs: Tlv[], decrypt: boolean): Bytes {
    const k = this.keyOf(tlvs);
    if (k === undefined) return sw(SW_CONDITIONS);
    const mode = findTlv(tlvs, TAG_2);
    const data = findTlv(tlvs, TAG_3);
    if (mode === undefined || len(mode) !== 1 || data === undefined || len(data) === 0 || len(data) % 8 !== 0) return sw(SW_WRONG_DATA);
    const key = tdesKey(k.value);
    const m = get(mode, 0);
    let out: Bytes;
    if (m === CIPHER_DES_ECB_NOPAD) out = ecb(key, data, decrypt);
    else if (m === CIPHER_DES_CBC_NOPAD) {
      const given = findTlv(tlvs, TAG_4);
      const iv = given === undefined ? alloc(8) : given;
      if (len(iv) !== 8) return sw(SW_WRONG_DATA);
      out = decrypt ? cbcDecrypt(key, iv, data) : cbcEncrypt(key, iv, data);
    } else return sw(SW_WRONG_DATA);
    return encodeResponse(encodeTlvs([{ tag: TAG_1, value: out }]), SW_OK);
  }

  private mac(tlvs: Tlv[], validate: boolean): Bytes {
    const k = this.keyOf(tlvs);
    if (k === undefined) return sw(SW_CONDITIONS);
    const algo = findTlv(tlvs, TAG_2);
    const data = findTlv(tlvs, TAG_3);
    if (algo === undefined || len(algo) !== 1 || data === undefined) return sw(SW_WRONG_DATA);
    const a = get(algo, 0);
    let m: Bytes;
    if (a === MAC_DES8_M1_ALG3 && len(k.value) === 16) m = macX919(tdesKey(k.value), data);
    else if (a === MAC_DES8_M1) m = cbcMac(tdesKey(k.value), data);
    else return sw(SW_WRONG_DATA);
    if (!validate) return encodeResponse(encodeTlvs([{ tag: TAG_1, value: m }]), SW_OK);
    const want = findTlv(tlvs, TAG_5);
    if (want === undefined) return sw(SW_WRONG_DATA);
    const r = alloc(1);
    set(r, 0, sameBytes(m, want) ? RESULT_SUCCESS : RESULT_FAILURE);
    return encodeResponse(encodeTlvs([{ tag: TAG_1, value: r }]), SW_OK);
  }

  private random(tlvs: Tlv[]): Bytes {
    const l = findTlv(tlvs, TAG_1);
    if (l === undefined || len(l) !== 2) return sw(SW_WRONG_DATA);
    const n = get(l, 0) * 256 + get(l, 1);
    if (n === 0 || n > SE050_MAX_RANDOM) return sw(SW_WRONG_DATA);
    const out = alloc(n);
    for (let i = 0; i < n; i++) set(out, i, this.nextByte());
    return encodeResponse(encodeTlvs([{ tag: TAG_1, value: out }]), SW_OK);
  }

  private exists(tlvs: Tlv[]): Bytes {
    const id = findTlv(tlvs, TAG_1);
    if (id === undefined || len(id) !== 4) return sw(SW_WRONG_DATA);
    const r = alloc(1);
    set(r, 0, this.find(readObjectId(id)) !== undefined ? RESULT_SUCCESS : RESULT_FAILURE);
    return encodeResponse(encodeTlvs([{ tag: TAG_1, value: r }]), SW_OK);
  }

  private remove(tlvs: Tlv[]): Bytes {
    const id = findTlv(tlvs, TAG_1);
    if (id === undefined || len(id) !== 4) return sw(SW_WRONG_DATA);
    const target = readObjectId(id);
    if (this.find(target) === undefined) return sw(SW_CONDITIONS);
    const keep: KeyObject[] = [];
    for (let i = 0; i < this.objects.length; i++) if (this.objects[i].id !== target) keep.push(this.objects[i]);
    this.objects = keep;
    return sw(SW_OK);
  }

  /** xorshift32: the model's stand-in for the chip's TRNG (deterministic, so checks replay). */
  private nextByte(): number {
    let x = this.rng;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.rng = x;
    return x & 0xff;
  }
}

function sw(code: number): Bytes {
  return encodeResponse(alloc(0), code);
}

/** ISO 9797-1 MAC algorithm 1 with padding method 1: CBC-MAC under the whole key. */
function cbcMac(key: TdesKey, data: Bytes): Bytes {
  const n = len(data);
  const padded = alloc(n === 0 ? 8 : Math.floor((n + 7) / 8) * 8);
  for (let i = 0; i < n; i++) set(padded, i, get(data, i));
  const c = cbcEncrypt(key, alloc(8), padded);
  return slice(c, len(c) - 8, 8);
}

function sameHex(b: Bytes, hex: string): boolean {
  return sameBytes(b, fromHex(hex));
}

function sameBytes(a: Bytes, b: Bytes): boolean {
  if (len(a) !== len(b)) return false;
  let diff = 0;
  for (let i = 0; i < len(a); i++) diff = diff | (get(a, i) ^ get(b, i));
  return diff === 0;
}
