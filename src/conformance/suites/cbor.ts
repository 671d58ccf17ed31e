import { Suite } from "../suite";

// Filled in with the cbor codec.
export const CBOR_SUITES: Suite[] = [];
