// Reference board: an ESP32 DevKit with the cheap, documented parts of a bench POS terminal.
// Pins are GPIO numbers; UART0 stays the console (REPL on Espruino and NodeMCU).
//
// Choices:
// - PN532 on SPI (VSPI), not its UART (HSU): the ESP32 has three UARTs, UART0 is the console
//   and UART1 the printer, so HSU would take the last one; SPI also gives a status byte to poll
//   (no guessing when a response is complete) and shares the bus with later SPI parts. SPI
//   mode 0, LSB first (UM0701-02 §6.2.5): Espruino SPI.setup({order:"lsb"}), NodeMCU ESP32
//   spi device tx_lsb_first / rx_lsb_first.
// - Magnetic stripe: a TTL clock/data head decoded in software (ISO/IEC 7811-2 track 2), not a
//   UART reader module: no UART is left, the heads are cheap and stocked, and the decoder is
//   portable code checked by vectors on every runtime (a module would hide it in its firmware).
//   Caveat: at 2–3 kbit/s per swipe the clock interrupts must keep up; Espruino's setWatch with
//   `data` samples /DATA in the interrupt; NodeMCU's gpio.trig runs Lua per edge (not measured
//   on a board here). GPIO 34/35/39 are input-only without internal pull-ups: the head's
//   open-collector outputs get 10 kOhm pull-ups to 3.3 V on the board.
// - GPIO 12 (flash-voltage strap) and 0 (boot) are left free; the buzzer is on GPIO 2.
// - Display: HD44780 20×4 on a PCF8574 backpack at 0x27 (4-bit mode): 4 rows of 20 are what the
//   terminal app draws, and the part is everywhere.
import { Key } from "../../hal/keypad";
import { BoardProfile } from "../../hal/board";

/**
 * 4×4 membrane keypad, row by row: digits, 00, enter, cancel, clear and up/down (the terminal
 * app scrolls lists with them); "back" is left out (clear empties the entry).
 */
const LAYOUT: Key[] = ["1", "2", "3", "cancel", "4", "5", "6", "clear", "7", "8", "9", "up", "00", "0", "down", "enter"];

export const ESP32_REF: BoardProfile = {
  name: "esp32-ref",
  keypad: { row_pins: [13, 14, 27, 26], col_pins: [25, 33, 32, 4], layout: LAYOUT, buzzer_pin: 2 },
  printer: { port: 1, baud: 9600, tx_pin: 17, rx_pin: 16 },
  nfc: { sclk_pin: 18, mosi_pin: 23, miso_pin: 19, cs_pin: 5 },
  magstripe: { clock_pin: 34, data_pin: 35, present_pin: 39, external_pullups: true },
  display: { sda_pin: 21, scl_pin: 22, address: 0x27 },
};
