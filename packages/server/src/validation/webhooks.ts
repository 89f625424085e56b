import {
  WEBHOOK_ACTIONS,
  WEBHOOK_ENTITIES,
  WEBHOOK_ENTITY_ACTIONS,
  type WebhookAction,
  type WebhookEntity,
  type WebhookEventInput,
  type WebhookEventName,
} from "@tracklite/schemas";
import { invalidParameter, MlflowError } from "../errors.js";
import { pyStr } from "../search/python-compat.js";
import { formatIp, isPublicIp, parseIp } from "./ip-address.js";

/**
 * The reference's checks of a webhook's name, URL and events, with its messages.
 * @see mlflow/utils/validation.py _validate_webhook_name, _validate_webhook_url, _validate_webhook_events
 */

/** Where webhooks may point (MLFLOW_WEBHOOK_ALLOWED_SCHEMES, MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS). */
export interface UrlPolicy {
  /** In the order the reference lists them in its message; its default is `https` alone. */
  allowedSchemes: readonly string[];
  /** Skip the public-address check (local development and tests). */
  allowPrivateIps: boolean;
  /**
   * The addresses a host name resolves to (getaddrinfo). Runtimes without DNS access leave it out: then only IP
   * literals and `localhost` names are checked (see compat-tests/KNOWN_DIFFERENCES.md `webhook-delivery`).
   */
  resolveHost?: (hostname: string) => Promise<readonly string[]>;
}

const NAME = /^(?=.{1,63}$)[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i;

export function validateWebhookName(name: string): string {
  if (!NAME.test(name)) {
    throw invalidParameter(
      `Webhook name ${pyStr(name)} is invalid. It must start and end with a letter or digit, be less than 63 characters long, and contain only letters, digits, dots (.), underscores (_), and hyphens (-).`,
    );
  }
  return name;
}

/** `WebhookEvent.from_proto`: both halves known, and an action the entity has. */
export function toEventName(input: WebhookEventInput): WebhookEventName {
  const entity = input.entity?.toLowerCase() as WebhookEntity | undefined;
  const action = input.action?.toLowerCase() as WebhookAction | undefined;
  // The reference crashes (HTTP 500) on an unset or unknown entity or action; tracklite refuses it.
  if (!entity || !action || !WEBHOOK_ENTITIES.includes(entity) || !WEBHOOK_ACTIONS.includes(action)) {
    throw invalidParameter(
      'Invalid webhook event: it needs a known entity and action, e.g. {"entity": "MODEL_VERSION", "action": "CREATED"}.',
    );
  }
  const valid: readonly WebhookAction[] = WEBHOOK_ENTITY_ACTIONS[entity];
  if (!valid.includes(action)) {
    const sorted = [...valid].sort().map(pyStr).join(", ");
    throw invalidParameter(`Invalid action '${action}' for entity '${entity}'. Valid actions are: [${sorted}]`);
  }
  return `${entity}.${action}` as WebhookEventName;
}

/** `_validate_webhook_events` on the converted list: it must not be empty. */
export function validateWebhookEvents(events: readonly WebhookEventName[]): void {
  if (events.length === 0) {
    throw invalidParameter("Webhook events must be a non-empty list of WebhookEvent objects: [].");
  }
}

/** What Python's `urlparse` makes of a URL: the scheme and `.hostname` the reference's messages quote. */
interface PyUrl {
  scheme: string;
  hostname: string | undefined;
}

/** Python 3.11's `urlsplit` (scheme, netloc and its bracket checks) and `.hostname`; throws its ValueError text. */
function pyUrlparse(url: string): PyUrl {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python strips C0 controls and spaces in front.
  let rest = url.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\r\n]/g, "");
  let scheme = "";
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = (m[1] as string).toLowerCase();
    rest = rest.slice(m[0].length);
  }
  if (!rest.startsWith("//")) return { scheme, hostname: undefined };
  const end = rest.slice(2).search(/[/?#]/);
  const netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
  if (netloc.includes("[") !== netloc.includes("]")) throw new Error("ValueError('Invalid IPv6 URL')");
  if (netloc.includes("[")) {
    const bracketed = netloc.split("[")[1]?.split("]")[0] ?? "";
    if (bracketed.startsWith("v")) {
      if (!/^v[a-fA-F0-9]+\..+$/s.test(bracketed)) throw new Error("ValueError('IPvFuture address is invalid')");
    } else {
      const ip = parseIp(bracketed);
      if (!ip)
        throw new Error(`ValueError(${pyStr(`${pyStr(bracketed)} does not appear to be an IPv4 or IPv6 address`)})`);
      if (ip.version === 4) throw new Error("ValueError('An IPv4 address cannot be in brackets')");
    }
  }
  const hostinfo = netloc.slice(netloc.lastIndexOf("@") + 1);
  const open = hostinfo.indexOf("[");
  const raw = open >= 0 ? (hostinfo.slice(open + 1).split("]")[0] ?? "") : (hostinfo.split(":")[0] ?? "");
  if (!raw) return { scheme, hostname: undefined };
  const zone = raw.indexOf("%");
  return { scheme, hostname: zone < 0 ? raw.toLowerCase() : raw.slice(0, zone).toLowerCase() + raw.slice(zone) };
}

/** getaddrinfo's messages for the lookup failures Node reports by code, as Python prints them on Linux. */
const GAI_ERRORS: Record<string, string> = {
  ENOTFOUND: "[Errno -2] Name or service not known",
  EAI_AGAIN: "[Errno -3] Temporary failure in name resolution",
  EAI_FAIL: "[Errno -4] Non-recoverable failure in name resolution",
  ENODATA: "[Errno -5] No address associated with hostname",
};

const RESOLVE_TIMEOUT_MS = 5000;

async function resolve(policy: UrlPolicy, host: string, hostname: string): Promise<string[]> {
  const literal = parseIp(host.replace(/^\[|\]$/g, ""));
  if (literal) return [formatIp(literal)];
  if (!policy.resolveHost) return host === "localhost" || host.endsWith(".localhost") ? ["127.0.0.1"] : [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          invalidParameter(
            `Timed out resolving Webhook URL hostname ${pyStr(hostname)} after ${RESOLVE_TIMEOUT_MS / 1000} seconds`,
          ),
        ),
      RESOLVE_TIMEOUT_MS,
    );
  });
  try {
    return [...(await Promise.race([policy.resolveHost(host), timeout]))];
  } catch (err) {
    if (err instanceof MlflowError) throw err;
    const code = (err as { code?: unknown }).code;
    const detail = (typeof code === "string" && GAI_ERRORS[code]) || (err as Error).message;
    throw invalidParameter(`Cannot resolve Webhook URL hostname ${pyStr(hostname)}: ${detail}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `_validate_webhook_url`: not blank, parseable, an allowed scheme, a host, and (unless private addresses are allowed)
 * a host that resolves to public addresses only. Returns the URL as `fetch` will read it.
 */
export async function validateWebhookUrl(url: string, policy: UrlPolicy): Promise<URL> {
  if (url.trim() === "") throw invalidParameter(`Webhook URL cannot be empty or just whitespace: ${pyStr(url)}`);
  let parsed: PyUrl;
  try {
    parsed = pyUrlparse(url);
  } catch (err) {
    throw invalidParameter(`Invalid webhook URL ${pyStr(url)}: ${(err as Error).message}`);
  }
  if (!policy.allowedSchemes.includes(parsed.scheme)) {
    throw invalidParameter(
      `Invalid webhook URL scheme: ${pyStr(parsed.scheme)}. Allowed schemes are: ${policy.allowedSchemes.join(", ")}.`,
    );
  }
  if (!parsed.hostname) throw invalidParameter(`Webhook URL must include a hostname: ${pyStr(url)}`);
  // What fetch will call; Python accepts some URLs the WHATWG parser refuses (a space in the host, say).
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw invalidParameter(`Invalid webhook URL ${pyStr(url)}: ValueError('not a URL an HTTP client can call')`);
  }
  if (!policy.allowPrivateIps) {
    for (const address of await resolve(policy, target.hostname, parsed.hostname)) {
      const ip = parseIp(address);
      if (!ip) {
        throw invalidParameter(
          `Webhook URL hostname ${pyStr(parsed.hostname)} resolved to an invalid IP address: ${pyStr(address)} does not appear to be an IPv4 or IPv6 address`,
        );
      }
      if (!isPublicIp(ip)) {
        throw invalidParameter(
          `Webhook URL must not resolve to a non-public IP address. ${pyStr(parsed.hostname)} resolves to ${formatIp(ip)}.`,
        );
      }
    }
  }
  return target;
}
