import { describe, expect, it } from "vitest";
import { formatIp, isPublicIp, parseIp } from "./ip-address.js";
import { type UrlPolicy, validateWebhookUrl } from "./webhooks.js";

async function messageOf(url: string, policy: UrlPolicy): Promise<string> {
  try {
    await validateWebhookUrl(url, policy);
    return "ok";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("IP addresses as Python's ipaddress sees them", () => {
  it("parses strictly and prints the compressed form", () => {
    for (const bad of [
      "127.1",
      "01.2.3.4",
      "1.2.3.256",
      "1::2::3",
      ":1::2",
      "1:2:3:4:5:6:7",
      "::ffff:1.2.3",
      "12345::",
    ]) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
    const cases: [string, string][] = [
      ["::1", "::1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
      ["::ffff:127.0.0.1", "::ffff:7f00:1"],
      ["fe80::1%eth0", "fe80::1%eth0"],
      ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ];
    for (const [text, printed] of cases)
      expect(formatIp(parseIp(text) as NonNullable<ReturnType<typeof parseIp>>)).toBe(printed);
  });

  it("counts an address public as CPython 3.11's is_global does, after unwrapping embedded IPv4", () => {
    const publicIps = [
      "8.8.8.8",
      "2606:4700::1111",
      "::ffff:8.8.8.8",
      "2002:808:808::",
      "64:ff9b::808:808",
      "224.0.0.1",
    ];
    const privateIps = [
      "127.0.0.1",
      "10.1.2.3",
      "100.64.0.1",
      "169.254.169.254",
      "192.0.2.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "2001:db8::1",
      "::ffff:10.0.0.1",
      "2002:a00:1::",
      "64:ff9b::7f00:1",
    ];
    for (const ip of publicIps)
      expect(isPublicIp(parseIp(ip) as NonNullable<ReturnType<typeof parseIp>>), ip).toBe(true);
    for (const ip of privateIps)
      expect(isPublicIp(parseIp(ip) as NonNullable<ReturnType<typeof parseIp>>), ip).toBe(false);
  });
});

describe("webhook URLs", () => {
  const strict: UrlPolicy = { allowedSchemes: ["https"], allowPrivateIps: false };

  it("refuses other schemes, private literals and localhost without a resolver", async () => {
    expect(await messageOf("http://8.8.8.8/x", strict)).toBe(
      "Invalid webhook URL scheme: 'http'. Allowed schemes are: https.",
    );
    expect(await messageOf("https://127.1/x", strict)).toBe(
      "Webhook URL must not resolve to a non-public IP address. '127.1' resolves to 127.0.0.1.",
    );
    expect(await messageOf("https://[::ffff:10.0.0.1]:8443/", strict)).toBe(
      "Webhook URL must not resolve to a non-public IP address. '::ffff:10.0.0.1' resolves to ::ffff:a00:1.",
    );
    expect(await messageOf("https://LocalHost/", strict)).toBe(
      "Webhook URL must not resolve to a non-public IP address. 'localhost' resolves to 127.0.0.1.",
    );
    expect(await messageOf("https://8.8.8.8/x", strict)).toBe("ok");
    // A name it cannot look up passes: only the runtime's resolver can tell.
    expect(await messageOf("https://hooks.example.com/x", strict)).toBe("ok");
    expect(await messageOf("https://[127.0.0.1]/", strict)).toBe(
      "Invalid webhook URL 'https://[127.0.0.1]/': ValueError('An IPv4 address cannot be in brackets')",
    );
    expect(await messageOf("https://[zz]/", strict)).toBe(
      `Invalid webhook URL 'https://[zz]/': ValueError("'zz' does not appear to be an IPv4 or IPv6 address")`,
    );
  });

  it("checks every address the resolver gives, with getaddrinfo's messages for failures", async () => {
    const hosts: Record<string, string[]> = {
      "hooks.example.com": ["93.184.215.14", "10.0.0.7"],
      "ok.example.com": ["93.184.215.14"],
    };
    const policy: UrlPolicy = {
      ...strict,
      resolveHost: async (host) => {
        const found = hosts[host];
        if (found) return found;
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
      },
    };
    expect(await messageOf("https://Hooks.Example.com/x", policy)).toBe(
      "Webhook URL must not resolve to a non-public IP address. 'hooks.example.com' resolves to 10.0.0.7.",
    );
    expect(await messageOf("https://ok.example.com/x", policy)).toBe("ok");
    expect(await messageOf("https://nowhere.invalid/x", policy)).toBe(
      "Cannot resolve Webhook URL hostname 'nowhere.invalid': [Errno -2] Name or service not known",
    );
    expect(await messageOf("https://nowhere.invalid/x", { ...policy, allowPrivateIps: true })).toBe("ok");
  });
});
