// The HAL devices of a board profile (firmware/boards/), on any Bus: the keypad matrix, the
// HD44780 display, the ESC/POS printer and one CardReader joining the magnetic head and the
// PN532. The same wiring runs on a device (platform bus adapter) and on the part models
// (src/models/sim-bus.ts).
import { Bus } from "../bus";
import { CardReader, CardReaderOptions, ChipInterface } from "../card-reader";
import { Display, DisplayOptions } from "../display";
import { Keypad, KeypadOptions } from "../keypad";
import { PrinterOptions } from "../printer";
import { Bytes } from "../../src/bytes/index";
import { BoardProfile } from "../board";
import { openMatrixKeypad } from "./keypad-matrix";
import { openLcd } from "./lcd-hd44780";
import { EscPosPrinterDriver, checkPrinterPort, openEscPosPrinter } from "./escpos-printer";
import { MagStripeReader } from "./magstripe";
import { Pn532Reader } from "./pn532";

export function openBoardKeypad(bus: Bus, b: BoardProfile, o: KeypadOptions): Keypad {
  return openMatrixKeypad({ bus: bus, row_pins: b.keypad.row_pins, col_pins: b.keypad.col_pins, layout: b.keypad.layout, buzzer_pin: b.keypad.buzzer_pin, onKey: o.onKey, onError: o.onError });
}

export function openBoardDisplay(bus: Bus, b: BoardProfile, o: DisplayOptions): Display {
  return openLcd({ bus: bus, address: b.display.address, onWritable: o.onWritable, onError: o.onError });
}

export function openBoardPrinter(bus: Bus, b: BoardProfile, o: PrinterOptions): EscPosPrinterDriver {
  checkPrinterPort(b.printer.port);
  return openEscPosPrinter({ bus: bus, port: b.printer.port, baud: b.printer.baud, tx_pin: b.printer.tx_pin, rx_pin: b.printer.rx_pin, onWritable: o.onWritable, onError: o.onError });
}

/** Swipe from the head, contactless from the PN532; the board has no contact chip reader. */
export function openBoardCardReader(bus: Bus, b: BoardProfile, o: CardReaderOptions): CardReader {
  const mag = new MagStripeReader({
    bus: bus, clock_pin: b.magstripe.clock_pin, data_pin: b.magstripe.data_pin, present_pin: b.magstripe.present_pin,
    external_pullups: b.magstripe.external_pullups, onSwipe: o.onCard,
  });
  const nfc = new Pn532Reader(bus, b.nfc.cs_pin, {
    onTap: () => o.onCard({ kind: "tap" }),
    onRemove: () => o.onCard({ kind: "remove" }),
    onError: o.onError,
  });
  const noContact = (): void => o.onError("mute", "this board has no contact chip reader");
  return {
    enable: (swipe: boolean, contact: boolean, contactless: boolean): void => {
      mag.enable(swipe);
      if (contactless) nfc.enable();
      else nfc.disable();
    },
    disable: (): void => {
      mag.enable(false);
      nfc.disable();
    },
    powerOn: (via: ChipInterface, onAnswer: (this: void, atr: Bytes) => void): void => {
      if (via === "contact") return noContact();
      nfc.powerOn(onAnswer);
    },
    exchange: (via: ChipInterface, command: Bytes, onResponse: (this: void, response: Bytes) => void): void => {
      if (via === "contact") return noContact();
      nfc.exchange(command, onResponse);
    },
    powerOff: (via: ChipInterface): void => {
      if (via === "contactless") nfc.powerOff();
    },
    close: (): void => {
      mag.close();
      nfc.close();
    },
  };
}
