/**
 * The trace tags and request metadata keys the server itself reads or writes.
 * @see mlflow/tracing/constant.py TraceMetadataKey, TraceTagKey; mlflow/utils/mlflow_tags.py MLFLOW_ARTIFACT_LOCATION
 */
export const TRACE_KEYS = {
  ARTIFACT_LOCATION: "mlflow.artifactLocation",
  SPANS_LOCATION: "mlflow.trace.spansLocation",
  TRACE_NAME: "mlflow.traceName",
  INFO_FINALIZED: "mlflow.trace.infoFinalized",
  TOKEN_USAGE: "mlflow.trace.tokenUsage",
  COST: "mlflow.trace.cost",
  SESSION: "mlflow.trace.session",
  USER: "mlflow.trace.user",
} as const;
