// The driver-vs-model checks as conformance suites (driver.*), so each driver runs against its
// part model on node, es5 and lua from test/vectors/drivers.json. They live here, not in
// src/conformance/suites/, because src/ may not import hal/drivers/; the conformance bundle
// entry registers them (firmware/conformance/entry.ts).
import { Suite } from "../../../src/conformance/suite";
import { KEYPAD_CHECK } from "./keypad";
import { PRINTER_CHECK } from "./printer";
import { PN532_CHECK } from "./nfc";
import { MAGSTRIPE_CHECK } from "./magstripe";
import { LCD_CHECK } from "./lcd";
import { SE050_CHECK } from "./se050";

export const DRIVER_CHECKS: Suite[] = [KEYPAD_CHECK, PRINTER_CHECK, PN532_CHECK, MAGSTRIPE_CHECK, LCD_CHECK, SE050_CHECK];
