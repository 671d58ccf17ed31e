// `posrt sim --trace FILE`: the simulation's event trace, one JSON object a line, for people to
// read. Cards and frames are redacted (PAN masked; track, PIN block, ICC data and keys left out)
// and the file is created with mode 0600. It is not replayable on purpose (the frames are
// incomplete): `posrt sim --seed N` replays a run exactly.
import * as fs from "fs";
import { redactCard, redactFrame, CardLike } from "../acquirer/redact";

/** Most trace lines written (the sim's own bound on events is lower). */
export const MAX_TRACE_LINES = 10000000;

/** One trace line (as the sim records it) made safe to store. */
export function redactTraceLine(line: string): string {
  const o = JSON.parse(line) as { op?: { card?: CardLike }; data?: string; [k: string]: unknown };
  if (o.op !== undefined && o.op.card !== undefined) o.op = { ...o.op, card: redactCard(o.op.card) as unknown as CardLike };
  if (typeof o.data === "string") {
    const frame = new Uint8Array(Buffer.from(o.data, "hex"));
    delete o.data;
    o.frame = redactFrame(frame);
  }
  return JSON.stringify(o);
}

/** Writes the redacted trace to `file` (mode 0600, also when the file existed). */
export function writeTraceFile(file: string, lines: string[]): void {
  if (lines.length > MAX_TRACE_LINES) throw new Error(`trace: ${lines.length} lines, more than ${MAX_TRACE_LINES}`);
  const fd = fs.openSync(file, "w", 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    for (const l of lines) fs.writeSync(fd, redactTraceLine(l) + "\n");
  } finally {
    fs.closeSync(fd);
  }
}
