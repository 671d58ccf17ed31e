// driver.pn532: the PN532 driver (through the board's CardReader) against the PN532 model.
// Steps: {"tap": true} (the test card enters), {"remove": true}, {"power_on": true},
// {"apdu": HEX}, {"power_off": true}, {"corrupt": N} (next N answers with a bad DCS),
// {"contact": true} (power on the contact chip), {"remove_after": N} (card leaves after N more APDUs), {"mute": true}, {"wait_ms"}.
// Out: the events the CardReader reported, in order, and the link's resends + NACKs.
// The test card answers each APDU with its INS byte and 9000.
import { Suite } from "../../../src/conformance/suite";
import { asObj, boolOr, numOr, strOr } from "../../../src/conformance/args";
import { Bytes, fromHex, fromList, get, toHex } from "../../../src/bytes/index";
import { CardEvent, CardReaderError } from "../../card-reader";
import { openBoardCardReader } from "../board";
import { ESP32_REF } from "../../../firmware/boards/esp32-ref";
import { VirtualCard } from "../../../src/models/pn532";
import { EventLog, board, stepsOf } from "./common";

export const CHECK_CARD: VirtualCard = {
  uid: fromHex("08A1B2C3"),
  ats: fromHex("0578807002"),
  apdu: (c: Bytes) => fromList([get(c, 1), 0x90, 0x00]),
};

function run(input: unknown): unknown {
  const o = asObj(input, "driver.pn532");
  const b = board(0);
  const log = new EventLog();
  const reader = openBoardCardReader(b.sim.bus, ESP32_REF, {
    onCard: (e: CardEvent) => log.add(e.kind),
    onError: (e: CardReaderError, detail: string) => log.add("error " + e),
  });
  reader.enable(false, false, true);
  const steps = stepsOf(o, "driver.pn532");
  const w = "driver.pn532";
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (boolOr(s, "mute", false, w)) b.nfc.mute = true;
    if (s.corrupt !== undefined) b.nfc.corruptNext(numOr(s, "corrupt", 0, w));
    if (s.remove_after !== undefined) b.nfc.removeAfterApdus(numOr(s, "remove_after", 0, w));
    if (boolOr(s, "tap", false, w)) b.nfc.tap(CHECK_CARD);
    if (boolOr(s, "remove", false, w)) b.nfc.removeCard();
    if (boolOr(s, "contact", false, w)) reader.powerOn("contact", (atr: Bytes) => log.add("atr " + toHex(atr)));
    if (boolOr(s, "power_on", false, w)) reader.powerOn("contactless", (ats: Bytes) => log.add("ats " + toHex(ats)));
    if (s.apdu !== undefined) reader.exchange("contactless", fromHex(strOr(s, "apdu", "", w)), (r: Bytes) => log.add("response " + toHex(r)));
    if (boolOr(s, "power_off", false, w)) reader.powerOff("contactless");
    b.sim.advance(numOr(s, "wait_ms", 0, w));
  }
  reader.close();
  return { events: log.items, apdus: b.nfc.apdus };
}

export const PN532_CHECK: Suite = { name: "driver.pn532", run: run };
