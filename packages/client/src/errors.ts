import type { ErrorBody } from "@tracklite/schemas";

/** An MLflow error answer (`{"error_code", "message"}`), or a failure to reach the server at all. */
export class MlflowApiError extends Error {
  override readonly name = "MlflowApiError";
  /** MLflow's error code, e.g. `RESOURCE_DOES_NOT_EXIST`; `NETWORK_ERROR` when no answer came. */
  readonly errorCode: string;
  /** The HTTP status; 0 when no answer came. */
  readonly status: number;
  /** The parsed error body, when the server sent one. */
  readonly body: ErrorBody | undefined;

  constructor(errorCode: string, message: string, status: number, body?: ErrorBody, options?: ErrorOptions) {
    super(`${errorCode}: ${message}`, options);
    this.errorCode = errorCode;
    this.status = status;
    this.body = body;
  }

  /** Builds the error for a non-2xx answer, keeping MLflow's code and message when the body has them. */
  static async fromResponse(res: Response): Promise<MlflowApiError> {
    const text = await res.text().catch(() => "");
    let body: ErrorBody | undefined;
    try {
      const json = JSON.parse(text) as Partial<ErrorBody>;
      if (typeof json?.error_code === "string") body = { ...json, message: String(json.message ?? "") } as ErrorBody;
    } catch {
      // not JSON: a proxy's or a non-MLflow server's answer
    }
    if (body) return new MlflowApiError(body.error_code, body.message, res.status, body);
    const code = res.status === 404 ? "ENDPOINT_NOT_FOUND" : `HTTP_${res.status}`;
    return new MlflowApiError(code, text.slice(0, 500) || res.statusText, res.status);
  }
}

/** True when `e` is an {@link MlflowApiError}; with `code`, only when its error code is that one. */
export function isMlflowApiError(e: unknown, code?: string): e is MlflowApiError {
  return e instanceof MlflowApiError && (code === undefined || e.errorCode === code);
}
