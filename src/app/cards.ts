// Virtual test cards: what `swipe CARD`, `insert CARD` and `tap CARD` present to the app.
// The PANs are the acquirer simulator's test PANs (src/acquirer/protocol.ts TEST_CARDS), so
// every card behaves the same way against `posrt acquirer` and the in-process simulator.
// TEST data only: these PINs and tracks protect nothing.

export interface TestCard {
  /** Short name used by scripts and `posrt cards`. */
  name: string;
  pan: string;
  /** YYMM */
  expiry: string;
  /** Track 2 equivalent data ("D" separator); "" when the stripe cannot be read. */
  track2: string;
  /** True when the card has a chip (service code 2xx): a swipe asks for insert. */
  chip: boolean;
  /** True when the card can be tapped (contactless). */
  contactless: boolean;
  /** Field 55 the chip gives (hex TLV), "" without chip. */
  icc: string;
  /** The cardholder's PIN; "" when the card has no PIN (no PIN entry). */
  pin: string;
  /** Opening balance at the simulator, minor units. */
  balance_minor: number;
  /** What the simulator does with it. */
  label: string;
}

/** Field 55 of the test chip cards: 9F26 cryptogram, 9F27 CID, 9F36 ATC, 95 TVR, 9A date, 9C type, 5F2A currency. */
const ICC_HEX = "9F2608A1B2C3D4E5F601029F2701809F36020001950500000000009A032601019C01005F2A020156";

export const TEST_CARDS: TestCard[] = [
  { name: "debit", pan: "6214830000000009", expiry: "3012", track2: "6214830000000009D30121010000", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 1000000000, label: "UnionPay debit, magnetic stripe, approves" },
  { name: "chip", pan: "4111111111111111", expiry: "3012", track2: "4111111111111111D30122010000", chip: true, contactless: true, icc: ICC_HEX, pin: "4321", balance_minor: 1000000000, label: "Visa chip + contactless: a swipe asks for insert; approves" },
  { name: "empty", pan: "6214830000000017", expiry: "3012", track2: "6214830000000017D30121010000", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 0, label: "empty account: any sale is declined 51" },
  { name: "expired", pan: "6214830000000025", expiry: "2001", track2: "6214830000000025D20011010000", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 1000000000, label: "expired January 2020: 54" },
  { name: "refused", pan: "6214830000000033", expiry: "3012", track2: "6214830000000033D30121010000", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 1000000000, label: "do not honour: 05" },
  { name: "pinfail", pan: "6214830000000041", expiry: "3012", track2: "6214830000000041D30121010000", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 1000000000, label: "the issuer refuses every PIN: 55" },
  { name: "low", pan: "6214830000000058", expiry: "3012", track2: "6214830000000058D30121010000", chip: false, contactless: true, icc: "", pin: "", balance_minor: 5000, label: "balance 50.00, no PIN: sales above it are 51" },
  { name: "damaged", pan: "6214830000000066", expiry: "3012", track2: "", chip: false, contactless: false, icc: "", pin: "1234", balance_minor: 0, label: "stripe unreadable: every swipe is a bad read" },
];

/** The test card called `name`, or undefined. */
export function findCard(name: string): TestCard | undefined {
  for (let i = 0; i < TEST_CARDS.length; i++) if (TEST_CARDS[i].name === name) return TEST_CARDS[i];
  return undefined;
}

/** The test card with PAN `pan`, or undefined. */
export function cardByPan(pan: string): TestCard | undefined {
  for (let i = 0; i < TEST_CARDS.length; i++) if (TEST_CARDS[i].pan === pan) return TEST_CARDS[i];
  return undefined;
}

/** Card names joined for error messages. */
export function cardNames(): string {
  let s = "";
  for (let i = 0; i < TEST_CARDS.length; i++) s = s + (i > 0 ? ", " : "") + TEST_CARDS[i].name;
  return s;
}
