"""End-to-end timing through the real mlflow client, driven by bench/workloads/python-client.mjs.

Usage: client_bench.py TRACKING_URI N_VALUES N_LOG_METRIC_CALLS
Prints one JSON object: seconds for N_VALUES metric values through mlflow.log_metrics (synchronous, then
synchronous=False with the flush included) in batches of 1,000 keys per step, and the client-side latencies (ms) of
N_LOG_METRIC_CALLS sequential mlflow.log_metric calls. Interpreter start and `import mlflow` are not timed.
"""

import json
import sys
import time

import mlflow

KEYS = 1000


def main(uri: str, n_values: int, n_calls: int) -> None:
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(f"bench-python-{time.time_ns()}")
    steps = max(1, n_values // KEYS)
    batches = [{f"k{k}": (k * 31 + s) % 1000 / 1000 for k in range(KEYS)} for s in range(steps)]
    out = {"values": steps * KEYS}

    with mlflow.start_run():
        t0 = time.perf_counter()
        for s, batch in enumerate(batches):
            mlflow.log_metrics(batch, step=s)
        out["sync_s"] = time.perf_counter() - t0

    with mlflow.start_run():
        t0 = time.perf_counter()
        for s, batch in enumerate(batches):
            mlflow.log_metrics(batch, step=s, synchronous=False)
        mlflow.flush_async_logging()
        out["async_s"] = time.perf_counter() - t0

    with mlflow.start_run():
        lat = []
        for i in range(n_calls):
            t0 = time.perf_counter()
            mlflow.log_metric("loss", 1 / (1 + i), step=i)
            lat.append((time.perf_counter() - t0) * 1000)
        out["log_metric_ms"] = lat

    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
