// Interactive `posrt terminal`: the screen drawn in place, keys from the keyboard; ":" opens
// a script line (e.g. ":swipe debit"). The virtual clock follows real time.
import * as readline from "readline";
import { Session } from "../../src/app/session";
import { parseScript } from "../../src/app/script";
import { runStep } from "../../src/app/run-script";
import { errorText } from "../../src/errors";

const HELP = "keys: 0-9 . enter | Esc cancel | Backspace back | Del clear | arrows up/down | : script line | Ctrl-C quit";
const STEP_MS = 100;

function draw(s: Session, line: string, note: string): void {
  const rows = s.screen();
  const out = ["\x1b[H\x1b[2J+" + "-".repeat(21) + "+"];
  for (const r of rows) out.push("|" + r + "|");
  out.push("+" + "-".repeat(21) + "+", HELP, note, line.length > 0 ? ":" + line : "");
  process.stdout.write(out.join("\n") + "\n");
}

function keyOf(str: string | undefined, k: readline.Key): string {
  if (k.name === "return" || k.name === "enter") return "enter";
  if (k.name === "escape") return "cancel";
  if (k.name === "backspace") return "back";
  if (k.name === "delete") return "clear";
  if (k.name === "up" || k.name === "down") return k.name;
  if (k.name !== undefined && /^f[1-4]$/.test(k.name)) return k.name;
  if (str !== undefined && /^[0-9.]$/.test(str)) return str;
  return "";
}

export function interactive(s: Session): Promise<void> {
  return new Promise((resolve) => {
    let line: string | undefined = undefined;
    let note = "";
    readline.emitKeypressEvents(process.stdin);
    process.stdin.setRawMode(true);
    const timer = setInterval(() => {
      s.advance(STEP_MS);
      draw(s, line ?? "", note);
    }, STEP_MS);
    const stop = () => {
      clearInterval(timer);
      process.stdin.setRawMode(false);
      process.stdin.pause();
      resolve();
    };
    process.stdin.on("keypress", (str: string | undefined, k: readline.Key) => {
      if (k.ctrl === true && k.name === "c") return stop();
      if (line !== undefined) {
        if (k.name === "return") {
          try {
            note = "";
            for (const st of parseScript(line)) {
              if (!runStep(s, st)) {
                note = `expect: "${st.arg}" did not show`;
                break;
              }
            }
          } catch (e) {
            note = errorText(e);
          }
          line = undefined;
        } else if (k.name === "escape") line = undefined;
        else if (k.name === "backspace") line = line.slice(0, -1);
        else if (str !== undefined) line += str;
      } else if (str === ":") line = "";
      else {
        const key = keyOf(str, k);
        if (key !== "") s.key(key);
      }
      draw(s, line ?? "", note);
    });
    draw(s, "", "");
  });
}
