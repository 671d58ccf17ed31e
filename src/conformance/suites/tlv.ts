import { Suite } from "../suite";

// Filled in with the tlv codec.
export const TLV_SUITES: Suite[] = [];
