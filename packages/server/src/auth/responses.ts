/** The reference's 401 body. @see mlflow/server/auth/__init__.py make_basic_auth_response */
export const NOT_AUTHENTICATED =
  "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow " +
  "on how to authenticate.";

const HTML = { "Content-Type": "text/html; charset=utf-8" };

/**
 * 401. The `WWW-Authenticate` challenge makes browsers show their own password dialog, so it is left out for requests
 * of tracklite's web UI (`X-Requested-With: XMLHttpRequest`), which shows its own sign-in page instead.
 */
export function unauthenticated(xhr: boolean): Response {
  return new Response(NOT_AUTHENTICATED, {
    status: 401,
    headers: xhr ? HTML : { ...HTML, "WWW-Authenticate": 'Basic realm="mlflow"' },
  });
}

/** 403, as the reference words it. */
export function forbidden(): Response {
  return new Response("Permission denied", { status: 403, headers: HTML });
}

export function tooManyAttempts(retryAfter: number): Response {
  return Response.json(
    {
      error_code: "RESOURCE_EXHAUSTED",
      message: `Too many failed sign-in attempts. Try again in ${retryAfter} seconds.`,
    },
    { status: 429, headers: { "Retry-After": String(retryAfter) } },
  );
}

/** A plain-text 400, as the reference's create-user answers a bad body. */
export function badRequestText(message: string): Response {
  return new Response(message, { status: 400, headers: HTML });
}

/** A plain-text error, as the reference's checks of its FastAPI routes (`/v1/traces`) answer one. */
export function plainTextError(message: string, status: number): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
