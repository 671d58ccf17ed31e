// ISO 8583: pack+unpack of the same 0200 sale, ours (cup wire frame) against the iso_8583
// npm package (its own ASCII wire format with a 2-byte length), side by side; and the
// deterministic size of our sale frame.
import { BenchArea, sideBySideRatio } from "./area";
import { IsoMessage, WireHeader, packWire, unpackWire } from "../../src/iso8583/index";
import { len } from "../../src/bytes/index";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Iso8583Peer = require("iso_8583");

const T2 = "6225880123456789012D25122010000000000";
const ICC =
  "9F2608A1B2C3D4E5F607189F2701809F101307010103A0A802010A010000000000A1B2C3D49F37045A6B7C8D" +
  "9F360200429505000008000" + "09A032611269C01009F02060000000100005F2A0201569F1A02015682027C00";

/** The 0200 sale both sides pack: IC card with PIN, fields 2..64 as a CUP terminal sends them. */
export const BENCH_SALE: IsoMessage = {
  mti: "0200",
  fields: {
    "2": "6225880123456789012", "3": "000000", "4": "000000010000", "11": "000074", "14": "2512",
    "22": "051", "23": "001", "25": "00", "26": "12", "35": T2, "41": "20261126", "42": "898310048160001",
    "49": "156", "52": "A1B2C3D4E5F60718", "53": "2600000000000000", "55": ICC, "60": "22000001000501",
    "64": "0A1B2C3D4E5F6071",
  },
};
const HEADER: WireHeader = { tpdu: "6000030000", header: "603100000000" };

// The peer's defaults differ for 53 (b96) and 64 (b8 hex chars): give it the equivalent of ours.
const PEER_FORMATS = {
  "53": { ContentType: "n", Label: "Security related control information", LenType: "fixed", MaxLen: 16 },
  "64": { ContentType: "b", Label: "Message authentication code", LenType: "fixed", MaxLen: 16 },
};

function peerData(): { [k: string]: string } {
  const data: { [k: string]: string } = { "0": BENCH_SALE.mti };
  for (const k of Object.keys(BENCH_SALE.fields)) data[k] = BENCH_SALE.fields[k];
  return data;
}

function ours(): void {
  const m = unpackWire("cup", packWire("cup", BENCH_SALE, HEADER)).msg;
  if (m.fields["55"] !== ICC) throw new Error("iso8583 bench: our round trip lost field 55");
}

function peer(data: { [k: string]: string }): () => void {
  return () => {
    const buf = new Iso8583Peer(data, PEER_FORMATS).getBufferMessage();
    const back = new Iso8583Peer(undefined, PEER_FORMATS).getIsoJSON(buf);
    if (back["55"] !== ICC) throw new Error("iso8583 bench: iso_8583 round trip failed: " + JSON.stringify(back).slice(0, 120));
  };
}

export const iso8583Bench: BenchArea = {
  name: "iso8583",
  async run() {
    const theirs = peer(peerData());
    ours();
    theirs();
    return {
      "iso8583.speedup_vs_iso_8583": sideBySideRatio(ours, theirs),
      "iso8583.sale_wire_bytes": len(packWire("cup", BENCH_SALE, HEADER)),
    };
  },
};
