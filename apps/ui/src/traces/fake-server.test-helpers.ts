import { vi } from "vitest";

/** One request the UI sent: method, path (after `/ajax-api`), query and JSON body. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

/**
 * Answers the UI's fetches from `handle` (recorded reference answers, mostly) and keeps every request, so a test can
 * check what the UI sent. Unhandled requests answer 404 like an unknown route.
 */
export function fakeServer(handle: (r: SeenRequest) => { status?: number; json: unknown } | undefined) {
  const seen: SeenRequest[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const r: SeenRequest = {
        method: init?.method ?? "GET",
        path: url.pathname.replace(/^\/ajax-api/, ""),
        query: url.searchParams,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      seen.push(r);
      const out = handle(r) ?? { status: 404, json: { error_code: "ENDPOINT_NOT_FOUND", message: "not found" } };
      return new Response(JSON.stringify(out.json), {
        status: out.status ?? 200,
        headers: { "content-type": "application/json" },
      });
    }),
  );
  return seen;
}

/** Lets pending fetches and renders settle until `cond` holds (or gives up after a while). */
export async function until(cond: () => boolean, tries = 100): Promise<void> {
  for (let i = 0; i < tries && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
}
