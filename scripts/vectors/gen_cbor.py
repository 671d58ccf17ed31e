# Writes test/vectors/cbor.json: RFC 8949 Appendix A (in and out of the subset), boundaries,
# truncation and deterministic-ordering cases. Expected encodings come from the small
# independent encoder below, not from posrt. Usage: python3 scripts/vectors/gen_cbor.py > test/vectors/cbor.json
import json, struct
# Independent deterministic CBOR encoder (RFC 8949 4.2.1) for expected values.
def head(m, n):
    if n < 24: return bytes([m*32+n])
    if n < 256: return bytes([m*32+24, n])
    if n < 65536: return bytes([m*32+25]) + struct.pack('>H', n)
    if n < 2**32: return bytes([m*32+26]) + struct.pack('>I', n)
    return bytes([m*32+27]) + struct.pack('>Q', n)
def enc(v):
    if isinstance(v, bool): return b'\xf5' if v else b'\xf4'
    if isinstance(v, int): return head(0, v) if v >= 0 else head(1, -1-v)
    if isinstance(v, str): b = v.encode('utf8'); return head(3, len(b)) + b
    if isinstance(v, dict) and list(v.keys()) == ['$bytes']: b = bytes.fromhex(v['$bytes']); return head(2, len(b)) + b
    if isinstance(v, list): return head(4, len(v)) + b''.join(enc(x) for x in v)
    if isinstance(v, dict):
        pairs = v['$map'] if list(v.keys()) == ['$map'] else list(v.items())
        items = sorted((enc(k), enc(x)) for k, x in pairs)
        return head(5, len(items)) + b''.join(k + x for k, x in items)
    raise ValueError(v)
H = lambda b: b.hex().upper()

appx = [  # RFC 8949 Appendix A, items inside the subset (hex, JSON form)
 ("00",0),("01",1),("0a",10),("17",23),("1818",24),("1819",25),("1864",100),("1903e8",1000),
 ("1a000f4240",1000000),("1b000000e8d4a51000",1000000000000),("20",-1),("29",-10),("3863",-100),("3903e7",-1000),
 ("f4",False),("f5",True),("40",{"$bytes":""}),("4401020304",{"$bytes":"01020304"}),
 ("60",""),("6161","a"),("6449455446","IETF"),("62225c","\"\\"),("62c3bc","ü"),("63e6b0b4","水"),("64f0908591","𐅑"),
 ("80",[]),("83010203",[1,2,3]),("8301820203820405",[1,[2,3],[4,5]]),
 ("98190102030405060708090a0b0c0d0e0f101112131415161718181819",list(range(1,26))),
 ("a0",{}),("a201020304",{"$map":[[1,2],[3,4]]}),("a26161016162820203",{"a":1,"b":[2,3]}),
 ("826161a161626163",["a",{"b":"c"}]),("a56161614161626142616361436164614461656145",{"a":"A","b":"B","c":"C","d":"D","e":"E"}),
]
appx_out = [  # RFC 8949 Appendix A, outside the subset: (hex, why)
 ("1bffffffffffffffff","2^64-1"),("c249010000000000000000","bignum tag 2"),("3bffffffffffffffff","-2^64"),
 ("c349010000000000000000","bignum tag 3"),
 ("f90000","float 0.0"),("f98000","float -0.0"),("f93c00","float 1.0"),("fb3ff199999999999a","float 1.1"),("f93e00","float 1.5"),
 ("f97bff","float 65504.0"),("fa47c35000","float 100000.0"),("fa7f7fffff","float 3.4e38"),("fb7e37e43c8800759c","float 1e300"),
 ("f90001","float 5.96e-8"),("f90400","float 6.1e-5"),("f9c400","float -4.0"),("fbc010666666666666","float -4.1"),
 ("f97c00","half Infinity"),("f97e00","half NaN"),("f9fc00","half -Infinity"),("fa7f800000","single Infinity"),
 ("fa7fc00000","single NaN"),("faff800000","single -Infinity"),("fb7ff0000000000000","double Infinity"),
 ("fb7ff8000000000000","double NaN"),("fbfff0000000000000","double -Infinity"),
 ("f6","null"),("f7","undefined"),("f0","simple(16)"),("f818","simple(24)"),("f8ff","simple(255)"),
 ("c074323031332d30332d32315432303a30343a30305a","tag 0 date"),("c11a514b67b0","tag 1 epoch"),("c1fb41d452d9ec200000","tag 1 float epoch"),
 ("d74401020304","tag 23"),("d818456449455446","tag 24"),("d82076687474703a2f2f7777772e6578616d706c652e636f6d","tag 32 URI"),
 ("5f42010243030405ff","indefinite byte string"),("7f657374726561646d696e67ff","indefinite text"),("9fff","indefinite empty array"),
 ("9f018202039f0405ffff","indefinite nested arrays"),("9f01820203820405ff","indefinite outer array"),("83018202039f0405ff","indefinite inner array"),
 ("83019f0203ff820405","indefinite middle array"),("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff","indefinite 25 items"),
 ("bf61610161629f0203ffff","indefinite map"),("826161bf61626163ff","indefinite map in array"),("bf6346756ef563416d7421ff","indefinite map Fun/Amt"),
]
dec = []
for h, v in appx:
    assert H(enc(v)) == h.upper(), (h, v)
    dec.append({"name": "RFC 8949 A: " + h.upper(), "in": h.upper(), "out": v})
for h, why in appx_out:
    dec.append({"name": "RFC 8949 A out of subset (" + why + "): " + h.upper(), "in": h.upper(), "error": True})
extra_ok = [
 ("1b001fffffffffffff", 2**53-1, "2^53-1"), ("3b001ffffffffffffe", -(2**53-1), "-(2^53-1)"),
 ("1b0000000100000000", 2**32, "2^32"), ("1affffffff", 2**32-1, "2^32-1"), ("3affffffff", -2**32, "-2^32"),
 ("1817", 23, "non-shortest 1-byte head accepted"), ("190017", 23, "non-shortest 2-byte head accepted"),
 ("1b0000000000000017", 23, "non-shortest 8-byte head accepted"), ("5800", {"$bytes": ""}, "non-shortest byte string length"),
 ("9803010203", [1,2,3], "non-shortest array count"), ("a2616201616102", {"a":2,"b":1}, "unsorted map keys accepted"),
 ("a2190100006162f5", {"$map":[[256,0],["b",True]]}, "mixed keys give $map"),
 ("a1662462797465730a", {"$map":[["$bytes",10]]}, "text key starting with $ gives $map"),
 ("a14161f4", {"$map":[[{"$bytes":"61"},False]]}, "byte string key"),
 ("81"*32 + "00", None, "32 nested arrays (the depth limit)"),
]
for h, v, name in extra_ok:
    if v is None:
        v = 0
        for _ in range(32): v = [v]
    dec.append({"name": name, "in": h.upper(), "out": v})
extra_err = [
 ("", "empty input"), ("18", "truncated 1-byte head"), ("1901", "truncated 2-byte head"), ("1a000000", "truncated 4-byte head"),
 ("1b00000000000000", "truncated 8-byte head"), ("41", "truncated byte string"), ("430102", "byte string short by one"),
 ("6261", "truncated text"), ("81", "array missing its item"), ("8201", "array short by one item"), ("a1", "map missing its pair"),
 ("a101", "map missing a value"), ("9b001fffffffffffff", "huge array count"), ("bb001fffffffffffff", "huge map count"),
 ("5b001fffffffffffff", "huge byte string length"), ("7affffffff", "huge text length"),
 ("1b0020000000000000", "2^53 out of range"), ("3b001fffffffffffff", "-2^53 out of range"), ("1b8000000000000000", "2^63 out of range"),
 ("1c", "reserved info 28"), ("1d", "reserved info 29"), ("1e", "reserved info 30"), ("1f", "indefinite integer"), ("3f", "indefinite negative"),
 ("5c", "reserved info in byte string"), ("ff", "lone break"), ("8100ff", "trailing break"), ("0000", "trailing bytes"),
 ("61ff", "invalid UTF-8 byte"), ("62c0af", "overlong UTF-8"), ("63eda080", "UTF-8 surrogate"), ("64f4908080", "UTF-8 beyond U+10FFFF"),
 ("62c328", "bad continuation byte"), ("a2616101616102", "duplicate text key"), ("a20102180102", "duplicate key, one non-shortest"),
 ("81"*33 + "00", "33 nested arrays (too deep)"),
 ("a28201020082010201", "duplicate array key"), ("c0f4", "tag before false"), ("a1c001f4", "tag in map key")]
for h, name in extra_err:
    dec.append({"name": name, "in": h.upper(), "error": True})

encs = []
for h, v in appx:
    encs.append({"name": "RFC 8949 A: " + h.upper(), "in": v, "out": h.upper()})
det = [
 ("text keys sorted", {"b":1,"a":2}),
 ("RFC 8949 4.2.1 key order", {"$map":[[False,0],[[-1],1],[[100],2],["aa",3],["z",4],[-1,5],[100,6],[10,7]]}),
 ("bytewise not length-first: 256 before \"b\"", {"$map":[["b",1],[256,2]]}),
 ("byte string key before text key", {"$map":[["a",1],[{"$bytes":"61"},2]]}),
 ("shorter key sorts first when a prefix", {"aa":1,"a":2,"":3}),
 ("nested maps sorted too", [{"z":{"y":1,"x":2},"a":[]}]),
 ("empty map stays a map", {}), ("empty array stays an array", []), ("map of empty things", {"m":{},"a":[]}),
 ("shortest head 23", 23), ("shortest head 24", 24), ("shortest head 255", 255), ("shortest head 256", 256),
 ("shortest head 65535", 65535), ("shortest head 65536", 65536), ("shortest head 2^32-1", 2**32-1), ("shortest head 2^32", 2**32),
 ("2^53-1", 2**53-1), ("-(2^53-1)", -(2**53-1)), ("-24", -24), ("-25", -25), ("-256", -256), ("-257", -257),
 ("24-byte text gets a 1-byte length", "abcdefghijklmnopqrstuvwx"), ("23-byte text", "abcdefghijklmnopqrstuvw"),
 ("256-byte string gets a 2-byte length", {"$bytes": "AB"*256}),
 ("non-ASCII text", "Zahlung €5 支付"), ("journal-like record", {"v":1,"stan":123456,"amt":-1250,"pan":"621483******0009","sp":{"$bytes":"00112233445566778899AABBCCDDEEFF"},"ok":True,"rrn":"123456789012"}),
]
for name, v in det:
    encs.append({"name": name, "in": v, "out": H(enc(v))})
enc_err = [
 ("duplicate keys in $map", {"$map":[[1,2],[1,3]]}), ("duplicate keys after sorting", {"$map":[["a",1],[2,2],["a",3]]}),
 ("2^53 out of range", 2**53), ("-2^53 out of range", -(2**53)), ("unknown $ form", {"$foo":1}),
 ("$bytes with odd hex", {"$bytes":"ABC"}), ("$bytes with non-hex", {"$bytes":"ZZ"}), ("$map entry not a pair", {"$map":[[1]]}),
 ("$map entry not an array", {"$map":[1]}), ("$-prefixed key beside others", {"$bytes":"00","a":1}),
]
deep = 0
for _ in range(33): deep = [deep]
enc_err.append(("33 nested arrays (too deep)", deep))
for name, v in enc_err:
    encs.append({"name": name, "in": v, "error": True})
skips = []
for h, v in appx:
    skips.append({"name": "RFC 8949 A: " + h.upper() + " then trailing 00", "in": h.upper() + "00", "out": len(bytes.fromhex(h))})
for h, n, name in [("1b0000000000000017", 9, "non-shortest head"), ("a2616201616102", 7, "unsorted map"), ("62c328", 3, "text is skipped without a UTF-8 check"),
                   ("81"*40 + "00", 41, "deep nesting needs no recursion"), ("3b001ffffffffffffe", 9, "-(2^53-1)")]:
    skips.append({"name": name, "in": h.upper(), "out": n})
for h, name in [("", "empty"), ("8201", "array short by one item"), ("a101", "map missing a value"), ("f6", "null"), ("f93c00", "float"),
                ("c100", "tag"), ("9fff", "indefinite array"), ("1b0020000000000000", "2^53"), ("3b001fffffffffffff", "-2^53"), ("4201", "truncated bytes")]:
    skips.append({"name": name, "in": h.upper(), "error": True})
doc = [{"suite": "cbor.decode", "cases": dec}, {"suite": "cbor.encode", "cases": encs}, {"suite": "cbor.skip", "cases": skips}]
print(json.dumps(doc, ensure_ascii=False, indent=1))
import sys; print(len(dec), len(encs), len(skips), file=sys.stderr)
