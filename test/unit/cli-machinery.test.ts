// The command line as a newcomer meets it: --version, one-line errors with exit codes 0/1/2,
// input as argument, - or @FILE, output that survives a slow pipe, sweeps on worker threads
// giving the same result as one thread.
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import * as net from "net";
import { MAX_INPUT_BYTES } from "../../cli/args";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const BIN = path.join(ROOT, "bin", "posrt.js");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "posrt-cli-"));
const SIGN_IN = "003C6000030000603100000000080000200000" + "00C00012000001323032363131323638393833313030343831363030303100110000000100300003303031";

function posrt(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}

/** Asserts a one-line error on stderr, nothing on stdout, and the exit code. */
function oneLineError(args: string[], code: number, pattern: RegExp): void {
  const r = posrt(args);
  assert.is(r.status, code, `posrt ${args.join(" ")}: ${r.stderr}`);
  assert.is(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
}

test("posrt --version prints the package version", () => {
  const r = posrt(["--version"]);
  assert.is(r.status, 0);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  assert.is(r.stdout.trim(), `posrt ${pkg.version}`);
});

test("usage errors: one line, the command's --help named, exit 2", () => {
  oneLineError(["nope"], 2, /^posrt: unknown command "nope" .*see `posrt --help`/);
  oneLineError(["sim", "--bogus"], 2, /^posrt sim: unknown option --bogus .*see `posrt sim --help`\)$/);
  oneLineError(["sim", "--seed", "1", "--seeds", "1..2"], 2, /--seed and --seeds cannot be combined/);
  oneLineError(["sim", "--seeds", "1..2", "--trace", path.join(TMP, "t")], 2, /--seeds and --trace cannot be combined/);
  oneLineError(["sim", "--seed", "4294967296"], 2, /--seed must be from 0 to 4294967295/);
  oneLineError(["sim", "--ops", "0"], 2, /--ops must be from 1 to/);
  oneLineError(["acquirer", "--port", "99999"], 2, /^posrt acquirer: --port must be from 0 to 65535, got 99999/);
  oneLineError(["journal", "crashtest", "--ops", "2000000"], 2, /--ops must be from 1 to 1000000/);
  oneLineError(["journal", "crashtest", "--mode", "x"], 2, /--mode must be one of linear, log, random, rot, badsector, got "x"/);
  oneLineError(["conformance", "--runtime", "java"], 2, /--runtime must be one of node, es5, lua, espruino, all/);
});

test("bad data and files: one line naming the file or field, exit 1, no doubled prefix", () => {
  oneLineError(["iso8583", "decode", "@" + TMP], 1, new RegExp(`^posrt iso8583: cannot read ${TMP}: is a directory$`));
  oneLineError(["iso8583", "decode", "@" + path.join(TMP, "missing.hex")], 1, /missing\.hex: no such file or directory$/);
  oneLineError(["journal", "dump", TMP], 1, new RegExp(`${TMP} is a directory`));
  oneLineError(["iso8583", "decode", "--frame", "bare", "0200100000000000000000000001A000"], 1, /^posrt iso8583: field 4: bad BCD nibble A at offset 14$/);
  const empty = path.join(TMP, "no-vectors");
  fs.mkdirSync(empty, { recursive: true });
  oneLineError(["conformance", "--vectors", empty], 1, /no \*\.json vector files under/);
});

test("data as argument, - for stdin or @FILE gives the same answer", () => {
  const arg = posrt(["iso8583", "decode", "--json", SIGN_IN]);
  assert.is(arg.status, 0, arg.stderr);
  const stdin = posrt(["iso8583", "decode", "--json", "-"], SIGN_IN + "\n");
  assert.is(stdin.stdout, arg.stdout);
  const file = path.join(TMP, "signin.hex");
  fs.writeFileSync(file, SIGN_IN);
  assert.is(posrt(["iso8583", "decode", "--json", "@" + file]).stdout, arg.stdout);
  const json = posrt(["iso8583", "encode", "-"], arg.stdout);
  assert.is(json.stdout.trim(), SIGN_IN);
  assert.is(posrt(["tlv", "decode", "-"], "9F2701809C0100").stdout, posrt(["tlv", "decode", "9F2701809C0100"]).stdout);
});

test("input beyond the documented limit: a clear error, not the shell's or Node's", () => {
  const big = path.join(TMP, "big.hex");
  fs.writeFileSync(big, Buffer.alloc(MAX_INPUT_BYTES + 2, 0x30));
  oneLineError(["iso8583", "decode", "@" + big], 1, /larger than the 16 MiB input limit/);
  const r = spawnSync(process.execPath, [BIN, "tlv", "decode", "-"], { input: Buffer.alloc(MAX_INPUT_BYTES + 2, 0x30), encoding: "utf8" });
  assert.is(r.status, 1);
  assert.match(r.stderr, /HEX on stdin is larger than the 16 MiB input limit/);
});

test("flash --dry-run prints a command that pastes into a shell unchanged", () => {
  const r = posrt(["flash", "--target", "espruino", "--port", "/dev/ttyUSB0", "--dry-run"]);
  if (r.status !== 0) {
    assert.match(r.stderr, /missing; run `npm run build`/);
    return;
  }
  const words = spawnSync("sh", ["-c", `set -- ${r.stdout.trim()}; printf '%s\\n' "$@"`], { encoding: "utf8" }).stdout.trimEnd().split("\n");
  assert.equal(words.slice(-2), ["-e", "load()"]);
  assert.ok(words.includes("--storage"), "posrt.js goes into Storage");
});

test("journal dump --json of a large image survives a slow pipe: the reader parses it whole", async () => {
  const image = path.join(TMP, "large.img");
  const made = posrt(["journal", "crashtest", "--mode", "log", "--seed", "2", "--ops", "4000", "--image", image]);
  assert.is(made.status, 0, made.stderr);
  const child = spawn(process.execPath, [BIN, "journal", "dump", image, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  const closed = new Promise<number | null>((resolve) => child.on("close", resolve)); // it may close while we wait
  let guard: NodeJS.Timeout | undefined;
  const chunks: Buffer[] = [];
  // the reader starts late and reads slowly: the writer must wait for it. The listener is
  // attached first: Node resumes (and so discards) a child's stream nobody listens to once the
  // child exits, which would lose the output in the test, not in posrt.
  child.stdout.on("data", (c: Buffer) => {
    chunks.push(c);
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 5);
  });
  child.stdout.pause();
  await new Promise((r) => setTimeout(r, 500));
  child.stdout.resume();
  // a ref'd timer keeps the test's event loop alive while the pipe is paused (uvu otherwise
  // sometimes saw an empty loop here and exited early); a hung child fails after 60 s
  const code = await Promise.race([
    closed,
    new Promise<never>((_, reject) => {
      guard = setTimeout(() => reject(new Error("journal dump did not finish in 60 s")), 60000);
    }),
  ]).finally(() => clearTimeout(guard));
  const text = Buffer.concat(chunks).toString("utf8");
  assert.is(code, 0);
  assert.ok(text.length > 128 * 1024, `a large dump (${text.length} bytes)`);
  const parsed = JSON.parse(text);
  assert.ok(typeof parsed === "object" && parsed !== null);
  // the same through a shell pipe whose reader sleeps first: the OS pipe (64 KiB) fills, the writer waits
  const piped = spawnSync("sh", ["-c", '"$1" "$2" journal dump "$3" --json | (sleep 1; cat)', "sh", process.execPath, BIN, image], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.is(piped.status, 0, piped.stderr);
  assert.is(piped.stdout, text);
});

test("a sweep on worker threads gives exactly the single-threaded result", () => {
  const args = ["sim", "--seeds", "1..10", "--ops", "40", "--faults", "all", "--json"];
  const one = posrt([...args, "--jobs", "1"]);
  const many = posrt([...args, "--jobs", "3"]);
  assert.is(one.status, 0, one.stderr);
  assert.is(many.status, 0, many.stderr);
  const strip = (s: string) => {
    const o = JSON.parse(s);
    delete o.seconds;
    return o;
  };
  assert.equal(strip(many.stdout), strip(one.stdout));
  assert.is(strip(one.stdout).operations, 400);
});

test("progress goes nowhere when stderr is not a terminal", () => {
  const r = posrt(["sim", "--seeds", "1..2", "--ops", "10"]);
  assert.is(r.status, 0);
  assert.is(r.stderr, "");
});

/** True when something accepts a TCP connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.on("error", () => resolve(false));
  });
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

test("under npx, killing the launcher stops the server too (no acquirer left listening)", async () => {
  const port = 9531;
  // npx runs `sh -c posrt …` with npm_command=exec; here the sh stands for npm's chain
  const launcher = spawn("sh", ["-c", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} acquirer --port ${port} --host 127.0.0.1 --quiet; true`], {
    env: { ...process.env, npm_command: "exec" },
    stdio: "ignore",
  });
  assert.ok(await waitFor(() => listening(port), 20000), "the acquirer came up");
  launcher.kill("SIGKILL");
  assert.ok(await waitFor(async () => !(await listening(port)), 10000), "the acquirer stopped with its launcher");
});

test.after(() => fs.rmSync(TMP, { recursive: true, force: true }));

test.run();
