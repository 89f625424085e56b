import { createHmac } from "node:crypto";
import { WEBHOOK_ENTITY_ACTIONS, WEBHOOK_PAYLOADS, type WebhookEventName } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PAYLOADS } from "./examples.js";
import { PyFloat, pyIsoformat, pyJsonDumps } from "./python-json.js";
import { SecretBox } from "./secret-box.js";
import { signDelivery } from "./signature.js";

const KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

describe("delivery bytes", () => {
  it("writes JSON as Python's json.dumps does", () => {
    expect(pyJsonDumps({ a: "é😀\u007f", b: [1, null, true], c: new PyFloat(100), d: new PyFloat(1e17), e: 0.5 })).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\u007f", "b": [1, null, true], "c": 100.0, "d": 1e+17, "e": 0.5}',
    );
  });

  it("writes timestamps as datetime.isoformat() in UTC", () => {
    expect(pyIsoformat(Date.UTC(2026, 0, 2, 3, 4, 5, 67))).toBe("2026-01-02T03:04:05.067000+00:00");
    expect(pyIsoformat(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe("2026-01-02T03:04:05+00:00");
  });

  it("has an example payload of the documented shape for every event", () => {
    const events = Object.entries(WEBHOOK_ENTITY_ACTIONS).flatMap(([e, actions]) => actions.map((a) => `${e}.${a}`));
    expect(Object.keys(EXAMPLE_PAYLOADS).sort()).toEqual(events.sort());
    for (const [event, example] of Object.entries(EXAMPLE_PAYLOADS)) {
      const plain = JSON.parse(pyJsonDumps(example));
      expect(WEBHOOK_PAYLOADS[event as WebhookEventName].strict().parse(plain), event).toEqual(plain);
    }
  });

  it("signs `<id>.<timestamp>.<body>` with HMAC-SHA256 as v1,<base64>", async () => {
    const body = '{"entity": "model_version", "action": "created"}';
    const expected = createHmac("sha256", "s3cr3t").update(`abc.1700000000.${body}`).digest("base64");
    expect(await signDelivery("s3cr3t", "abc", "1700000000", body)).toBe(`v1,${expected}`);
  });
});

describe("secrets at rest", () => {
  it("opens a token Python's cryptography Fernet made, and round-trips its own", async () => {
    const box = await SecretBox.fromKey(KEY);
    // Fernet(KEY).encrypt("my webhook secret é".encode()) with the reference's library.
    const fromPython =
      "gAAAAABrCUeYizyF5PJydSXAQ-73KZEH4svjAAM5tTrvOOyM0ULnYjft7G8WOBbpNUDyVSVYehx_EV5uMTydZmEg6e1A-UShKQJwu_TULEXthm0Tvxmf8rA=";
    expect(await box.open(fromPython)).toBe("my webhook secret é");
    const sealed = await box.seal("hush");
    expect(sealed).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
    expect(await box.open(sealed)).toBe("hush");
  });

  it("refuses bad keys and tokens sealed with another key", async () => {
    await expect(SecretBox.fromKey("short")).rejects.toThrow(/32 url-safe base64-encoded bytes/);
    const other = await SecretBox.fromKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const sealed = await (await SecretBox.fromKey(KEY)).seal("x");
    await expect(other.open(sealed)).rejects.toThrow(/another key/);
  });
});
