// The page's library (served as /lib.js, global `posrtPage`): cli/emulator/page-entry.ts and the
// portable modules it imports, bundled from the Node build at server start (no browser
// download, no CDN). And the page's profile (sent in the WebSocket hello): the display, the
// test cards by name (never their numbers), the flash geometry and the acquirer.
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../paths";
import { CONSOLE_DISPLAY_COLUMNS, CONSOLE_DISPLAY_ROWS } from "../../hal/shared/console-devices";
import { SCREEN_COLS, SCREEN_ROWS } from "../../src/app/types";
import { MAGIC_AMOUNTS } from "../../src/acquirer/protocol";
import { TEST_CARDS } from "../../src/app/cards";
import { EXPECT_TIMEOUT_MS } from "../../src/app/run-script";

const BUILD = path.join(ROOT, "build", "node");

export function pageLibrary(): string {
  const { bundle } = require(path.join(ROOT, "scripts", "bundle-cjs.js")) as { bundle: (o: object) => string };
  const entry = path.join(BUILD, "cli", "emulator", "page-entry.js");
  if (!fs.existsSync(entry)) throw new Error(`no ${entry}: run "node scripts/build.js node" first`);
  return bundle({ entry, root: BUILD, aliases: { "#bytes-native": "src/bytes/native-typed.js" }, exposeAs: "posrtPage" });
}

export interface ProfileExtras {
  /** The board's small files (Espruino Storage): the device configuration. */
  files: Record<string, string>;
  flash_base: number;
  flash_bytes: number;
  flash_chip_bytes: number;
  page_bytes: number;
  acquirer: string;
  embedded: boolean;
  faults: string[];
  image: string;
}

export function pageProfile(x: ProfileExtras): { [k: string]: unknown } {
  return {
    // the terminal app's screen (what posrt.screen() gives), and the console display of the
    // Espruino build that flushes its first rows and columns (the frames the tests compare)
    display: { rows: SCREEN_ROWS, columns: SCREEN_COLS },
    console_display: { rows: CONSOLE_DISPLAY_ROWS, columns: CONSOLE_DISPLAY_COLUMNS },
    // names and what they do, never their numbers
    cards: TEST_CARDS.map((c) => ({ name: c.name, label: c.label, chip: c.chip, contactless: c.contactless })),
    expect_timeout_ms: EXPECT_TIMEOUT_MS,
    magic: MAGIC_AMOUNTS.map((m) => ({ cents: m.cents, rc: m.rc, label: m.label })),
    ...x,
  };
}
