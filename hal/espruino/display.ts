// Display HAL on Espruino: a stand-in that prints the rows to the console (no display driver
// yet). A real LCD driver (e.g. Espruino's Graphics over SPI) replaces it.
import { Display, DisplayOptions } from "../display";
import { consoleDisplay } from "../shared/console-devices";

declare function print(s: string): void;

export function openEspruinoDisplay(o: DisplayOptions): Display {
  return consoleDisplay(o, (line: string) => print(line));
}
