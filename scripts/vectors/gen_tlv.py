# Writes test/vectors/tlv.json: EMV field 55, 70/77/6F templates, long-form lengths, bounds and
# error cases. Expected encodings come from the small independent encoder below, not from posrt.
# Usage: python3 scripts/vectors/gen_tlv.py > test/vectors/tlv.json
import json
def L(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 + len(b)]) + b
def enc(nodes):
    out = b''
    for nd in nodes:
        v = bytes.fromhex(nd["value"]) if "value" in nd else enc(nd["children"])
        out += bytes.fromhex(nd["tag"]) + L(len(v)) + v
    return out
P = lambda t, v: {"tag": t, "value": v.upper()}
C = lambda t, *kids: {"tag": t, "children": list(kids)}
H = lambda b: b.hex().upper()

field55 = [
 P("9F26", "C1D2E3F4A5B6C7D8"), P("9F27", "80"),
 P("9F10", "07010103A0A802010A0100000000005A3B7C11"),  # CUP-style issuer application data
 P("9F37", "9A3B5C7D"), P("9F36", "001F"), P("95", "0080048000"), P("9A", "261126"), P("9C", "00"),
 P("9F02", "000000001250"), P("5F2A", "0156"), P("82", "7C00"), P("9F1A", "0156"), P("9F03", "000000000000"),
 P("9F33", "E0F1C8"), P("9F34", "420300"), P("9F35", "22"), P("9F1E", "3132333435363738"),
 P("84", "A000000333010101"), P("9F09", "0030"), P("9F41", "00000074"),
]
tpl77 = [C("77", P("9F27", "80"), P("9F36", "001F"), P("9F26", "C1D2E3F4A5B6C7D8"), P("9F10", "07010103A0A802010A0100000000005A3B7C11"))]
tpl70 = [C("70", P("57", "6214830000000009D30122011234567890"), P("5A", "6214830000000009"), P("5F24", "301231"),
            P("5F34", "01"), P("8C", "9F02069F03069F1A0295055F2A029A039C019F3704"), P("8E", "000000000000000042031E031F00"))]
fci = [C("6F", P("84", "A000000333010101"), C("A5", P("50", "554E494F4E504159"), P("87", "01"),
          C("BF0C", P("9F4D", "0B0A"), P("DF61", "01"))))]
empty_tpl = [C("70")]
long_value = [P("9F10", "AB" * 200)]
len_0x80 = [P("5A", "11" * 128)]
len_256 = [P("DF8101", "CD" * 256)]
three_byte_tag = [P("DF8101", "01"), P("9F8101", "02")]
empty_value = [P("9F7C", "")]

dec, encs = [], []
def both(name, nodes):
    h = H(enc(nodes))
    dec.append({"name": name, "in": h, "out": nodes})
    encs.append({"name": name, "in": nodes, "out": h})
both("EMV field 55 of a sale (20 tags)", field55)
both("77 template (GENERATE AC response, format 2)", tpl77)
both("70 template (READ RECORD)", tpl70)
both("FCI 6F with A5 and BF0C nested three deep", fci)
both("70 template and field 55 side by side", tpl70 + field55[:3])
both("empty constructed template", empty_tpl)
both("primitive with empty value", empty_value)
both("200-byte value: long form 81 C8", long_value)
both("128-byte value: first length needing long form", len_0x80)
both("256-byte value: long form 82 01 00", len_256)
both("three-byte tags", three_byte_tag)
both("nothing", [])
# decode-only: accepted but not minimal
dec.append({"name": "non-minimal long form 81 06 accepted", "in": "9F028106000000001250", "out": [P("9F02", "000000001250")]})
dec.append({"name": "non-minimal long form 84 00000002 accepted", "in": "9F36840000000200" + "1F", "out": [P("9F36", "001F")]})
dec.append({"name": "00 padding between and after objects skipped", "in": "009F2701800000" + "9A03261126" + "00", "out": [P("9F27", "80"), P("9A", "261126")]})
dec.append({"name": "lower-case hex input", "in": "9f2701c5", "out": [P("9F27", "C5")]})
# encode-only: minimal output from lower-case input
encs.append({"name": "lower-case tag and value in, upper-case out", "in": [{"tag": "9f02", "value": "000000001250"}], "out": "9F0206000000001250"})
deep_ok = {"tag": "70", "children": []}
node = deep_ok
for _ in range(7):
    kid = {"tag": "70", "children": []}; node["children"].append(kid); node = kid
node["children"].append(P("5A", "01"))
both("templates nested 8 deep (the limit)", [deep_ok])
deep_bad = {"tag": "70", "children": [deep_ok]}
dec_err = [
 ("truncated multi-byte tag", "9F"), ("truncated three-byte tag", "DF81"), ("tag longer than 4 bytes", "DF8181818101" + "00"),
 ("missing length", "9F26"), ("truncated value", "9F2608C1D2E3F4A5B6C7"), ("indefinite length 80", "7080" + "5A0101" + "0000"),
 ("length field of 5 bytes", "5A85000000000101"), ("truncated long-form length", "9F1082"), ("long-form length beyond input", "9F1084FFFFFFFF01"),
 ("child overruns its template", "7005" + "5A05010203"), ("child truncated at template end", "7003" + "9F2608"),
 ("templates nested 9 deep", H(enc([deep_bad]))), ("field 55 cut short by one byte", H(enc(field55))[:-2]),
]
for name, h in dec_err: dec.append({"name": name, "in": h, "error": True})
enc_err = [
 ("constructed tag with a value", [P("70", "01")]), ("primitive tag with children", [C("9F26", P("5A", "01"))]),
 ("tag says more bytes but has none", [P("9F", "01")]), ("last tag byte has the continuation bit", [P("9F81", "01")]),
 ("single-byte tag with extra bytes", [P("5A01", "01")]), ("tag 00 (padding)", [P("00", "01")]),
 ("tag not hex", [P("ZZ", "01")]), ("empty tag", [P("", "01")]), ("odd value hex", [{"tag": "5A", "value": "123"}]),
 ("node without value or children", [{"tag": "5A"}]), ("tag longer than 4 bytes", [P("DF81818101", "01")]),
 ("templates nested 9 deep", [deep_bad]),
]
for name, nodes in enc_err: encs.append({"name": name, "in": nodes, "error": True})
print(json.dumps([{"suite": "tlv.decode", "cases": dec}, {"suite": "tlv.encode", "cases": encs}], indent=1))
import sys; print(len(dec), len(encs), file=sys.stderr)
