// The parameter region kept beside a journal image (IMAGE.params): downloaded chip parameters
// (AIDs and their options) and CA public keys, as `posrt journal dump` shows them.
import * as fs from "fs";
import { loadNorImage } from "../../hal/emulator/nor-file";
import { PARAMS_FLASH } from "../../src/app/config";
import { KIND_AID, KIND_KEY, ParamStore } from "../../src/params/store";
import { itemTlv } from "../../src/params/field62-names";

/** The parameter region's file beside a journal image. */
export const PARAMS_SUFFIX = ".params";

interface ItemView { [tag: string]: string }

function view(items: ReturnType<ParamStore["items"]>): ItemView[] {
  return items.map((b) => {
    const out: ItemView = {};
    for (const t of itemTlv(b)) out[t.tag + (t.name === "" ? "" : " " + t.name)] = t.hex;
    return out;
  });
}

/** What IMAGE.params holds, or undefined when there is no such file. */
export function paramsObject(image: string): { [k: string]: unknown } | undefined {
  const file = image + PARAMS_SUFFIX;
  if (!fs.existsSync(file)) return undefined;
  const st = new ParamStore(loadNorImage(file, PARAMS_FLASH.sector_bytes));
  const cur = st.current();
  return {
    file,
    complete: cur !== undefined,
    generation: cur === undefined ? 0 : cur.gen,
    interrupted: st.interrupted(),
    interrupted_kind: ["", "CA keys", "chip parameters"][st.interruptedKind()],
    ca_keys: view(st.items(KIND_KEY)),
    aids: view(st.items(KIND_AID)),
  };
}

function short(hex: string): string {
  return hex.length > 40 ? hex.substring(0, 16) + "…(" + hex.length / 2 + " bytes)" : hex;
}

/** Prints the parameter region in the text form of `posrt journal dump`. */
export function printParams(d: { [k: string]: any } | undefined): void {
  if (d === undefined) return;
  console.log(`parameters (${d.file}): ${d.complete ? `download generation ${d.generation}` : "none complete"}${d.interrupted ? `; a ${d.interrupted_kind} download was cut short (not used; it runs again at the next sign-in)` : ""}`);
  console.log(`  CA public keys: ${d.ca_keys.length}`);
  for (const k of d.ca_keys) console.log(`    ${Object.entries(k).map(([t, v]) => `${t.split(" ")[0]}=${short(v as string)}`).join(" ")}`);
  console.log(`  AIDs: ${d.aids.length}`);
  for (const a of d.aids) console.log(`    ${Object.entries(a).map(([t, v]) => `${t.split(" ")[0]}=${short(v as string)}`).join(" ")}`);
}
