// The emulator platform's Flash: the portable NOR model of src/sim (fault injection included).
export { NorFlash, NorOptions, BAD_READ, BAD_PROGRAM, BAD_ERASE, POWER_LOST } from "../../src/sim/nor-flash";
