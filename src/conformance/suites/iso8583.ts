import { Suite } from "../suite";

// Filled in with the iso8583 codec.
export const ISO8583_SUITES: Suite[] = [];
