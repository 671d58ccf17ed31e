// The acquirer profile in the board's configuration (issue 12): the NodeMCU firmware on the capped
// Lua host, its posrt.cfg carrying profiles/cup-ecb-gbk.json, signs in and makes one approved sale
// against the acquirer simulator speaking the same profile (UnionPay ECB MAC in ASCII hex, its TPDU
// and header, field 22 right-aligned, field 14 left out, GBK text in 44 and 63 of the approval).
// A board without the profile cannot talk to that host, and the configuration refuses a bad profile.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runDeviceScript } from "../../cli/device/run";
import { luaHost } from "../../cli/device/lua-host";
import { NODEMCU_HEAP_CAP_BYTES } from "../../cli/device/lua-session";
import { devConfig } from "../../cli/device/dev-config";
import { configText, parseConfig, profileOf } from "../../firmware/device/config";
import { readConfigFile } from "../../cli/commands/flash";

const ROOT = path.resolve(__dirname, "../../../..");
const CUP = path.join(ROOT, "profiles/cup-ecb-gbk.json");

/** Sign on, sign in, one sale of 12.34 on the debit test card. */
const SCRIPT = [
  "expect POWER ON", "key enter", "keys 01", "key enter", "keys 0000", "key enter", "expect enter: menu",
  "key enter", "key 9", "key 1", "expect Signed in with the", "key enter", "key cancel", "expect enter: menu",
  "key enter", "key 1", "expect Amount", "keys 1234", "key enter", "expect Swipe, insert or tap", "swipe debit",
  "expect Enter PIN", "keys 1234", "key enter", "expect Tear off the", "key enter", "expect enter: menu", "",
].join("\n");

function scriptFile(): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "posrt-devprofile-")), "sale.posrt");
  fs.writeFileSync(f, SCRIPT);
  return f;
}

test("configuration record: the profile goes in on one line, CRC-checked, and comes back as the same profile", () => {
  const json = JSON.stringify(JSON.parse(fs.readFileSync(CUP, "utf8")));
  const text = configText(devConfig(8583, json));
  assert.ok(text.indexOf("\nprofile={") > 0);
  const p = profileOf(parseConfig(text));
  assert.is(p?.name, "cup-ecb-gbk");
  assert.is(p?.mac, "cup-ecb");
  assert.is(p?.field22_align, "right");
  assert.is(profileOf(parseConfig(configText(devConfig(8583)))), undefined, "no profile: posrt's default");
  assert.ok(configText(devConfig(8583)).indexOf("profile") < 0, "a configuration without a profile is written as before");
  const edited = text.replace("\"cup-ecb\"", "\"x919\"");
  assert.throws(() => parseConfig(edited), /CRC mismatch/);
});

test("configuration: a bad profile is one clear line naming the key", () => {
  const bad = JSON.stringify({ ...JSON.parse(fs.readFileSync(CUP, "utf8")), mac_form: "binary" });
  assert.throws(() => configText(devConfig(8583, bad)), (e: Error) => e.message === "config: profile: \"mac_form\" of cup-ecb is \"ascii-hex\", got \"binary\"" && e.message.indexOf("\n") < 0);
  assert.throws(() => configText(devConfig(8583, "{\"name\":\"x\",\"colour\":1}")), /unknown key "colour"/);
  const long = JSON.parse(fs.readFileSync(CUP, "utf8"));
  long.name = "N".repeat(32);
  long.omit_fields = ["14", "23", "26"];
  long.reply_fields = { "59": { gbk_hex: "B9A4".repeat(300) }, "63": { gbk_hex: "B9A4".repeat(81) }, "44": { gbk_hex: "B9A4".repeat(12) } };
  const c = { ...devConfig(8583, JSON.stringify(long)), merchant: "M".repeat(40) };
  assert.throws(() => configText(c), (e: Error) => /^config: the configuration is \d+ characters, more than 2048 \(a shorter profile\)$/.test(e.message), "a valid profile too long for the record is refused when written, not at boot");
});

test("posrt flash --config FILE --profile FILE merges the profile file into the record", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-devprofile-"));
  const cfg = path.join(dir, "board.json");
  const { profile: _none, ...plain } = devConfig(8583);
  fs.writeFileSync(cfg, JSON.stringify(plain));
  assert.is(profileOf(parseConfig(readConfigFile(cfg, CUP)))?.name, "cup-ecb-gbk");
  fs.writeFileSync(cfg, JSON.stringify({ ...plain, profile: JSON.parse(fs.readFileSync(CUP, "utf8")) }));
  assert.is(profileOf(parseConfig(readConfigFile(cfg)))?.mac, "cup-ecb", "a \"profile\" object inside the configuration file");
  fs.writeFileSync(cfg, JSON.stringify({ ...plain, profile: { name: "x", mac: "md5" } }));
  assert.throws(() => readConfigFile(cfg), (e: Error) => /^--config .*board\.json: config: mac: unknown MAC algorithm "md5"/.test(e.message));
});

test("Lua host: the NodeMCU firmware with the cup-ecb-gbk profile signs in and makes an approved sale against the same profile", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const r = await runDeviceScript({ target: "lua", interpreter: h.bin!, script: scriptFile(), profile: CUP, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
  console.log(`  cup-ecb-gbk on the Lua host: data heap ${r.lua?.data_heap_bytes} bytes live, peak ${r.lua?.heap_peak_bytes} (code ${r.lua?.code_bytes})`);
  assert.ok(r.ok, `line ${r.line}: ${r.error} | ${r.screen.join(" | ")}`);
  assert.is(r.acquirer.approved, 1, "one approved sale");
  assert.is(r.acquirer.reversed, 0);
});

test("Lua host: a board without the profile does not get its sale through a cup-ecb-gbk host", async () => {
  const h = luaHost();
  assert.ok(h.bin !== undefined, "the Lua host cannot be built: " + h.error);
  const r = await runDeviceScript({ target: "lua", interpreter: h.bin!, script: scriptFile(), profile: CUP, board_profile: false, data_cap_bytes: NODEMCU_HEAP_CAP_BYTES });
  console.log(`  default board against a cup-ecb-gbk host: stops at line ${r.line}: ${r.error} | ${r.screen.join(" | ")}`);
  assert.ok(!r.ok, "the run must fail");
  assert.ok(r.screen.join(" ").indexOf("No valid reply (A0)") >= 0, "X9.19 against the host's ECB MAC: the MAC check fails (A0): " + r.screen.join(" | "));
  assert.is(r.acquirer.approved, 0);
});

test.run();
