// A contactless payment card as the PN532 model's field sees it (ISO/IEC 14443-4, ISO/IEC 7816-4
// APDUs, EMV Book 1/3 data objects): SELECT of the PPSE "2PAY.SYS.DDF01" answers an FCI with
// one application (AID), SELECT of that AID answers its FCI, READ RECORD 1 of SFI 1 answers
// a record template (70) with Track 2 Equivalent Data (57), PAN (5A) and expiry (5F24);
// anything else is 6D00 (instruction not supported) or 6A82 (file not found).
// TEST data only: built from the app's virtual test cards.
import { Bytes, concat, fromHex, fromList, fromText, get, len } from "../bytes/index";
import { encodeTlv } from "../codec/tlv";
import { VirtualCard } from "./pn532";

export const PPSE_NAME = "2PAY.SYS.DDF01";
/** The one application of the test cards (a Visa credit AID). */
export const TEST_AID = "A0000000031010";

export interface CardData {
  /** NFCID1, hex. */
  uid: string;
  pan: string;
  /** YYMM */
  expiry: string;
  /** Track 2 equivalent with "D" as separator. */
  track2: string;
}

const SW_OK = fromList([0x90, 0x00]);
const SW_NO_INS = fromList([0x6d, 0x00]);
const SW_NO_FILE = fromList([0x6a, 0x82]);

/** Digits (and D) as packed nibbles, padded with F to whole bytes (EMV "cn"/track 2 format). */
function nibbles(s: string): Bytes {
  return fromHex(s.length % 2 === 1 ? s + "F" : s);
}

function selected(c: Bytes, name: Bytes): boolean {
  if (len(c) < 5 + len(name) || get(c, 1) !== 0xa4 || get(c, 2) !== 0x04 || get(c, 4) !== len(name)) return false;
  for (let i = 0; i < len(name); i++) if (get(c, 5 + i) !== get(name, i)) return false;
  return true;
}

/** The card's answers as a VirtualCard for the PN532 model. */
export function contactlessCard(d: CardData): VirtualCard {
  const ppse = fromText(PPSE_NAME);
  const aid = fromHex(TEST_AID);
  const ppseFci = encodeTlv([{ tag: "6F", children: [{ tag: "84", value: ppse }, { tag: "A5", children: [{ tag: "BF0C", children: [{ tag: "61", children: [{ tag: "4F", value: aid }, { tag: "87", value: fromList([1]) }] }] }] }] }]);
  const aidFci = encodeTlv([{ tag: "6F", children: [{ tag: "84", value: aid }, { tag: "A5", children: [{ tag: "50", value: fromText("TEST CARD") }] }] }]);
  const record = encodeTlv([{ tag: "70", children: [{ tag: "57", value: nibbles(d.track2) }, { tag: "5A", value: nibbles(d.pan) }, { tag: "5F24", value: fromHex(d.expiry + "31") }] }]);
  return {
    uid: fromHex(d.uid),
    ats: fromHex("0578807002"),
    apdu: (c: Bytes): Bytes => {
      if (len(c) < 4) return fromList([0x67, 0x00]);
      if (selected(c, ppse)) return concat([ppseFci, SW_OK]);
      if (selected(c, aid)) return concat([aidFci, SW_OK]);
      if (get(c, 1) === 0xa4) return SW_NO_FILE;
      if (get(c, 0) === 0x00 && get(c, 1) === 0xb2 && get(c, 2) === 0x01 && get(c, 3) === 0x0c) return concat([record, SW_OK]);
      if (get(c, 1) === 0xb2) return fromList([0x6a, 0x83]); // record not found
      return SW_NO_INS;
    },
  };
}
