// `posrt emulator`'s server: serves the page and its assets (all local, no CDN), the device
// bundle exactly as built for the boards, and one WebSocket per page that carries the board's
// flash writes (into the image file), its network connections (encrypted, to the acquirer),
// power and network switches, and back the side views (journal, books, wire log).
import { devConfigFiles } from "../device/dev-config";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { AddressInfo } from "net";
import { ROOT, DIST } from "../paths";
import { errorText } from "../../src/errors";
import { FAULT_KINDS, FaultKind } from "../acquirer/faults";
import { FlashImage, FLASH_BASE, FLASH_CHIP_BYTES, FLASH_PAGE_BYTES, IMAGE_BYTES } from "./image";
import { Network } from "./network";
import { Board } from "./board";
import { pageLibrary, pageProfile } from "./page-lib";

/** The port in the board's configuration: the page's link reaches the emulator's acquirer whatever it names. */
const EMULATOR_ACQUIRER_PORT = 8583;

/** The device bundle the boards run (firmware/dist/espruino/posrt.js, byte for byte). */
export const DEVICE_BUNDLE = path.join(DIST, "espruino", "posrt.js");
export const WEB_DIR = path.join(ROOT, "cli", "emulator", "web");
export const BROWSER_HAL_DIR = path.join(ROOT, "hal", "browser");
/** The page's own scripts, in load order (served together as /page.js). */
export const PAGE_SCRIPTS = ["escpos.js", "board.js", "views.js", "player.js", "ui.js"];

export interface EmulatorOptions {
  port: number;
  host: string;
  image: string;
  acquirer: string;
  seed?: number;
  log?: (line: string) => void;
}

export interface RunningEmulator {
  url: string;
  port: number;
  image: FlashImage;
  network: Network;
  board: () => Board | undefined;
  close: () => Promise<void>;
}

const TYPES: { [ext: string]: string } = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json",
};

/** Static files: name in the URL → file on disk. Nothing else is served. */
function staticFiles(): { [url: string]: string } {
  const files: { [url: string]: string } = { "/": path.join(WEB_DIR, "index.html") };
  for (const f of fs.readdirSync(WEB_DIR)) if (!PAGE_SCRIPTS.includes(f)) files["/" + f] = path.join(WEB_DIR, f);
  files["/espruino.js"] = path.join(BROWSER_HAL_DIR, "espruino.js");
  files["/posrt.js"] = DEVICE_BUNDLE;
  return files;
}

interface WsModule {
  WebSocketServer: new (o: { noServer: boolean; maxPayload: number }) => WsServer;
}
export interface WsServer {
  handleUpgrade(req: http.IncomingMessage, socket: unknown, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}
export interface WsSocket {
  send(data: string | Buffer): void;
  close(): void;
  terminate(): void;
  on(ev: "message", fn: (data: Buffer, isBinary: boolean) => void): void;
  on(ev: "close", fn: () => void): void;
  readyState: number;
}

/** Starts the server; resolves once it listens. */
export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  if (!fs.existsSync(DEVICE_BUNDLE)) throw new Error(`no device bundle at ${DEVICE_BUNDLE}: run "npm run build" (node scripts/build.js es5) first`);
  const log = o.log ?? (() => undefined);
  const image = FlashImage.open(o.image);
  let board: Board | undefined = undefined;
  const network = new Network({
    acquirer: o.acquirer, seed: o.seed ?? 1, log,
    onWire: (dir, frame) => board?.wire(dir, frame),
    onRequest: (frame) => board !== undefined && board.requestLeft(frame),
  });
  const files = staticFiles();
  const profile = pageProfile({ files: devConfigFiles(EMULATOR_ACQUIRER_PORT), flash_base: FLASH_BASE, flash_bytes: IMAGE_BYTES, flash_chip_bytes: FLASH_CHIP_BYTES, page_bytes: FLASH_PAGE_BYTES, acquirer: network.describe(), embedded: network.faulty !== undefined, faults: [...FAULT_KINDS], image: image.file });
  // the page's scripts in one response: the portable library, then the page's own files
  const pageJs = [pageLibrary(), ...PAGE_SCRIPTS.map((f) => fs.readFileSync(path.join(WEB_DIR, f), "utf8"))].join("\n;\n");
  const server = http.createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    if (url === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (url === "/page.js") {
      res.writeHead(200, { "content-type": TYPES[".js"], "cache-control": "no-store" }).end(pageJs);
      return;
    }
    const file = files[url];
    if (file === undefined || !fs.existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: " + url);
      return;
    }
    // revalidated on every use (ETag from size and time), so a rebuilt bundle is never stale
    const st = fs.statSync(file);
    const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag, "cache-control": "no-cache" }).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-cache", etag, "content-length": st.size });
    fs.createReadStream(file).pipe(res);
  });
  const WS = require("ws") as WsModule;
  const clients = new Set<WsSocket>();
  const wss = new WS.WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on("upgrade", (req, socket, head) => {
    if ((req.url ?? "") !== "/ws") {
      (socket as { destroy: () => void }).destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on("close", () => clients.delete(ws));
      // one board at a time: a new page takes over the flash and the network
      if (board !== undefined) board.replace();
      const b = new Board({ ws, image, network, log, profile, forceFault: (k: FaultKind) => network.faulty?.force(k) });
      board = b;
      ws.on("close", () => {
        b.gone();
        if (board === b) board = undefined;
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = o.host.includes(":") ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}/`, port, image, network, board: () => board,
    close: () => new Promise<void>((done) => {
      network.closeAll();
      board?.gone();
      for (const c of clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => {
        image.close();
        done();
      });
    }),
  };
}

export function describeError(e: unknown): string {
  return errorText(e);
}
