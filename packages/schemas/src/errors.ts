/**
 * MLflow's error codes and the HTTP status the reference server answers each with.
 * @see mlflow/protos/databricks.proto (ErrorCode) and mlflow/server/handlers.py
 */
export const ERROR_STATUS = {
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
  IO_ERROR: 500,
  BAD_REQUEST: 400,
  INVALID_PARAMETER_VALUE: 400,
  ENDPOINT_NOT_FOUND: 404,
  MALFORMED_REQUEST: 400,
  INVALID_STATE: 500,
  PERMISSION_DENIED: 403,
  FEATURE_DISABLED: 500,
  CUSTOMER_UNAUTHORIZED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  ALREADY_EXISTS: 409,
  RESOURCE_CONFLICT: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  DEADLINE_EXCEEDED: 504,
} as const;

/**
 * The `sqlstate` and `error_class` MLflow 3 adds to error bodies, by error code (absent where MLflow has none).
 * @see mlflow/exceptions.py and mlflow/utils/error_classification.py
 */
export const ERROR_CLASSIFICATION: Partial<
  Record<keyof typeof ERROR_STATUS, readonly [sqlstate: string, errorClass: string]>
> = {
  INVALID_PARAMETER_VALUE: ["KAM00", "INVALID_PARAMETER_VALUE"],
  BAD_REQUEST: ["KAM00", "INVALID_PARAMETER_VALUE"],
  RESOURCE_ALREADY_EXISTS: ["KAM00", "RESOURCE_ALREADY_EXISTS"],
  RESOURCE_DOES_NOT_EXIST: ["KAM00", "RESOURCE_NOT_FOUND"],
  ENDPOINT_NOT_FOUND: ["KAM00", "RESOURCE_NOT_FOUND"],
  NOT_FOUND: ["KAM00", "RESOURCE_NOT_FOUND"],
  PERMISSION_DENIED: ["KAM00", "PERMISSION_DENIED"],
  FEATURE_DISABLED: ["KAM00", "FEATURE_DISABLED"],
  INVALID_STATE: ["XXM00", "CLIENT_INTERNAL_ERROR"],
  INTERNAL_ERROR: ["XXM00", "CLIENT_INTERNAL_ERROR"],
  TEMPORARILY_UNAVAILABLE: ["XXM00", "CLIENT_INTERNAL_ERROR"],
};

/** One of MLflow's error code names. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every MLflow error answer. */
export interface ErrorBody {
  error_code: ErrorCode | (string & {});
  message: string;
  sqlstate?: string;
  error_class?: string;
}

/** The HTTP status for an error code; unknown codes are server errors, as in the reference. */
export function statusOf(code: string): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? 500;
}
