import { WEBHOOK_SIGNATURE_VERSION } from "@tracklite/schemas";

const encoder = new TextEncoder();

/** Standard base64 of bytes (btoa works on every runtime; Buffer only on some). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The `X-MLflow-Signature` of a delivery: `v1,` and the base64 HMAC-SHA256, keyed with the webhook's secret, of
 * `<delivery id>.<unix timestamp>.<body>` (all UTF-8). Web Crypto, so that it runs on Node, Deno, Bun and Workers.
 * @see mlflow/webhooks/delivery.py _generate_hmac_signature
 */
export async function signDelivery(
  secret: string,
  deliveryId: string,
  timestamp: string,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${deliveryId}.${timestamp}.${body}`));
  return `${WEBHOOK_SIGNATURE_VERSION},${toBase64(new Uint8Array(mac))}`;
}
