/**
 * IP addresses as Python's `ipaddress` module reads, prints and classifies them: the reference decides whether a
 * webhook may be called by `ip_address(x).is_global` (CPython 3.11's tables), after unwrapping IPv4 addresses carried
 * inside IPv6 transition formats.
 * @see mlflow/utils/validation.py _is_public_ip, _embedded_ipv4
 */

export interface IpAddress {
  version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
  /** An IPv6 zone (`fe80::1%eth0`), kept for printing. */
  zone?: string;
}

/** Strict dotted decimal as `IPv4Address` accepts it: four octets, no leading zeros. */
function parseV4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** `IPv6Address`'s parser: at most one `::`, an optional trailing dotted quad, hextets of 1–4 hex digits. */
function parseV6(text: string): Uint8Array | undefined {
  let parts = text.split(":");
  if (parts.length < 3) return undefined;
  const last = parts.at(-1) ?? "";
  if (last.includes(".")) {
    const v4 = parseV4(last);
    if (!v4) return undefined;
    parts = [...parts.slice(0, -1), (((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16)];
    parts.push((((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16));
  }
  if (parts.length > 9) return undefined;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] !== "") continue;
    if (skip >= 0) return undefined;
    skip = i;
  }
  let hi: string[];
  let lo: string[];
  if (skip >= 0) {
    hi = parts.slice(0, skip);
    lo = parts.slice(skip + 1);
    if (hi.length === 1 && hi[0] === "") hi = [];
    else if (hi[0] === "") return undefined;
    if (lo.length === 1 && lo[0] === "") lo = [];
    else if (lo.at(-1) === "") return undefined;
    if (hi.length + lo.length > 7) return undefined;
  } else {
    if (parts.length !== 8) return undefined;
    hi = parts;
    lo = [];
  }
  const hextets = [...hi, ...Array<string>(8 - hi.length - lo.length).fill("0"), ...lo];
  const out = new Uint8Array(16);
  for (const [i, h] of hextets.entries()) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
    const n = Number.parseInt(h, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  return out;
}

/** `ipaddress.ip_address(text)`, or undefined where it raises ValueError. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4) return { version: 4, bytes: v4 };
  const [addr = "", ...zoneParts] = text.split("%");
  const zone = zoneParts.join("%");
  if (zoneParts.length > 0 && (zone === "" || zoneParts.length > 1)) return undefined;
  const v6 = parseV6(addr);
  if (!v6) return undefined;
  return zoneParts.length > 0 ? { version: 6, bytes: v6, zone } : { version: 6, bytes: v6 };
}

/** `str(ip)`: dotted decimal, or lower-case hextets with the longest run of two or more zero groups as `::`. */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return Array.from(ip.bytes).join(".");
  const hextets = Array.from({ length: 8 }, (_, i) =>
    (((ip.bytes[2 * i] ?? 0) << 8) | (ip.bytes[2 * i + 1] ?? 0)).toString(16),
  );
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && hextets[j] === "0") j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  let text = hextets.join(":");
  if (bestLen > 1) {
    const head = hextets.slice(0, bestStart).join(":");
    const tail = hextets.slice(bestStart + bestLen).join(":");
    text = `${head}::${tail}`;
  }
  return ip.zone === undefined ? text : `${text}%${ip.zone}`;
}

/** `[address, prefix length]` of a network. */
type Network = readonly [string, number];

/** CPython 3.11's `_private_networks` of IPv4, and the shared space (100.64/10) that is neither private nor global. */
const V4_NOT_GLOBAL: readonly Network[] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 29],
  ["192.0.0.170", 31],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["240.0.0.0", 4],
  ["255.255.255.255", 32],
  ["100.64.0.0", 10],
];

/** CPython 3.11's `_private_networks` of IPv6 (IPv4-mapped addresses are judged by their IPv4 address). */
const V6_NOT_GLOBAL: readonly Network[] = [
  ["::1", 128],
  ["::", 128],
  ["100::", 64],
  ["2001::", 23],
  ["2001:2::", 48],
  ["2001:db8::", 32],
  ["2001:10::", 28],
  ["fc00::", 7],
  ["fe80::", 10],
];

function inNetwork(bytes: Uint8Array, [address, prefix]: Network): boolean {
  const net = (parseV4(address) ?? parseV6(address)) as Uint8Array;
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((bytes[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address carries (IPv4-mapped, 6to4, NAT64), else the address itself. */
export function embeddedIpv4(ip: IpAddress): IpAddress {
  if (ip.version === 4) return ip;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return { version: 4, bytes: b.slice(12, 16) };
  if (b[0] === 0x20 && b[1] === 0x02) return { version: 4, bytes: b.slice(2, 6) };
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) {
    return { version: 4, bytes: b.slice(12, 16) };
  }
  return ip;
}

/** Whether the reference counts the address as public (`_embedded_ipv4(ip).is_global`). */
export function isPublicIp(ip: IpAddress): boolean {
  const inner = embeddedIpv4(ip);
  const table = inner.version === 4 ? V4_NOT_GLOBAL : V6_NOT_GLOBAL;
  return !table.some((net) => inNetwork(inner.bytes, net));
}
