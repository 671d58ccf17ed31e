// Drives the emulator page in Debian's Chromium (playwright-core; never a downloaded browser):
// one browser for every scenario, a fresh emulator server (and flash image) per scenario,
// every WebSocket frame kept so the tests can search the traffic for card data.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium, BrowserContext, Page } from "playwright-core";
import { RunningEmulator, startEmulator } from "../../cli/emulator/server";
import { ROOT } from "../../cli/paths";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** Screenshots of the scenarios' states. */
export const SHOTS = path.join(ROOT, "build", "test-output", "emulator");

export interface Frame { dir: "sent" | "received"; payload: string | Buffer }

let ctx: BrowserContext | undefined = undefined;
let userDir = "";

/** The one browser of the run; a missing Chromium is an error, never a skip. */
export async function browser(): Promise<BrowserContext> {
  if (ctx !== undefined) return ctx;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the emulator's browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it`);
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-chromium-"));
  ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  return ctx;
}

export async function closeBrowser(): Promise<void> {
  if (ctx !== undefined) await ctx.close();
  ctx = undefined;
  if (userDir !== "") fs.rmSync(userDir, { recursive: true, force: true });
}

/** One scenario: its own server and image, one page, the page's WebSocket traffic. */
export class Bench {
  em!: RunningEmulator;
  page!: Page;
  traffic: Frame[] = [];
  errors: string[] = [];
  image = "";

  static async open(name: string): Promise<Bench> {
    const b = new Bench();
    b.image = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "posrt-emu-")), name + ".img");
    b.em = await startEmulator({ port: 0, host: "127.0.0.1", image: b.image, acquirer: "embedded" });
    b.page = await (await browser()).newPage();
    b.page.on("pageerror", (e) => b.errors.push(e.message));
    b.page.on("websocket", (ws) => {
      ws.on("framesent", (f) => b.traffic.push({ dir: "sent", payload: f.payload }));
      ws.on("framereceived", (f) => b.traffic.push({ dir: "received", payload: f.payload }));
    });
    return b;
  }

  /** A new server on a new erased image, the page loaded from it (a terminal fresh from the factory). */
  async fresh(): Promise<void> {
    await this.em.close();
    fs.rmSync(this.image, { force: true });
    this.em = await startEmulator({ port: 0, host: "127.0.0.1", image: this.image, acquirer: "embedded" });
    await this.load();
  }

  /** Runs `code` in the page (the tests are compiled without the DOM library). */
  run<T>(code: string): Promise<T> {
    return this.page.evaluate(code) as Promise<T>;
  }

  /** Loads (or reloads) the page; resolves to its load-to-ready time in ms. */
  async load(reload = false): Promise<number> {
    if (reload) await this.page.reload();
    else await this.page.goto(this.em.url);
    await this.page.waitForFunction("document.body.dataset.ready === '1'", undefined, { timeout: 15000 });
    return this.page.evaluate("window.posrtReadyMs") as Promise<number>;
  }

  display(): Promise<string> {
    return this.page.getByRole("region", { name: "display" }).innerText();
  }

  /** Waits until the display shows `text` (real time). */
  async waitDisplay(text: string, timeout = 10000): Promise<void> {
    await this.page.waitForFunction(`document.getElementById("display").innerText.includes(${JSON.stringify(text)})`, undefined, { timeout })
      .catch(async () => { throw new Error(`display never showed "${text}"; it shows:\n${await this.display()}\nconsole:\n${await this.page.locator("#view-console").textContent()}`); });
  }

  /**
   * Waits for `condition` (page JavaScript), moving the board clock on a second at a time (as
   * a script's `wait`), up to `max_s` board seconds: timeouts of the device pass quickly.
   */
  async until(condition: string, max_s = 70): Promise<void> {
    for (let i = 0; i < max_s; i++) {
      if (await this.run<boolean>(`!!(${condition})`)) return;
      await this.run("posrtBoard.advance(1000)");
      await this.page.waitForTimeout(20);
    }
    if (!(await this.run<boolean>(`!!(${condition})`))) throw new Error(`still not true after ${max_s} s of board time: ${condition}`);
  }

  async shot(name: string): Promise<string> {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, name + ".png");
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async close(): Promise<void> {
    await this.page.close();
    await this.em.close();
    fs.rmSync(path.dirname(this.image), { recursive: true, force: true });
  }
}

/** The PAN as digits and as BCD bytes (how field 2 carries it). */
function panForms(pan: string): Buffer[] {
  return [Buffer.from(pan, "latin1"), Buffer.from(pan.length % 2 === 0 ? pan : pan + "0", "hex")];
}

/**
 * Where `pan` shows in the traffic: in text frames as text, and inside every base64 value of
 * their JSON (decoded: sealed link data must not hold it either), in binary frames as text or BCD.
 */
export function panInTraffic(traffic: Frame[], pan: string): string[] {
  const forms = panForms(pan);
  const found: string[] = [];
  const scan = (b: Buffer, where: string) => { if (forms.some((f) => b.includes(f))) found.push(where); };
  traffic.forEach((f, i) => {
    if (typeof f.payload !== "string") return scan(f.payload, `${f.dir} #${i} (binary)`);
    if (f.payload.includes(pan)) found.push(`${f.dir} #${i} (text)`);
    for (const m of f.payload.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)) scan(Buffer.from(m[1], "base64"), `${f.dir} #${i} (base64 value)`);
  });
  return found;
}
