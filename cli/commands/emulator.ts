import { spawn } from "child_process";
import { Command } from "./command";
import { UsageError, flagBool, flagInt, flagString, parseArgs } from "../args";
import { startEmulator } from "../emulator/server";
import { DEFAULT_IMAGE } from "../emulator/image";

export const DEFAULT_PORT = 8080;

const USAGE = `usage: posrt emulator [--port ${DEFAULT_PORT}] [--host 127.0.0.1] [--image FILE] [--acquirer embedded|HOST:PORT] [--open]

The countertop terminal in a browser page: the device bundle the boards run
(firmware/dist/espruino/posrt.js) executes in the page on browser stand-ins of the Espruino
built-ins; display, keypad, card reader and printer are page elements. Prints the URL;
Ctrl-C stops it.
  --port P        listen port (default ${DEFAULT_PORT}; 0 = any free port)
  --host H        listen address (default 127.0.0.1)
  --image FILE    the board's flash (journal), kept between runs and reloads
                  (default ${DEFAULT_IMAGE}, created erased, mode 0600)
  --acquirer A    embedded: the acquirer simulator in-process (default, with its fault
                  panel and books); HOST:PORT: a running "posrt acquirer"
  --open          open the page in the desktop's browser (xdg-open)`;

export const emulator: Command = {
  name: "emulator",
  summary: "the terminal in a browser page, running the device bundle (npm start)",
  usage: USAGE,
  async run(argv) {
    const p = parseArgs(argv, { values: ["--port", "--host", "--image", "--acquirer"], booleans: ["--open"] });
    if (p.positional.length > 0) throw new UsageError(`unexpected argument "${p.positional[0]}"`);
    const port = flagInt(p, "--port", DEFAULT_PORT);
    if (port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
    const acquirer = flagString(p, "--acquirer", "embedded");
    if (acquirer !== "embedded" && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(acquirer)) throw new UsageError(`--acquirer must be embedded or HOST:PORT, got "${acquirer}"`);
    let em;
    try {
      em = await startEmulator({ port, host: flagString(p, "--host", "127.0.0.1"), image: flagString(p, "--image", DEFAULT_IMAGE), acquirer, log: (l) => console.log(l) });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "EADDRINUSE") console.error(`posrt emulator: port ${port} is in use (try --port 0 or another port)`);
      else if (err.name === "PosrtError" || err instanceof Error) console.error(`posrt emulator: ${err.message}`);
      return 1;
    }
    console.log(`posrt emulator: ${em.url}  (flash image ${em.image.file}, ${em.network.describe()}; Ctrl-C stops)`);
    if (flagBool(p, "--open")) spawn("xdg-open", [em.url], { stdio: "ignore", detached: true }).on("error", (e) => console.error(`posrt emulator: --open: ${e.message}`)).unref();
    const running = em;
    return new Promise<number>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        console.log("posrt emulator: stopping");
        running.close().then(() => resolve(0));
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  },
};
