// Working keys of the acquirer simulator: sign-in hands out a key set, MACs are checked under
// the keys in use or a pending set. A sign-in (which carries no MAC, so anyone can send one)
// never takes the keys in use away: they stay valid until the terminal proves it holds the new
// ones by MAC'ing a request under them. Repeated sign-ins before that get the same pending set,
// so a stranger's sign-in cannot displace the keys the real terminal just installed.
import { fromHex, toHex } from "../../src/bytes/index";
import { IsoMessage, macInput } from "../../src/iso8583/index";
import { TdesKey, macBy, MAC_X919, tdesKey, KEY_SCHEME_DOUBLE_TRACK, KEY_SCHEME_SINGLE } from "../../src/crypto/index";
import { Rng } from "./rng";
import { KeySet, TerminalState } from "./types";
import { SPEC } from "./wire";

/** Most expanded MAC keys kept in the cache before it is cleared. */
export const MAX_CACHED_KEYS = 100000;

export class KeyDesk {
  private cache = new Map<string, TdesKey>();

  /** `macAlgo`: the field 64 algorithm of this acquirer's profile ("x919" or "cup-ecb"). */
  constructor(private rng: Rng, private macAlgo: string = MAC_X919, private spec: string = SPEC) {}

  /** True once the terminal holds keys in use or pending. */
  signedIn(term: TerminalState): boolean {
    return term.mak !== "" || term.pending.length > 0;
  }

  /** The key set a sign-in under `scheme` hands out: the pending one of that scheme, else a new one. */
  issue(term: TerminalState, scheme: string): KeySet {
    const waiting = term.pending.find((k) => k.scheme === scheme);
    if (waiting !== undefined) return waiting;
    const n = scheme === KEY_SCHEME_SINGLE ? 8 : 16;
    const pik = toHex(this.rng.bytes(n) as never);
    const mak = toHex(this.rng.bytes(n) as never);
    const tdk = toHex(this.rng.bytes(16) as never);
    const set: KeySet = { scheme, pik, mak, tdk: scheme === KEY_SCHEME_DOUBLE_TRACK ? tdk : "" };
    term.pending.push(set);
    return set;
  }

  /**
   * True when the request's MAC (field 64) verifies under the keys in use or a pending set;
   * a pending set that verifies becomes the keys in use and every other pending set is dropped.
   */
  verify(term: TerminalState, msg: IsoMessage): boolean {
    const mac = msg.fields["64"];
    if (mac === undefined) return false;
    const input = macInput(this.spec, msg);
    if (term.mak !== "" && toHex(macBy(this.macAlgo, this.key(term.mak), input)) === mac) return true;
    for (const set of term.pending) {
      if (toHex(macBy(this.macAlgo, this.key(set.mak), input)) !== mac) continue;
      term.scheme = set.scheme;
      term.pik = set.pik;
      term.mak = set.mak;
      term.tdk = set.tdk;
      term.pending = [];
      return true;
    }
    return false;
  }

  /** The MAC of `msg` under the terminal's keys in use. */
  mac(term: TerminalState, msg: IsoMessage): string {
    return toHex(macBy(this.macAlgo, this.key(term.mak), macInput(this.spec, msg)));
  }

  /** The expanded key of `hex` (cached). */
  private key(hex: string): TdesKey {
    let k = this.cache.get(hex);
    if (k === undefined) {
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      k = tdesKey(fromHex(hex));
      this.cache.set(hex, k);
    }
    return k;
  }
}
