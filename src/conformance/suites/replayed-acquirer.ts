// An acquirer that answers with recorded replies, in order ("" = no reply): the app suites
// replay the conversation the generator recorded against the acquirer simulator.
import { Bytes, fromHex } from "../../bytes/index";

export function replayedAcquirer(replies: string[]): (this: void, frame: Bytes, t_ms: number) => Bytes | undefined {
  let next = 0;
  return (frame: Bytes, t_ms: number): Bytes | undefined => {
    const r = next < replies.length ? replies[next] : "";
    next++;
    return r === "" ? undefined : fromHex(r);
  };
}
