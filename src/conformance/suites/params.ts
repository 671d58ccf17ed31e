// Chip parameter and CA-key download suites (vectors in test/vectors/params-download.json):
// - iso8583.field62.parse: in {"mti","net","hex"} (field 62 of a message with that MTI and
//   60.3) -> out {"kind","status"?,"from"?,"tlv"?: [{"tag","name","hex"}]} (src/params/field62.ts);
// - params.download: in {"kind": "keys"|"aids", "replies": [{"rc","f62"?}], "cut"?: true} ->
//   out {"requests": [{"mti","net","f62"}], "done", "stored": [hex], "error"?} and, with "cut",
//   "after_cut": what a store opened again on the same flash finds (a power cut at that point);
// - escpos.encode.gbk: in {"hex", "columns"} (one receipt line's bytes, GBK allowed) -> out
//   {"job": hex of the ESC/POS job printing it as a `g` line, "shown": the line as an ASCII
//   display shows it} (src/escpos/encode.ts, src/text/gbk.ts gbkShown);
// - iso8583.field59.parse: in {"hex"} (field 59's bytes) -> out {"parts": n, "59.<tag>": value hex, …}.
import { Suite, str } from "../suite";
import { toHex } from "../../bytes/index";
import { errorText, isPosrtError } from "../../errors";
import { readField62 } from "../../params/field62-names";
import { Download } from "../../params/download";
import { KIND_AID, KIND_KEY, ParamStore } from "../../params/store";
import { NorFlash } from "../../sim/nor-flash";
import { encodeJob } from "../../escpos/encode";
import { byteTextFromHex, byteTextHex, gbkShown } from "../../text/gbk";
import { field59Parts } from "../../iso8583/subfields";

/** Most replies one vector may feed a download. */
export const MAX_VECTOR_REPLIES = 64;

function field62(input: unknown): unknown {
  const v = readField62(str(input, "mti"), str(input, "net"), str(input, "hex"));
  const out: { [k: string]: unknown } = { kind: v.kind };
  if (v.status !== "") out["status"] = v.status;
  if (v.kind === "query") out["from"] = v.from;
  if (v.tlv.length > 0) {
    const list: unknown[] = [];
    for (let i = 0; i < v.tlv.length; i++) list.push({ tag: v.tlv[i].tag, name: v.tlv[i].name, hex: v.tlv[i].hex });
    out["tlv"] = list;
  }
  return out;
}

function storeView(st: ParamStore): unknown {
  const cur = st.current();
  return { complete: cur !== undefined, interrupted: st.interrupted(), interrupted_kind: st.interruptedKind(), keys: st.items(KIND_KEY).length, aids: st.items(KIND_AID).length };
}

function download(input: unknown): unknown {
  const kindText = str(input, "kind");
  if (kindText !== "keys" && kindText !== "aids") throw new Error("kind must be keys or aids");
  const replies = (input as { [k: string]: unknown })["replies"] as { [k: string]: unknown }[];
  const flash = new NorFlash({ sector_bytes: 4096, sector_count: 4, prog_bytes: 1, page_bytes: 256, seed: 1 });
  const st = new ParamStore(flash);
  const kind = kindText === "keys" ? KIND_KEY : KIND_AID;
  const dl = new Download(st, kind);
  const requests: unknown[] = [];
  const out: { [k: string]: unknown } = {};
  let failed = false;
  for (let i = 0; i < replies.length && i < MAX_VECTOR_REPLIES && !failed; i++) {
    const r = dl.request();
    if (r === undefined) break;
    requests.push({ mti: r.mti, net: r.net, f62: r.f62 });
    const f62 = replies[i]["f62"];
    try {
      dl.reply(str(replies[i], "rc"), typeof f62 === "string" ? f62 : undefined);
    } catch (e) {
      if (!isPosrtError(e)) throw e;
      out["error"] = errorText(e);
      failed = true;
    }
  }
  out["requests"] = requests;
  out["done"] = dl.done();
  const stored: string[] = [];
  const items = st.items(kind);
  for (let i = 0; i < items.length; i++) stored.push(toHex(items[i]));
  out["stored"] = stored.length;
  if (stored.length > 0) out["first"] = stored[0];
  if ((input as { [k: string]: unknown })["cut"] === true) out["after_cut"] = storeView(new ParamStore(flash));
  return out;
}

function gbkLine(input: unknown): unknown {
  const t = byteTextFromHex(str(input, "hex"));
  const columns = (input as { [k: string]: unknown })["columns"] as number;
  const shown = gbkShown(t);
  return { job: toHex(encodeJob([{ t: t, g: true }], { columns: columns, feed: 0, cut: false })), shown: shown.text, hidden: shown.hidden };
}

/** Field 59 by part: count, and each part's number and value bytes. */
function f59(input: unknown): unknown {
  const parts = field59Parts(byteTextFromHex(str(input, "hex")));
  const out: { [k: string]: unknown } = { parts: parts.length };
  for (let i = 0; i < parts.length; i++) out[parts[i].no] = byteTextHex(parts[i].value);
  return out;
}

export const PARAMS_SUITES: Suite[] = [
  { name: "iso8583.field59.parse", run: f59 },
  { name: "escpos.encode.gbk", run: gbkLine },
  { name: "iso8583.field62.parse", run: field62 },
  { name: "params.download", run: download },
];
