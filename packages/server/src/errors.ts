import { ERROR_CLASSIFICATION, type ErrorBody, type ErrorCode, statusOf } from "@tracklite/schemas";

/** An error the client should see as `{error_code, message}` with the reference server's HTTP status. */
export class MlflowError extends Error {
  readonly code: ErrorCode;
  /** Set where tracklite deliberately answers another status than the reference (see KNOWN_DIFFERENCES.md). */
  readonly statusOverride: number | undefined;
  /** Set where the reference names a finer error class than its code's (e.g. ATTRIBUTE_NOT_FOUND). */
  readonly classification: readonly [sqlstate: string, errorClass: string] | undefined;

  constructor(
    message: string,
    code: ErrorCode = "INTERNAL_ERROR",
    statusOverride?: number,
    classification?: readonly [sqlstate: string, errorClass: string],
  ) {
    super(message);
    this.name = "MlflowError";
    this.code = code;
    this.statusOverride = statusOverride;
    this.classification = classification;
  }

  get status(): number {
    return this.statusOverride ?? statusOf(this.code);
  }

  /** The body MLflow 3 writes: code, message, and its sqlstate / error_class where it has them. */
  toJSON(): ErrorBody {
    const classification = this.classification ?? ERROR_CLASSIFICATION[this.code];
    return {
      error_code: this.code,
      message: this.message,
      ...(classification ? { sqlstate: classification[0], error_class: classification[1] } : {}),
    };
  }
}

export const invalidParameter = (message: string) => new MlflowError(message, "INVALID_PARAMETER_VALUE");
export const notFound = (message: string) => new MlflowError(message, "RESOURCE_DOES_NOT_EXIST");
export const alreadyExists = (message: string) => new MlflowError(message, "RESOURCE_ALREADY_EXISTS");
/**
 * The reference answers some client mistakes with INVALID_STATE and HTTP 500, which the Python client retries for
 * minutes; tracklite keeps the code and answers 400.
 */
export const invalidState = (message: string) => new MlflowError(message, "INVALID_STATE", 400);
/**
 * A client mistake the reference only notices when it crashes (INTERNAL_ERROR, HTTP 500, which the Python client
 * retries for minutes): same code and message, answered with 400.
 */
export const clientCrash = (message: string) => new MlflowError(message, "INTERNAL_ERROR", 400);
