// Reads an acquirer profile file for `posrt acquirer --profile` and `posrt terminal --profile`
// (the format and its checks are portable: src/host/profile.ts).
import * as fs from "fs";
import { fail, isPosrtError, errorText } from "../../src/errors";
import { AcquirerProfile, parseProfile } from "../../src/host/profile";

/** The profile in `file`; a missing file or a bad profile is one clear line naming the file. */
export function readProfile(file: string): AcquirerProfile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    return fail("profile", `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseProfile(text);
  } catch (e) {
    if (!isPosrtError(e)) throw e;
    return fail("profile", `${file}: ${errorText(e)}`);
  }
}
