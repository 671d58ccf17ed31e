// A minimal terminal for driving the acquirer simulator from tests, the load bench and
// by hand: builds MAC'd cup frames and checks replies. Not the real terminal engine.
import { Bytes, fromHex } from "../../src/bytes/index";
import { IsoFields, IsoMessage, buildField60, buildField61, macInput, packWire, parseField60, unpackWire } from "../../src/iso8583/index";
import { EmulatorSecurity } from "../../hal/emulator/security";
import { PROC, padDigits } from "../../src/acquirer/protocol";
import { toHex } from "../../src/bytes/index";
import { SPEC } from "./wire";

export const TEST_TPDU = "6000030000";
export const TEST_HEADER = "603100000000";

export interface ClientOptions {
  tid: string;
  mid: string;
  tmk_hex?: string;
  /** First trace number (STAN), default 1. */
  stan?: number;
}

export class TestTerminal {
  readonly sm: EmulatorSecurity;
  stan: number;
  batch = "000001";

  constructor(readonly opts: ClientOptions) {
    this.sm = new EmulatorSecurity({ tmk_hex: opts.tmk_hex });
    this.stan = opts.stan ?? 1;
  }

  nextStan(): string {
    const s = padDigits(this.stan, 6, "stan");
    this.stan = this.stan >= 999999 ? 1 : this.stan + 1;
    return s;
  }

  /** A wire frame for `mti` with `fields` plus 11 (unless given), 41, 42, and a MAC unless it is 0800. */
  frame(mti: string, fields: IsoFields): Uint8Array {
    const f: IsoFields = { ...fields };
    if (f["11"] === undefined) f["11"] = this.nextStan();
    f["41"] = this.opts.tid;
    f["42"] = this.opts.mid;
    const msg: IsoMessage = { mti, fields: f };
    if (mti !== "0800") msg.fields["64"] = toHex(this.sm.mac(macInput(SPEC, msg)));
    return packWire(SPEC, msg, { tpdu: TEST_TPDU, header: TEST_HEADER }) as unknown as Uint8Array;
  }

  signIn(scheme = "003"): Uint8Array {
    return this.frame("0800", { "60": buildField60({ typeCode: "00", batch: this.batch, netCode: scheme }), "63": "01 " });
  }

  /** Reads a sign-in reply: installs the working keys and adopts the host's batch. */
  acceptSignIn(reply: Uint8Array): IsoMessage {
    const m = unpackWire(SPEC, reply as unknown as Bytes).msg;
    if (m.fields["39"] !== "00") return m;
    this.sm.installWorkingKeys(fromHex(m.fields["62"]));
    this.batch = parseField60(m.fields["60"]).batch;
    return m;
  }

  sale(pan: string, amount_minor: number): Uint8Array {
    return this.frame("0200", this.saleFields(pan, amount_minor));
  }

  saleFields(pan: string, amount_minor: number): IsoFields {
    return {
      "2": pan, "3": PROC.sale, "4": padDigits(amount_minor, 12, "amount"), "22": "021", "25": "00", "49": "156",
      "60": buildField60({ typeCode: "22", batch: this.batch, netCode: "000" }),
    };
  }

  voidSale(pan: string, amount_minor: number, origBatch: string, origStan: string): Uint8Array {
    return this.frame("0200", {
      "2": pan, "3": PROC.voidOrRefund, "4": padDigits(amount_minor, 12, "amount"), "25": "00", "49": "156",
      "60": buildField60({ typeCode: "23", batch: this.batch, netCode: "000" }),
      "61": buildField61({ batch: origBatch, trace: origStan }),
    });
  }

  refund(pan: string, amount_minor: number, origRrn: string, origDate: string): Uint8Array {
    return this.frame("0220", {
      "2": pan, "3": PROC.voidOrRefund, "4": padDigits(amount_minor, 12, "amount"), "25": "00", "37": origRrn, "49": "156",
      "60": buildField60({ typeCode: "25", batch: this.batch, netCode: "000" }),
      "61": buildField61({ batch: "000000", trace: "000000", date: origDate }),
    });
  }

  balance(pan: string): Uint8Array {
    return this.frame("0200", { "2": pan, "3": PROC.balance, "25": "00", "49": "156", "60": buildField60({ typeCode: "01", batch: this.batch, netCode: "000" }) });
  }

  /** The reversal of a request this terminal built: same fields, MTI 0400, field 39 = reason, no 64/52/53/26/35/36. */
  reversalOf(request: Uint8Array, reason: string): Uint8Array {
    const orig = unpackWire(SPEC, request as unknown as Bytes).msg;
    const f: IsoFields = {};
    for (const k of Object.keys(orig.fields)) if (!["26", "35", "36", "52", "53", "64"].includes(k)) f[k] = orig.fields[k];
    f["39"] = reason;
    return this.frame("0400", f);
  }

  settlement(totals48: string): Uint8Array {
    return this.frame("0500", { "48": totals48, "60": buildField60({ typeCode: "00", batch: this.batch, netCode: "201" }) });
  }

  upload(fields: IsoFields, end: boolean): Uint8Array {
    return this.frame("0320", { ...fields, "60": buildField60({ typeCode: "00", batch: this.batch, netCode: end ? "202" : "201" }) });
  }

  /** Decodes a reply and checks its MAC (replies that carry one). */
  read(reply: Uint8Array): { msg: IsoMessage; macOk: boolean } {
    const msg = unpackWire(SPEC, reply as unknown as Bytes).msg;
    const mac = msg.fields["64"];
    const macOk = mac !== undefined && this.sm.hasWorkingKeys() && this.sm.verifyMac(macInput(SPEC, msg), fromHex(mac));
    return { msg, macOk };
  }
}
