// The link between the page (the board) and the server (its network) is encrypted, as a
// terminal's link to its acquirer runs over TLS: ECDH P-256 between the page (WebCrypto) and
// the server, the shared secret hashed with SHA-256 into an AES-256-GCM key, a fresh 12-byte
// IV per message. So the card data a request carries (field 2, track 2, field 55) never
// crosses the WebSocket in clear; only the page's device and the acquirer see it.
import * as crypto from "crypto";

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** Label mixed into the key so the secret is used for nothing else. */
const KEY_LABEL = "posrt emulator link v1";

export class LinkChannel {
  readonly publicKey: Buffer;
  private ecdh: crypto.ECDH;
  private key: Buffer | undefined;

  constructor() {
    this.ecdh = crypto.createECDH("prime256v1");
    this.publicKey = this.ecdh.generateKeys();
    this.key = undefined;
  }

  /** Completes the exchange with the page's raw (uncompressed) public key. */
  agree(pagePublic: Buffer): void {
    const secret = this.ecdh.computeSecret(pagePublic);
    this.key = crypto.createHash("sha256").update(KEY_LABEL).update(secret).digest();
  }

  ready(): boolean {
    return this.key !== undefined;
  }

  /** IV || ciphertext || tag (the WebCrypto AES-GCM layout). */
  seal(plain: Uint8Array): Buffer {
    if (this.key === undefined) throw new Error("link channel: no key agreed yet");
    const iv = crypto.randomBytes(IV_BYTES);
    const c = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([iv, body, c.getAuthTag()]);
  }

  /** The plain bytes of a sealed message; throws when it was altered or the key differs. */
  open(sealed: Buffer): Buffer {
    if (this.key === undefined) throw new Error("link channel: no key agreed yet");
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error("link channel: message too short");
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const d = crypto.createDecipheriv("aes-256-gcm", this.key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), d.final()]);
  }
}
