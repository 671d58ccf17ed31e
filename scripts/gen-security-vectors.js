// Regenerates test/vectors/security.json: usage node scripts/gen-security-vectors.js test/vectors/security.json
// Expected outputs are computed here with OpenSSL (node:crypto) from the documented formats
// (src/crypto/keys.ts field 62, hal/emulator/security.ts sealed PAN), never by posrt itself.
const c = require('crypto');
const H = (s) => Buffer.from(s, 'hex');
const hex = (b) => b.toString('hex').toUpperCase();
const TMK = '0123456789ABCDEFFEDCBA9876543210';
function k3(key) { return key.length === 8 ? Buffer.concat([key, key, key]) : key; }
function alg(key, mode) { return (key.length === 16 ? 'des-ede' : 'des-ede3') + '-' + mode; }
function ecb(key, data, dec) { const f = dec ? c.createDecipheriv : c.createCipheriv; const x = f(alg(key, 'ecb'), k3(key), null); x.setAutoPadding(false); return Buffer.concat([x.update(data), x.final()]); }
function cbc(key, iv, data) { const x = c.createCipheriv(alg(key, 'cbc'), k3(key), iv); x.setAutoPadding(false); return Buffer.concat([x.update(data), x.final()]); }
function x919(key, data) {
  const k1 = key.subarray(0, 8), k2 = key.length === 8 ? k1 : key.subarray(8, 16);
  const pad = Buffer.alloc(Math.max(8, Math.ceil(data.length / 8) * 8)); data.copy(pad);
  const ct = cbc(k1, Buffer.alloc(8), pad);
  return ecb(k1, ecb(k2, ct.subarray(ct.length - 8), true), false);
}
const cv = (key) => ecb(key, Buffer.alloc(8), false).subarray(0, 4);
function field62(tmk, keys) { return Buffer.concat(keys.flatMap((k) => [ecb(tmk, k, false), cv(k)])); }
const tmk = H(TMK);
const sealKey = ecb(tmk, Buffer.from('POSRT PAN SEAL 1', 'ascii'), false);
const authKey = ecb(tmk, Buffer.from('POSRT PAN AUTH 1', 'ascii'), false);
function seal(pan, nonce) {
  const plain = Buffer.alloc(16); plain[0] = pan.length; H((pan.length % 2 ? pan + '0' : pan)).copy(plain, 1);
  const blk = Buffer.alloc(8); blk.writeUInt32BE(nonce, 0); blk.write('PAN', 4, 'ascii');
  const head = Buffer.alloc(5); head[0] = 1; head.writeUInt32BE(nonce, 1);
  const body = Buffer.concat([head, cbc(sealKey, ecb(sealKey, blk, false), plain)]);
  return Buffer.concat([body, x919(authKey, body)]);
}

const seals = [['6214830000000009', 0], ['6214830000000009', 1], ['4111111111111111', 74], ['6214830000000000008', 4294967295], ['123456789012', 65536]];
const sealCases = seals.map(([pan, nonce]) => ({ name: pan.length + ' digits, nonce ' + nonce, in: { pan, nonce }, out: hex(seal(pan, nonce)) }));
sealCases.push({ name: 'PAN too short', in: { pan: '12345678901', nonce: 0 }, error: true });
sealCases.push({ name: 'PAN with a letter', in: { pan: '621483000000000A', nonce: 0 }, error: true });
sealCases.push({ name: 'nonce above 2^32-1', in: { pan: '6214830000000009', nonce: 4294967296 }, error: true });
const openCases = seals.map(([pan, nonce]) => ({ name: 'open ' + pan.length + ' digits, nonce ' + nonce, in: hex(seal(pan, nonce)), out: pan }));
const good = seal('6214830000000009', 7);
for (const at of [0, 1, 6, 20, 21, 28]) { const t = Buffer.from(good); t[at] ^= 0x01; openCases.push({ name: 'tampered byte ' + at, in: hex(t), error: true }); }
openCases.push({ name: 'truncated', in: hex(good.subarray(0, 28)), error: true });
openCases.push({ name: 'sealed under another key', in: (() => { const b = Buffer.from(good); const mac = x919(H('00112233445566778899AABBCCDDEEFF'), b.subarray(0, 21)); mac.copy(b, 21); return hex(b); })(), error: true });

const PIK16 = H('1111111111111111A1A1A1A1A1A1A1A1'), MAK16 = H('2222222222222222B2B2B2B2B2B2B2B2'), TDK16 = H('3333333333333333C3C3C3C3C3C3C3C3');
const PIK8 = H('4545454545454545'), MAK8 = H('6767676767676767');
const DATA = Buffer.from('0200 sale 000000000100 STAN 000074', 'ascii');
const schemes = [['001', [PIK8, MAK8]], ['003', [PIK16, MAK16]], ['004', [PIK16, MAK16, TDK16]]];
const keyCases = schemes.map(([scheme, keys]) => ({ name: 'scheme ' + scheme, in: { field62: hex(field62(tmk, keys)), data: hex(DATA) }, out: { scheme, mac: hex(x919(keys[1], DATA)) } }));
const f003 = field62(tmk, [PIK16, MAK16]);
const badCv = Buffer.from(f003); badCv[39] ^= 0x80;
keyCases.push({ name: 'MAC key check value mismatch', in: { field62: hex(badCv), data: hex(DATA) }, error: true });
const badPik = Buffer.from(f003); badPik[3] ^= 0x01;
keyCases.push({ name: 'PIN key ciphertext altered', in: { field62: hex(badPik), data: hex(DATA) }, error: true });
keyCases.push({ name: 'field 62 of 39 bytes', in: { field62: hex(f003.subarray(0, 39)), data: hex(DATA) }, error: true });

const encodeCases = schemes.map(([scheme, keys]) => ({ name: 'scheme ' + scheme, in: { tmk: TMK, scheme, pik: hex(keys[0]), mak: hex(keys[1]), tdk: keys[2] ? hex(keys[2]) : '' }, out: hex(field62(tmk, keys)) }));
encodeCases.push({ name: 'scheme 002 unknown', in: { tmk: TMK, scheme: '002', pik: hex(PIK16), mak: hex(MAK16), tdk: '' }, error: true });
encodeCases.push({ name: '8-byte key for scheme 003', in: { tmk: TMK, scheme: '003', pik: hex(PIK8), mak: hex(MAK16), tdk: '' }, error: true });
encodeCases.push({ name: 'scheme 004 without track key', in: { tmk: TMK, scheme: '004', pik: hex(PIK16), mak: hex(MAK16), tdk: '' }, error: true });

const suites = [
  { suite: 'keys.field62.encode', cases: encodeCases },
  { suite: 'security.keys', cases: keyCases },
  { suite: 'security.seal', cases: sealCases },
  { suite: 'security.open', cases: openCases },
];
const lines = ['['];
suites.forEach((s, i) => {
  lines.push('  { "suite": ' + JSON.stringify(s.suite) + ', "cases": [');
  s.cases.forEach((cs, j) => lines.push('    ' + JSON.stringify(cs) + (j < s.cases.length - 1 ? ',' : '')));
  lines.push('  ]}' + (i < suites.length - 1 ? ',' : ''));
});
lines.push(']');
require('fs').writeFileSync(process.argv[2], lines.join('\n') + '\n');
