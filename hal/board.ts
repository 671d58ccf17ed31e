// Board profile: which pins and buses a board gives each part (one file per board in
// firmware/boards/). Declarations only; hal/drivers/board.ts opens the HAL devices from it.
import { Key } from "./keypad";

/** GPIO numbers, UART ports and I2C addresses of one board's parts. */
export interface BoardProfile {
  name: string;
  /** Rows driven (open-drain), columns read (pull-ups); layout row by row; buzzer -1 for none. */
  keypad: { row_pins: number[]; col_pins: number[]; layout: Key[]; buzzer_pin: number };
  /** ESC/POS printer on a UART (not UART0, the console). */
  printer: { port: number; baud: number; tx_pin: number; rx_pin: number };
  /** PN532 on SPI (mode 0, LSB first). */
  nfc: { sclk_pin: number; mosi_pin: number; miso_pin: number; cs_pin: number };
  /** TTL clock/data head: /STROBE, /DATA, /CLS. */
  magstripe: { clock_pin: number; data_pin: number; present_pin: number; external_pullups: boolean };
  /** HD44780 on a PCF8574 backpack. */
  display: { sda_pin: number; scl_pin: number; address: number };
}
