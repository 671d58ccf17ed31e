// Entry of the conformance bundles (ES5 and Lua): the vector runner and nothing else.
export { openVectors, caseName, runCase, closeVectors } from "../../src/conformance/runner";
