import { createDecipheriv, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Decrypt a Fernet token (the `cryptography` package's format, which MLflow uses for webhook secrets with
 * `MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY`): version 0x80 | 8-byte time | 16-byte IV | AES-128-CBC ciphertext |
 * HMAC-SHA256 over all before it. The key is 32 url-safe-base64 bytes: signing half, then encryption half.
 * @returns the plaintext, or undefined when the key does not fit the token (wrong key, damaged token).
 */
export function fernetDecrypt(key: string, token: string): string | undefined {
  const rawKey = Buffer.from(key, "base64url");
  const data = Buffer.from(token, "base64url");
  if (rawKey.length !== 32 || data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== 0x80) return undefined;
  const signed = data.subarray(0, data.length - 32);
  const mac = createHmac("sha256", rawKey.subarray(0, 16)).update(signed).digest();
  if (!timingSafeEqual(mac, data.subarray(data.length - 32))) return undefined;
  try {
    const decipher = createDecipheriv("aes-128-cbc", rawKey.subarray(16), data.subarray(9, 25));
    return Buffer.concat([decipher.update(data.subarray(25, data.length - 32)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
