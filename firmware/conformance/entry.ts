// Entry of the conformance bundles (ES5 and Lua): the vector runner and nothing else, plus the
// driver-vs-model checks (hal/drivers/checks/), which src/ cannot import itself.
import { addSuites } from "../../src/conformance/registry";
import { DRIVER_CHECKS } from "../../hal/drivers/checks/index";
export { useNativeCrc32 } from "../../src/bytes/index";
export { openVectors, caseName, runCase, closeVectors } from "../../src/conformance/runner";

addSuites(DRIVER_CHECKS);
