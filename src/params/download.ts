// One CA-public-key or chip-parameter download as a UnionPay terminal runs it, one exchange at
// a time (no I/O here: the engine sends what `request()` says and hands back each reply):
// query the host's list (0820, 60.3 372/382, again while the reply says "more"), download each
// entry (0800, 370/380, one key or AID per exchange; a CA key whose check value DF03 does not
// match is refused, see ca-key.ts), then say "end" (0800, 371/381). Items go
// into the ParamStore as they arrive; only the reply to "end" commits them, so a download cut
// short anywhere is never taken as complete.
import { alloc, fromHex, len, set, slice, toHex } from "../bytes/index";
import { fail } from "../errors";
import {
  NET_KEY_END, NET_KEY_LOAD, NET_KEY_QUERY, NET_PARAM_END, NET_PARAM_LOAD, NET_PARAM_QUERY, NamedTlv, ST_LAST, ST_MORE, ST_NONE,
  queryHex, statusOf, tlvList, valueOf,
} from "./field62";
import { KIND_AID, KIND_KEY, MAX_AIDS, MAX_CA_KEYS, ParamStore } from "./store";
import { caKeyCheckProblem } from "./ca-key";

/** Query rounds at most (the list arrives in pieces while the host says "more"). */
export const MAX_QUERY_ROUNDS = 8;

const PH_QUERY = 0;
const PH_LOAD = 1;
const PH_END = 2;
const PH_DONE = 3;

/** The next request: MTI, 60.3 and field 62 (hex, "" for none). */
export interface DownloadRequest {
  mti: string;
  net: string;
  f62: string;
}

export class Download {
  readonly kind: number;
  private st: ParamStore;
  private ph: number;
  /** Entries the host listed: the TLV hex that names each (9F06 [+ 9F22]). */
  private listed: string[];
  private at: number;
  private rounds: number;
  /** Entries the host listed but then had no data for. */
  missing: number;

  constructor(st: ParamStore, kind: number) {
    if (kind !== KIND_KEY && kind !== KIND_AID) fail("params", "unknown download kind " + kind);
    this.kind = kind;
    this.st = st;
    this.ph = PH_QUERY;
    this.listed = [];
    this.at = 0;
    this.rounds = 0;
    this.missing = 0;
    st.begin(kind === KIND_KEY ? KIND_AID : KIND_KEY, kind);
  }

  done(): boolean {
    return this.ph === PH_DONE;
  }

  /** Items downloaded so far. */
  count(): number {
    return this.at - this.missing;
  }

  /** What to send now (undefined when done). */
  request(): DownloadRequest | undefined {
    const keys = this.kind === KIND_KEY;
    if (this.ph === PH_QUERY) return { mti: "0820", net: keys ? NET_KEY_QUERY : NET_PARAM_QUERY, f62: queryHex(this.listed.length) };
    if (this.ph === PH_LOAD) return { mti: "0800", net: keys ? NET_KEY_LOAD : NET_PARAM_LOAD, f62: this.listed[this.at] };
    if (this.ph === PH_END) return { mti: "0800", net: keys ? NET_KEY_END : NET_PARAM_END, f62: "" };
    return undefined;
  }

  /** Takes the reply to the last request (its field 39 and 62); a refusal or malformed reply is a PosrtError. */
  reply(rc: string, f62: string | undefined): void {
    if (rc !== "00") fail("download", "the host answered " + rc);
    if (this.ph === PH_QUERY) this.listReplied(f62);
    else if (this.ph === PH_LOAD) this.itemReplied(f62);
    else if (this.ph === PH_END) {
      this.st.commit();
      this.ph = PH_DONE;
    }
  }

  private listReplied(f62: string | undefined): void {
    if (f62 === undefined) fail("download", "list reply without field 62");
    const b = fromHex(f62);
    const status = statusOf(b);
    if (status !== ST_NONE) this.addListed(tlvList(b, 1));
    this.rounds++;
    if (status === ST_MORE && this.rounds < MAX_QUERY_ROUNDS) return;
    if (status === ST_MORE) fail("download", "the host's list did not end within " + MAX_QUERY_ROUNDS + " queries");
    if (status !== ST_NONE && status !== ST_LAST) fail("download", "list status " + status + " not 0, 1 or 2");
    this.ph = this.listed.length > 0 ? PH_LOAD : PH_END;
  }

  private addListed(list: NamedTlv[]): void {
    const most = this.kind === KIND_KEY ? MAX_CA_KEYS : MAX_AIDS;
    for (let i = 0; i < list.length; i++) {
      if (list[i].tag !== "9F06") continue;
      let name = "9F06" + hexLen(list[i].hex) + list[i].hex;
      if (this.kind === KIND_KEY) {
        const idx = i + 1 < list.length && list[i + 1].tag === "9F22" ? list[i + 1].hex : "";
        if (idx.length !== 2) fail("download", "CA key list entry without a one-byte 9F22 index");
        name = name + "9F2201" + idx;
      }
      if (this.listed.length >= most) fail("download", "the host lists more than " + most + (this.kind === KIND_KEY ? " CA keys" : " AIDs"));
      this.listed.push(name);
    }
  }

  private itemReplied(f62: string | undefined): void {
    if (f62 === undefined) fail("download", "download reply without field 62");
    const b = fromHex(f62);
    const status = statusOf(b);
    if (status === ST_LAST || status === ST_MORE) {
      const body = slice(b, 1, len(b) - 1);
      const got = tlvList(body, 0);
      const want = tlvList(fromHex(this.listed[this.at]), 0);
      for (let i = 0; i < want.length; i++) {
        if (valueOf(got, want[i].tag) !== want[i].hex) fail("download", "reply names " + want[i].tag + " " + String(valueOf(got, want[i].tag)) + ", asked " + want[i].hex);
      }
      if (this.kind === KIND_KEY) {
        const bad = caKeyCheckProblem(got);
        if (bad.length > 0) fail("download", bad + "; not stored");
      }
      this.st.add(this.kind, body);
    } else this.missing++;
    this.at++;
    if (this.at >= this.listed.length) this.ph = PH_END;
  }
}

function hexLen(hex: string): string {
  const b = alloc(1);
  set(b, 0, Math.floor(hex.length / 2) & 255);
  return toHex(b);
}
