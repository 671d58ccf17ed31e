// Display HAL on NodeMCU: a stand-in that prints the rows to the console (no display driver
// yet). A real LCD driver (u8g2 module) replaces it.
import { Display, DisplayOptions } from "../display";
import { consoleDisplay } from "../shared/console-devices";

declare function print(s: string): void;

export function openNodeMcuDisplay(o: DisplayOptions): Display {
  return consoleDisplay(o, (line: string) => print(line));
}
