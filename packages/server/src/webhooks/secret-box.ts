import { toBase64 } from "./signature.js";

/**
 * Webhook secrets encrypted at rest with the server key of MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY, in Fernet's format
 * (AES-128-CBC, then HMAC-SHA256 over version, time, IV and ciphertext) as the reference stores them, so the same key
 * value works for both servers. Web Crypto only.
 * @see mlflow/store/model_registry/dbmodels/models.py EncryptedString
 */

const VERSION = 0x80;

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/\s/g, "");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_");

export class SecretBox {
  private constructor(
    private readonly signing: CryptoKey,
    private readonly encryption: CryptoKey,
  ) {}

  /** A box for a Fernet key: url-safe base64 of 32 bytes (signing half first). Throws on any other key. */
  static async fromKey(key: string): Promise<SecretBox> {
    let raw: Uint8Array;
    try {
      raw = fromBase64Url(key);
    } catch {
      raw = new Uint8Array();
    }
    if (raw.length !== 32) throw new Error("Fernet key must be 32 url-safe base64-encoded bytes.");
    const signing = await crypto.subtle.importKey("raw", raw.slice(0, 16), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    const encryption = await crypto.subtle.importKey("raw", raw.slice(16), { name: "AES-CBC" }, false, [
      "encrypt",
      "decrypt",
    ]);
    return new SecretBox(signing, encryption);
  }

  async seal(plain: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(16));
    const cipher = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-CBC", iv }, this.encryption, new TextEncoder().encode(plain)),
    );
    const head = new Uint8Array(25 + cipher.length);
    head[0] = VERSION;
    new DataView(head.buffer).setBigUint64(1, BigInt(Math.floor(Date.now() / 1000)));
    head.set(iv, 9);
    head.set(cipher, 25);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", this.signing, head));
    const token = new Uint8Array(head.length + 32);
    token.set(head);
    token.set(mac, head.length);
    return toBase64Url(token);
  }

  /** The secret a token holds; throws when it was sealed with another key or altered. */
  async open(token: string): Promise<string> {
    const bytes = fromBase64Url(token);
    if (bytes.length < 57 || bytes[0] !== VERSION) throw new Error("Not a Fernet token.");
    const head = bytes.slice(0, -32);
    if (!(await crypto.subtle.verify("HMAC", this.signing, bytes.slice(-32), head))) {
      throw new Error("The webhook secret was encrypted with another key.");
    }
    const plain = await crypto.subtle.decrypt(
      { name: "AES-CBC", iv: head.slice(9, 25) },
      this.encryption,
      head.slice(25),
    );
    return new TextDecoder().decode(plain);
  }
}
