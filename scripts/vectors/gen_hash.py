#!/usr/bin/env python3
# Writes test/vectors/hash.json (suite hash.sha1, src/crypto/sha1.ts). Published digests are
# asserted here against Python's hashlib before they are written: FIPS 180-2 appendix A.1/A.2
# (= RFC 3174 TEST1/TEST2), RFC 3174 TEST4, NIST SHAVS SHA1ShortMsg Len = 0, and the EMV check
# value DF03 of JCB CA key 12 published at cnblogs.com/merray/articles/4904484.html. The block
# boundary cases carry hashlib's digest (named so in the case).
import hashlib, json, os

JCB_MOD = ("ADF05CD4C5B490B087C3467B0F3043750438848461288BFEFD6198DD576DC3AD7A7CFA07DBA128C247A8EAB30DC3A30B02FCD7F1C81679654636"
           "26FEFF8AB1AA61A4B9AEF09EE12B009842A1ABA01ADB4A2B170668781EC92B60F605FD12B2B2A6F1FE734BE510F60DC5D189E401451B62B4E068"
           "51EC20EBFF4522AACC2E9CDC89BC5D8CDE5D633CFD77220FF6BBD4A9B441473CC3C6FEFC8D13E57C3DE97E1269FA19F655215B23563ED1D1860D8681")
H = "(digest from Python hashlib)"
CASES = [
    ("FIPS 180-2 appendix A.1 / RFC 3174 TEST1: \"abc\" (one block)", {"ascii": "abc"}, "A9993E364706816ABA3E25717850C26C9CD0D89D"),
    ("FIPS 180-2 appendix A.2 / RFC 3174 TEST2: 448-bit message (padding spills into a second block)", {"ascii": "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"}, "84983E441C3BD26EBAAE4AA1F95129E5E54670F1"),
    ("RFC 3174 TEST4: \"0123456701234567012345670123456701234567012345670123456701234567\" 10 times (640 bytes, 11 blocks)", {"ascii": "01234567" * 8, "repeat": 10}, "DEA356A2CDDD90C7A7ECEDC5EBB563934F460452"),
    ("NIST SHAVS SHA1ShortMsg.rsp Len = 0: the empty message", {"hex": ""}, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"),
    ("112 bytes, two blocks (the 896-bit message of FIPS 180-2's SHA-512 example; " + H[1:], {"ascii": "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"}, None),
    ("EMV CA key check value: JCB CA key 12 (RID A000000065, index 12, 176-byte modulus, exponent 03) as published at cnblogs.com/merray/articles/4904484.html, DF03 there", {"hex": "A000000065" + "12" + JCB_MOD + "03"}, "874B379B7F607DC1CAF87A19E400B6A9E25163E8"),
    ("55 bytes: the longest message that pads within one block " + H, {"ascii": "a", "repeat": 55}, None),
    ("56 bytes: the length no longer fits, a second block " + H, {"ascii": "a", "repeat": 56}, None),
    ("64 bytes: exactly one block of data, padding in a second " + H, {"ascii": "a", "repeat": 64}, None),
    ("a range: \"abc\" inside \"xabcx\" (off 1, n 3) is RFC 3174 TEST1", {"ascii": "xabcx", "off": 1, "n": 3}, "A9993E364706816ABA3E25717850C26C9CD0D89D"),
]

out = []
for name, inp, want in CASES:
    m = bytes.fromhex(inp["hex"]) if "hex" in inp else inp["ascii"].encode() * inp.get("repeat", 1)
    if "off" in inp:
        m = m[inp["off"]:inp["off"] + inp["n"]]
    got = hashlib.sha1(m).hexdigest().upper()
    if want is not None and got != want:
        raise SystemExit("published digest differs: " + name)
    out.append({"name": name, "in": inp, "out": got})
out.append({"name": "a range past the end of the message is refused", "in": {"ascii": "abc", "off": 2, "n": 2}, "error": True})
out.append({"name": "a negative length is refused", "in": {"ascii": "abc", "off": 0, "n": -1}, "error": True})
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "vectors", "hash.json")
with open(path, "w") as f:
    f.write("[\n  { \"suite\": \"hash.sha1\", \"cases\": [\n" + ",\n".join("    " + json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in out) + "\n  ] }\n]\n")
print("wrote", path, len(out), "cases")
