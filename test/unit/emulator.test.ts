// posrt emulator without a browser: the command (URL, Ctrl-C, bad input), the flash image
// file, the encrypted link channel, the wire log's masking, and posrt demo.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { LinkChannel } from "../../cli/emulator/channel";
import { FlashImage, FLASH_BASE, IMAGE_BYTES } from "../../cli/emulator/image";
import { wireEntry } from "../../cli/emulator/views";
import { DEVICE_BUNDLE } from "../../cli/emulator/server";
import { packWire } from "../../src/iso8583/index";
import { Bytes } from "../../src/bytes/index";
import * as vm from "vm";
import { pageLibrary, pageProfile } from "../../cli/emulator/page-lib";
import { TEST_CARDS } from "../../src/app/cards";

const BIN = path.resolve(__dirname, "..", "..", "..", "..", "bin", "posrt.js");
const PAN = "6214830000000009";

function tmp(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "posrt-emu-")), name);
}

function get(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    }).on("error", reject);
  });
}

test("posrt emulator prints its URL, serves the device bundle byte-identical, stops cleanly on Ctrl-C", async () => {
  const image = tmp("flash.img");
  const proc = spawn(process.execPath, [BIN, "emulator", "--port", "0", "--image", image]);
  let out = "";
  proc.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m !== null) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`posrt emulator exited ${code}: ${out}`)));
  });
  const served = await get(url + "posrt.js");
  assert.is(served.status, 200);
  const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
  assert.is(sha(served.body), sha(fs.readFileSync(DEVICE_BUNDLE)), "the page gets the device build, byte for byte");
  const page = await get(url);
  assert.ok(page.body.toString().includes('aria-label="display"'));
  assert.not.match(page.body.toString(), /https?:\/\/(?!127\.0\.0\.1)/, "no asset from elsewhere (no CDN)");
  assert.is((await get(url + "nothing-here")).status, 404);
  assert.is(fs.statSync(image).mode & 0o777, 0o600, "the flash image is created 0600");
  assert.is(fs.statSync(image).size, IMAGE_BYTES);
  proc.removeAllListeners("exit");
  const code = await new Promise<number | null>((resolve) => {
    proc.on("exit", (c) => resolve(c));
    proc.kill("SIGINT");
  });
  assert.is(code, 0, out);
  assert.match(out, /stopping/);
});

test("posrt emulator: bad options and a foreign image are one-line errors, the file is untouched", () => {
  const bad = spawnSync(process.execPath, [BIN, "emulator", "--acquirer", "nowhere"], { encoding: "utf8" });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /--acquirer must be embedded or HOST:PORT/);
  const port = spawnSync(process.execPath, [BIN, "emulator", "--port", "70000"], { encoding: "utf8" });
  assert.is(port.status, 2);
  const image = tmp("small.img");
  fs.writeFileSync(image, Buffer.alloc(1000, 7));
  const r = spawnSync(process.execPath, [BIN, "emulator", "--port", "0", "--image", image], { encoding: "utf8", timeout: 20000 });
  assert.is(r.status, 1);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /1000 bytes, an emulator image is/);
  assert.equal(fs.readFileSync(image), Buffer.alloc(1000, 7));
});

test("flash image: NOR rules (program clears bits, erase sets a page to FF) written through to the file", () => {
  const file = tmp("nor.img");
  const img = FlashImage.open(file);
  assert.ok(img.program(FLASH_BASE + 4096 + 8, new Uint8Array([0xf0, 0x0f])));
  assert.ok(img.program(FLASH_BASE + 4096 + 8, new Uint8Array([0x3c, 0xff])));
  assert.not.ok(img.program(FLASH_BASE - 4, new Uint8Array([0])), "outside the image");
  assert.not.ok(img.program(FLASH_BASE + IMAGE_BYTES - 1, new Uint8Array([0, 0])));
  let disk = fs.readFileSync(file);
  assert.equal([disk[4096 + 8], disk[4096 + 9]], [0x30, 0x0f]);
  assert.ok(img.erase(FLASH_BASE + 4096 + 100));
  disk = fs.readFileSync(file);
  assert.equal([disk[4096 + 8], disk[4096 + 9]], [0xff, 0xff]);
  assert.ok(img.program(FLASH_BASE + 3 * 4096, new Uint8Array([1, 2, 0xff, 3])));
  const sparse = img.sparse();
  assert.equal([...sparse], [0, 0, 0x30, 0, 0, 0, 0, 4, 1, 2, 0xff, 3], "one segment: offset, length, bytes");
  img.close();
  const again = FlashImage.open(file);
  assert.is(again.bytes[4096 + 8], 0xff);
  again.close();
});

test("link channel: ECDH + AES-GCM round trip; a changed byte is refused", () => {
  const a = new LinkChannel();
  const b = new LinkChannel();
  a.agree(b.publicKey);
  b.agree(a.publicKey);
  const msg = Buffer.from(PAN);
  const sealed = a.seal(msg);
  assert.not.ok(sealed.includes(msg), "no clear text inside");
  assert.equal(b.open(sealed), msg);
  sealed[sealed.length - 20] ^= 1;
  assert.throws(() => b.open(sealed));
});

test("wire log: a sale request decoded field by field, PAN, track 2 and card data in field 55 masked", () => {
  const icc = "5A0862148300000000099F2608A1B2C3D4E5F60102";
  const frame = packWire("cup", { mti: "0200", fields: { "2": PAN, "3": "000000", "4": "000000001234", "11": "000042", "35": PAN + "D30121010000", "41": "DEV00001", "42": "DEVMERCHANT0001", "55": icc } }, { tpdu: "6000030000", header: "603100000000" });
  const e = wireEntry(1, "out", frame as unknown as Uint8Array);
  assert.is(e.mti, "0200");
  assert.is(e.stan, "000042");
  const text = JSON.stringify(e);
  assert.not.ok(text.includes(PAN), text);
  assert.not.ok(text.includes("30121010000"), "no track data");
  const f2 = e.fields.find((f) => f.no === 2);
  assert.is(f2?.value, "621483******0009");
  const f55 = e.fields.find((f) => f.no === 55);
  assert.ok(f55?.tree !== undefined && f55.tree.some((n) => n.tag === "5A" && n.value === "621483******0009"), JSON.stringify(f55));
  assert.ok(f55?.tree?.some((n) => n.tag === "9F26" && n.value === "A1B2C3D4E5F60102"));
  const bad = wireEntry(2, "in", new Uint8Array([0, 3, 1, 2, 3]) as unknown as Uint8Array);
  assert.match(bad.error ?? "", /undecodable/);
  void (frame as Bytes);
});

test("page library: the script parser of posrt terminal, and no card number in it or the profile", () => {
  const lib = pageLibrary();
  const g: { posrtPage?: { parseScript: (t: string) => { k: string; arg: string }[] } } = {};
  vm.runInNewContext(lib, g);
  const steps = g.posrtPage!.parseScript("# sale\nkeys 12\nswipe debit\nexpect APPROVED");
  assert.is(JSON.stringify(steps.map((s) => s.k + " " + s.arg)), JSON.stringify(["key 1", "key 2", "swipe debit", "expect APPROVED"]));
  const profile = JSON.stringify(pageProfile({ files: {}, flash_base: 0, flash_bytes: 0, flash_chip_bytes: 0, page_bytes: 0, acquirer: "", embedded: true, faults: [], image: "" }));
  for (const c of TEST_CARDS) {
    assert.not.ok(lib.includes(c.pan) || profile.includes(c.pan), c.name);
    assert.ok(profile.includes(`"name":"${c.name}"`));
  }
});

test("posrt demo: the narrated demo day", () => {
  const r = spawnSync(process.execPath, [BIN, "demo"], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /End of the demo day/);
  assert.not.ok(r.stdout.includes(PAN));
});

test.run();
