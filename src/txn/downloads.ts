// Chip-card parameter and CA-public-key downloads after a sign-in. The host asks for one in the
// processing-requirement digit of a reply's message header (the 6th of its 12 digits: "4"
// update CA public keys, "5" download chip parameters); a download cut short earlier (power
// lost, no reply) is restarted too. The reply to a download's "end" may ask for the next one,
// so keys and parameters follow each other. The sign-in operation finishes when they are done;
// a download that stops is reported and runs again at the next sign-in (nothing half-done is kept).
import { errorText } from "../errors";
import { HostMessage } from "../host/codec";
import { RX_OK, Verdict } from "../host/exchange";
import { Download } from "../params/download";
import { KIND_AID, KIND_KEY } from "../params/store";
import { pad } from "../text/digits";
import { downloadRequest } from "./messages";
import { EngineState, X_DOWNLOAD, display, finishOp, send } from "./engine-state";
import { proceed } from "./queue";

/** Downloads started for one sign-in at most (keys, parameters, and a repeat of each). */
export const MAX_DOWNLOADS_PER_SIGNIN = 4;
/** Processing-requirement digits of the message header (index 5 of its 12 hex digits). */
export const REQ_CA_KEYS = "4";
export const REQ_PARAMS = "5";

function kindName(kind: number): string {
  return kind === KIND_KEY ? "CA key" : "chip parameter";
}

/**
 * The download to run: one cut short before comes first (the host may already count it as
 * done: its "end" arrived before the cut), else the one the header `hdr` asks for; 0 for none.
 */
function wanted(s: EngineState, hdr: string | undefined): number {
  const st = s.params;
  if (st === undefined) return 0;
  const cut = st.interruptedKind();
  if (cut !== 0) return cut;
  const c = hdr === undefined || hdr.length < 6 ? "" : hdr.charAt(5);
  if (c === REQ_CA_KEYS) return KIND_KEY;
  if (c === REQ_PARAMS) return KIND_AID;
  return 0;
}

/** Starts the download `hdr` asks for (or one cut short); false when there is none to run. */
export function startDownloads(s: EngineState, hdr: string | undefined): boolean {
  const kind = wanted(s, hdr);
  if (kind === 0 || s.params === undefined) return false;
  if (s.dlRounds >= MAX_DOWNLOADS_PER_SIGNIN) {
    s.dlNote = s.dlNote + "; host still asks for a " + kindName(kind) + " download after " + MAX_DOWNLOADS_PER_SIGNIN;
    return false;
  }
  s.dlRounds++;
  try {
    s.dl = new Download(s.params, kind);
  } catch (e) {
    s.dlNote = s.dlNote + "; " + kindName(kind) + " download not started: " + errorText(e);
    return false;
  }
  display(s, "downloading " + kindName(kind) + "s");
  sendNext(s);
  return true;
}

function sendNext(s: EngineState): void {
  const r = (s.dl as Download).request();
  if (r === undefined) return;
  send(s, downloadRequest(s.cfg, s.j.batch(), r.mti, r.net, r.f62), X_DOWNLOAD, false);
}

/** A reply (or none) to a download exchange. */
export function downloadReplied(s: EngineState, v: Verdict, code: string): void {
  const dl = s.dl;
  if (dl === undefined) return;
  if (v.k !== RX_OK) return stopped(s, dl, "no valid reply (" + v.why + ")");
  try {
    dl.reply(code, (v.msg as HostMessage).fields["62"]);
  } catch (e) {
    return stopped(s, dl, errorText(e));
  }
  if (!dl.done()) return sendNext(s);
  s.dl = undefined;
  s.dlNote = s.dlNote + "; " + dl.count() + " " + kindName(dl.kind) + (dl.count() === 1 ? "" : "s") + " stored" + (dl.missing > 0 ? " (" + dl.missing + " listed but not sent)" : "");
  if (startDownloads(s, v.hdr)) return;
  signInDone(s);
}

function stopped(s: EngineState, dl: Download, why: string): void {
  s.dl = undefined;
  s.dlNote = s.dlNote + "; " + kindName(dl.kind) + " download stopped: " + why + " — it runs again at the next sign-in";
  signInDone(s);
}

/** Ends the sign-in operation (downloads done or stopped) and goes on with the queue. */
export function signInDone(s: EngineState): void {
  display(s, "signed in — batch " + pad(s.j.batch(), 6) + s.dlNote);
  finishOp(s, true, "00", "signed in" + s.dlNote);
  proceed(s);
}
