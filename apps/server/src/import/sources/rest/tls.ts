/**
 * MLflow's TLS variables for a tracking server, on Node's fetch. MLFLOW_TRACKING_INSECURE_TLS turns certificate checks
 * off for this process (the import is a one-shot command; Node warns once). A CA file cannot be added to a running
 * Node 20 process, so MLFLOW_TRACKING_SERVER_CERT_PATH must be given again as NODE_EXTRA_CA_CERTS, read at start:
 * without it the import stops up front, saying so, rather than failing on the first request.
 * @see mlflow/utils/rest_utils.py (verify=not insecure, or the cert path)
 */
export function applyTrackingTls(url: string, env: Record<string, string | undefined> = process.env): void {
  if (!url.startsWith("https:")) return;
  if (/^(true|1)$/i.test(env.MLFLOW_TRACKING_INSECURE_TLS ?? "")) {
    // Node reads it from its own environment, whatever map the variables came from.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    return;
  }
  const cert = env.MLFLOW_TRACKING_SERVER_CERT_PATH;
  if (cert && process.env.NODE_EXTRA_CA_CERTS !== cert) {
    throw new Error(
      `MLFLOW_TRACKING_SERVER_CERT_PATH is set: Node reads extra CA certificates only at start, so run the import with NODE_EXTRA_CA_CERTS=${cert} as well`,
    );
  }
}
